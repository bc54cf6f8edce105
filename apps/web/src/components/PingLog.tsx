import type { Ping } from '../types';
import { PingRow } from './PingRow';

/** The newest pings: kind, time, duration, exit status, where from, and the body on demand. */
export function PingLog({
  checkId,
  pings,
  urlShown,
}: {
  checkId: string;
  pings: Ping[] | undefined;
  /** Whether the page shows the ping URL (read-only members do not see it). */
  urlShown: boolean;
}) {
  if (!pings) return <p className="muted">Loading pings…</p>;
  if (pings.length === 0) return <p className="muted">No pings yet.{urlShown && ' Run the job, or ping the URL above by hand.'}</p>;
  return (
    <ol className="ping-log">
      {pings.map((ping) => (
        <PingRow key={ping.n} checkId={checkId} ping={ping} />
      ))}
    </ol>
  );
}
