import { useState } from 'react';
import { api } from '../api';
import { formatInstant } from '../time';
import type { Channel, Check } from '../types';
import { ChannelEditForm } from './ChannelEditForm';

/** One channel: its target, the checks it serves, edit and test buttons and the last delivery error. */
export function ChannelCard({
  channel,
  checks,
  canWrite,
  onChange,
}: {
  channel: Channel;
  checks: Check[];
  canWrite: boolean;
  onChange: () => void;
}) {
  const [outcome, setOutcome] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  // A secret (a Discord URL holding its token) comes back only as { set: true }: never shown, so only plain text is.
  const target =
    [channel.config?.to, channel.config?.url]
      .map((value) => (Array.isArray(value) ? value.join(', ') : value))
      .find((value): value is string => typeof value === 'string') ?? '';
  // Which checks alert here is stored on each check (its `channels`).
  const selected = checks.filter((check) => check.channels?.includes(channel.id)).map((check) => check.id);

  const test = async () => {
    setOutcome('Sending…');
    try {
      const result = await api.testChannel(channel.id);
      setOutcome(result.delivered ? 'Test alert delivered.' : `Failed: ${result.error ?? 'unknown error'}`);
    } catch (error) {
      setOutcome(`Failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const setUsedBy = async (check: Check, used: boolean) => {
    const others = (check.channels ?? []).filter((id) => id !== channel.id);
    await api
      .updateCheck(check.id, { channels: used ? [...others, channel.id] : others })
      .catch((error: Error) => setOutcome(error.message));
    onChange();
  };
  const remove = async () => {
    if (!window.confirm(`Delete the channel "${channel.name}"?`)) return;
    await api.deleteChannel(channel.id).catch((error: Error) => setOutcome(error.message));
    onChange();
  };

  // Only those who may change a channel are shown its config (secrets as { set: true }).
  if (editing && channel.config)
    return (
      <li className="card">
        <h2>
          Edit {channel.name} <span className="muted">({channel.kind})</span>
        </h2>
        <ChannelEditForm
          channel={channel}
          config={channel.config}
          onDone={(saved) => {
            setEditing(false);
            if (saved) {
              setOutcome('Saved.');
              onChange();
            }
          }}
        />
      </li>
    );

  return (
    <li className="card">
      <h2>
        {channel.name} <span className="muted">({channel.kind})</span>
      </h2>
      {target && <p className="mono">{target}</p>}
      {channel.lastError && (
        <p className="error">
          Last delivery failed
          {channel.lastErrorAt && (
            <>
              {' '}
              (<time dateTime={channel.lastErrorAt}>{formatInstant(channel.lastErrorAt, { seconds: true })}</time>)
            </>
          )}
          : {channel.lastError}
        </p>
      )}
      <details>
        <summary>Checks that alert here ({selected.length})</summary>
        {canWrite ? (
          checks.map((check) => (
            <label key={check.id} className="inline">
              <input type="checkbox" checked={selected.includes(check.id)} onChange={(event) => setUsedBy(check, event.target.checked)} />
              {check.name}
            </label>
          ))
        ) : (
          <ul className="plain">
            {checks
              .filter((check) => selected.includes(check.id))
              .map((check) => (
                <li key={check.id}>{check.name}</li>
              ))}
          </ul>
        )}
      </details>
      {canWrite && (
        <div className="actions">
          {channel.config && (
            <button type="button" onClick={() => setEditing(true)}>
              Edit
            </button>
          )}
          <button type="button" onClick={test}>
            Send test
          </button>
          <button type="button" className="danger" onClick={remove}>
            Delete
          </button>
        </div>
      )}
      {outcome && <p aria-live="polite">{outcome}</p>}
    </li>
  );
}
