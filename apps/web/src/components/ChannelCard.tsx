import { useState } from 'react';
import { api } from '../api';
import type { Channel, Check } from '../types';

/** One channel: its target, the checks it serves, a test button and the last delivery error. */
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
  const target = String(channel.config.to ?? channel.config.url ?? '');
  const selected = channel.checks ?? [];

  const test = async () => {
    setOutcome('Sending…');
    try {
      const result = await api.testChannel(channel.id);
      setOutcome(result.ok === false ? `Failed: ${result.error ?? 'unknown error'}` : 'Test sent.');
    } catch (error) {
      setOutcome(`Failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const setChecks = async (ids: string[]) => {
    await api.updateChannel(channel.id, { checks: ids }).catch((error: Error) => setOutcome(error.message));
    onChange();
  };
  const remove = async () => {
    if (!window.confirm(`Delete the channel "${channel.name}"?`)) return;
    await api.deleteChannel(channel.id).catch((error: Error) => setOutcome(error.message));
    onChange();
  };

  return (
    <li className="card">
      <h2>
        {channel.name} <span className="muted">({channel.kind})</span>
      </h2>
      {target && <p className="mono">{target}</p>}
      {channel.lastError && <p className="error">Last delivery failed: {channel.lastError}</p>}
      <details>
        <summary>Checks that alert here ({selected.length})</summary>
        {checks.map((check) => (
          <label key={check.id} className="inline">
            <input
              type="checkbox"
              disabled={!canWrite}
              checked={selected.includes(check.id)}
              onChange={(event) => setChecks(event.target.checked ? [...selected, check.id] : selected.filter((id) => id !== check.id))}
            />
            {check.name}
          </label>
        ))}
      </details>
      {canWrite && (
        <div className="actions">
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
