import { useEffect, useState } from 'react';
import { api } from '../api';
import { CopyButton } from './CopyButton';

/** The project's ping key, which slug ping URLs contain, shown to admins with the URL form beside it; and rotating it. */
export function PingKey() {
  const [pingKey, setPingKey] = useState<string | null>(null);
  // Where ping URLs start (PING_BASE_URL): the project's pingUrl without its key, so a rotated key needs no new fetch.
  const [pingBase, setPingBase] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.project().then(
      (project) => {
        setPingKey(project.pingKey ?? null);
        setPingBase(project.pingUrl && project.pingKey ? project.pingUrl.slice(0, -project.pingKey.length - 1) : null);
      },
      (failure: Error) => setError(failure.message),
    );
  }, []);
  const rotate = async () => {
    if (!window.confirm('Rotate the ping key? Every slug ping URL of this project stops working until jobs use the new key.')) return;
    setError(null);
    try {
      setPingKey((await api.rotatePingKey()).pingKey ?? null);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const slugUrl = pingKey && pingBase && `${pingBase}/${pingKey}/<slug>`;
  return (
    <section aria-labelledby="ping-key-title">
      <h2 id="ping-key-title">Ping key</h2>
      {pingKey && (
        <p>
          <code className="secret-value" data-testid="ping-key">
            {pingKey}
          </code>{' '}
          <CopyButton text={pingKey} label="Copy ping key" />
        </p>
      )}
      {slugUrl && (
        <p>
          Slug ping URLs:{' '}
          <code className="secret-value" data-testid="slug-ping-url">
            {slugUrl}
          </code>{' '}
          (add <code>?create=1</code> to create the check on its first ping).
        </p>
      )}
      <p>Rotate the key if it leaked; a check's own ping URL (with its ping code) is not affected, and is rotated on its page.</p>
      <button type="button" className="danger" onClick={rotate}>
        Rotate ping key
      </button>
      {error && <p className="error">{error}</p>}
    </section>
  );
}
