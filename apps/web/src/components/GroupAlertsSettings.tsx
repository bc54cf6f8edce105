import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api } from '../api';
import { Field } from './Field';

/** The API's range for groupAlertsAbove. */
const LIMITS = { min: 1, max: 1000 } as const;

/**
 * When many checks of the project go down in the same sweep pass, each email
 * and Slack channel gets one message listing them instead of one each.
 * Empty: never grouped. For admins; keyed by project, so switching projects
 * loads afresh.
 */
export function GroupAlertsSettings() {
  const [value, setValue] = useState('');
  const [loaded, setLoaded] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    let live = true;
    api.project().then(
      (project) => {
        if (!live) return;
        const shown = project.groupAlertsAbove == null ? '' : String(project.groupAlertsAbove);
        setValue(shown);
        setLoaded(shown);
      },
      (failure: unknown) => live && setLoadError(failure instanceof Error ? failure.message : String(failure)),
    );
    return () => {
      live = false;
    };
  }, []);

  const typed = value.trim();
  const typedError =
    typed === '' || (/^\d+$/.test(typed) && Number(typed) >= LIMITS.min && Number(typed) <= LIMITS.max)
      ? undefined
      : `a whole number from ${LIMITS.min} to ${LIMITS.max}, or empty for never`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (typedError) return;
    setBusy(true);
    setError(undefined);
    setSaved(false);
    try {
      const updated = await api.setGroupAlertsAbove(typed === '' ? null : Number(typed));
      const shown = updated.groupAlertsAbove == null ? '' : String(updated.groupAlertsAbove);
      setValue(shown);
      setLoaded(shown);
      setSaved(true);
    } catch (failure) {
      if (failure instanceof ApiError) setError(failure.fields.groupAlertsAbove ?? failure.message);
      else setError('Cronbeat could not be reached. Try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="group-alerts-title">
      <h2 id="group-alerts-title">Grouped alerts</h2>
      <p>
        When a host dies or a region goes away, many checks go down together. Above this number, each email and Slack channel gets one
        message listing them all; webhooks still get one event per check.
      </p>
      {loadError && <p className="error">{loadError}</p>}
      <form className="stack editor" onSubmit={submit}>
        <Field
          label="Group alerts when more than N checks go down at once"
          hint={`${LIMITS.min} to ${LIMITS.max}; empty: never group.`}
          error={typedError ?? error}
        >
          <input
            name="groupAlertsAbove"
            inputMode="numeric"
            value={value}
            disabled={loaded === null}
            onChange={(event) => {
              setValue(event.target.value);
              setError(undefined);
              setSaved(false);
            }}
          />
        </Field>
        <div className="actions">
          <button type="submit" disabled={busy || loaded === null || typedError !== undefined || typed === loaded}>
            Save
          </button>
          {saved && <p role="status">Saved.</p>}
        </div>
      </form>
    </section>
  );
}
