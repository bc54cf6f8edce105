import type { Channel, Check } from '../types';
import { Link } from './Link';

/**
 * Where a check's alerts go, and a warning that cannot be overlooked when
 * they go nowhere. Shown to those who may see a check's channels.
 */
export function CheckChannels({ check, channels, canWrite }: { check: Check; channels: Channel[] | undefined; canWrite: boolean }) {
  if (!check.channels || !channels) return null;
  const chosen = channels.filter((channel) => check.channels?.includes(channel.id));
  if (chosen.length === 0) {
    const noChannelAtAll = channels.length === 0;
    return (
      <p className="card warning alerts-nobody-card" role="status">
        <span aria-hidden="true">⚠ </span>
        <strong>This check alerts nobody</strong>: {noChannelAtAll ? 'the project has no channel yet.' : 'no channel is chosen for it.'}{' '}
        {canWrite &&
          (noChannelAtAll ? <Link to="/channels">Add a channel</Link> : <Link to={`/checks/${check.id}/edit`}>Choose channels</Link>)}
      </p>
    );
  }
  return (
    <p className="alerts-to-check">
      Alerts{' '}
      {chosen.map((channel, index) => (
        <span key={channel.id}>
          {index > 0 && ', '}
          <strong>{channel.name}</strong> <span className="muted">({channel.kind})</span>
        </span>
      ))}
      {canWrite && (
        <>
          {' · '}
          <Link to={`/checks/${check.id}/edit`}>Change</Link>
        </>
      )}
    </p>
  );
}
