import { useState } from 'react';
import { api } from '../api';

/** Rotates the project's ping key, which slug ping URLs contain. */
export function PingKey() {
  const [pingKey, setPingKey] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rotate = async () => {
    if (!window.confirm('Rotate the ping key? Every slug ping URL of this project stops working until jobs use the new key.')) return;
    setError(null);
    try {
      setPingKey((await api.rotatePingKey()).pingKey ?? null);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <section aria-labelledby="ping-key-title">
      <h2 id="ping-key-title">Ping key</h2>
      <p>
        Slug ping URLs look like /ping/&lt;ping key&gt;/&lt;slug&gt;. Rotate the key if it leaked; a check's own ping URL (/ping/&lt;ping
        code&gt;) is not affected, and is rotated on its page.
      </p>
      <button type="button" className="danger" onClick={rotate}>
        Rotate ping key
      </button>
      {pingKey && (
        <p role="status">
          New ping key: <code>{pingKey}</code>
        </p>
      )}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
