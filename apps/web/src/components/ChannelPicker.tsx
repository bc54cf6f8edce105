import type { Channel } from '../types';

/** Which channels alert for a check. */
export function ChannelPicker({
  channels,
  selected,
  onChange,
}: {
  channels: Channel[];
  selected: string[];
  onChange: (ids: string[]) => void;
}) {
  return (
    <fieldset className="stack">
      <legend>Alert through</legend>
      {channels.length === 0 && <p className="hint">No channels yet: add one on the Channels screen.</p>}
      {channels.length > 0 && selected.length === 0 && (
        <p className="alerts-nobody" role="status">
          No channel chosen: this check will alert nobody.
        </p>
      )}
      {channels.map((channel) => (
        <label key={channel.id} className="inline">
          <input
            type="checkbox"
            checked={selected.includes(channel.id)}
            onChange={(event) => onChange(event.target.checked ? [...selected, channel.id] : selected.filter((id) => id !== channel.id))}
          />
          {channel.name} <span className="muted">({channel.kind})</span>
        </label>
      ))}
    </fieldset>
  );
}
