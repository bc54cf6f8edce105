import { type FormEvent, useState } from 'react';
import { api } from '../api';
import { useSession } from '../session';
import type { ApiKey } from '../types';
import { usePoll } from '../usePoll';
import { CopyButton } from './CopyButton';
import { TimeAgo } from './TimeAgo';

/** API keys: created (and shown) once, listed by prefix, revocable. */
export function ApiKeys() {
  const { project } = useSession();
  const keys = usePoll(() => api.apiKeys(), 30_000, project.id);
  const [name, setName] = useState('');
  const [access, setAccess] = useState<ApiKey['access']>('read-write');
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const key = await api.createApiKey(name, access);
      setCreated(key.key ?? null);
      setName('');
      keys.reload();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const revoke = async (key: ApiKey) => {
    if (!window.confirm(`Revoke the key "${key.name}"? Anything using it stops working at once.`)) return;
    await api.revokeApiKey(key.id).catch((failure: Error) => setError(failure.message));
    keys.reload();
  };

  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      {created && (
        <div className="card notice" role="status">
          <p>Your new key. Copy it now: it is shown only once.</p>
          <div className="ping-url">
            <code>{created}</code>
            <CopyButton text={created} />
          </div>
          <button type="button" onClick={() => setCreated(null)}>
            I have copied it
          </button>
        </div>
      )}
      <ul className="rows">
        {keys.data?.map((key) => (
          <li key={key.id}>
            <span>{key.name}</span>
            <code>{key.prefix}…</code>
            <span className="muted">{key.access}</span>
            <span className="muted">
              used <TimeAgo at={key.lastUsedAt} />
            </span>
            <button type="button" className="danger" onClick={() => revoke(key)}>
              Revoke
            </button>
          </li>
        ))}
      </ul>
      <form className="inline-form" onSubmit={create}>
        <label>
          Key name
          <input required value={name} onChange={(event) => setName(event.target.value)} />
        </label>
        <label>
          Access
          <select value={access} onChange={(event) => setAccess(event.target.value as ApiKey['access'])}>
            <option value="read-write">read-write</option>
            <option value="read-only">read-only</option>
          </select>
        </label>
        <button type="submit">Create key</button>
      </form>
      {error && <p className="error">{error}</p>}
    </section>
  );
}
