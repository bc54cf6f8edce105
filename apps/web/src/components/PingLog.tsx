import type { Ping } from '../types';
import { PingRow } from './PingRow';

/** The newest pings: kind, time, duration, exit status, where from, and the body on demand. */
export function PingLog({ checkId, pings, now }: { checkId: string; pings: Ping[] | undefined; now: number }) {
  if (!pings) return <p className="muted">Loading pings…</p>;
  if (pings.length === 0) return <p className="muted">No pings yet. Run the job, or ping the URL above by hand.</p>;
  return (
    <ol className="ping-log">
      {pings.map((ping) => (
        <PingRow key={ping.n} checkId={checkId} ping={ping} now={now} />
      ))}
    </ol>
  );
}
