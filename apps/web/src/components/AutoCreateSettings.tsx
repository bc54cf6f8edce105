import { useEffect, useState } from 'react';
import { api } from '../api';
import { useSubmit } from '../useSubmit';
import { Field } from './Field';

/**
 * What `?create=1` pings may do in the project: how many checks they may
 * make, and whether those alert every channel. For admins; keyed by project,
 * so switching projects loads afresh.
 */
export function AutoCreateSettings() {
  const [limit, setLimit] = useState('');
  const [attach, setAttach] = useState(true);
  const [loaded, setLoaded] = useState<{ limit: string; attach: boolean } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    let live = true;
    setLoaded(null);
    api.project().then(
      (current) => {
        if (!live) return;
        const values = { limit: String(current.autoCreateLimit ?? 1000), attach: current.autoCreateAttachChannels ?? true };
        setLimit(values.limit);
        setAttach(values.attach);
        setLoaded(values);
      },
      (error: unknown) => live && setLoadError(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      live = false;
    };
  }, []);

  const { busy, error, submit } = useSubmit(async () => {
    setSaved(false);
    const updated = await api.setAutoCreate({ autoCreateLimit: Number(limit), autoCreateAttachChannels: attach });
    const values = { limit: String(updated.autoCreateLimit ?? limit), attach: updated.autoCreateAttachChannels ?? attach };
    setLoaded(values);
    setSaved(true);
  });

  const validLimit = /^\d{1,7}$/.test(limit.trim()) && Number(limit) <= 1_000_000;
  const changed = loaded !== null && (limit.trim() !== loaded.limit || attach !== loaded.attach);
  return (
    <section aria-labelledby="auto-create-title">
      <h2 id="auto-create-title">Checks made by pings</h2>
      <p>
        A ping to /ping/&lt;ping key&gt;/&lt;slug&gt;?create=1 makes the check when the slug is new. Checks made in the dashboard or the API
        are not counted or limited.
      </p>
      {loadError && <p className="error">{loadError}</p>}
      <form className="stack editor" onSubmit={submit}>
        <Field
          label="Most checks ?create=1 may make"
          hint="0 turns ?create=1 off. Beyond the limit such pings get 403."
          error={validLimit ? (error ?? undefined) : 'a whole number from 0 to 1000000'}
        >
          <input
            inputMode="numeric"
            value={limit}
            disabled={loaded === null}
            onChange={(event) => {
              setLimit(event.target.value);
              setSaved(false);
            }}
          />
        </Field>
        <label className="inline">
          <input
            type="checkbox"
            checked={attach}
            disabled={loaded === null}
            onChange={(event) => {
              setAttach(event.target.checked);
              setSaved(false);
            }}
          />
          Checks made by ?create=1 alert every channel of the project (otherwise none, until someone picks channels)
        </label>
        <div className="actions">
          <button type="submit" disabled={busy || !validLimit || !changed}>
            Save
          </button>
          {saved && <p role="status">Saved.</p>}
        </div>
      </form>
    </section>
  );
}
