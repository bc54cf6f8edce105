import { duration } from '../time';
import type { Flip } from '../types';
import { StatusIcon } from './StatusIcon';
import { TimeAgo } from './TimeAgo';

/** Status changes, newest first, with the reason and how long each state lasted. */
export function IncidentTimeline({ flips, now }: { flips: Flip[]; now: number }) {
  if (flips.length === 0) return <p className="muted">No status changes yet.</p>;
  const newestFirst = [...flips].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return (
    <ol className="timeline">
      {newestFirst.map((flip, index) => {
        const endedAt = index === 0 ? now : Date.parse(newestFirst[index - 1]!.at);
        const lasted = (endedAt - Date.parse(flip.at)) / 1000;
        return (
          <li key={`${flip.at}-${flip.to}`}>
            <StatusIcon status={flip.to} />
            <span>
              from {flip.from}
              {flip.reason ? `: ${flip.reason}` : ''}
            </span>
            <TimeAgo at={flip.at} now={now} />
            <span className="muted">
              {index === 0 ? 'for' : 'lasted'} {duration(Math.max(lasted, 0))}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
