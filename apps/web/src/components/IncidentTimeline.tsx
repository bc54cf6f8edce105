import { describeFailedRun, flipRunsSummary } from '../flip-runs';
import { duration } from '../time';
import type { Flip } from '../types';
import { FlipDeliveries } from './FlipDeliveries';
import { StatusIcon } from './StatusIcon';
import { TimeAgo } from './TimeAgo';

/** Status changes, newest first, with the reason, how long each state lasted, and the runs that led to it. */
export function IncidentTimeline({ checkId, flips, now }: { checkId: string; flips: Flip[]; now: number }) {
  if (flips.length === 0) return <p className="muted">No status changes yet.</p>;
  const newestFirst = [...flips].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return (
    <ol className="timeline">
      {newestFirst.map((flip, index) => {
        const endedAt = index === 0 ? now : Date.parse(newestFirst[index - 1]!.at);
        const lasted = (endedAt - Date.parse(flip.at)) / 1000;
        const summary = flip.runs ? flipRunsSummary(flip.runs) : null;
        const failures = flip.runs?.failures ?? [];
        return (
          <li key={`${flip.at}-${flip.to}`}>
            <StatusIcon status={flip.to} />
            <span>
              from {flip.from}
              {flip.reason ? `: ${flip.reason.replaceAll('_', ' ')}` : ''}
            </span>
            <TimeAgo at={flip.at} now={now} />
            <span className="muted">
              {index === 0 ? 'for' : 'lasted'} {duration(Math.max(lasted, 0))}
            </span>
            {summary && <span className="flip-summary">after {summary}</span>}
            {failures.length > 0 && (
              <ol className="flip-runs" aria-label={`Failed runs that led to ${flip.to}`}>
                {failures.map((run) => (
                  <li key={`${run.at}-${run.reason}`}>
                    <time dateTime={run.at}>{new Date(run.at).toLocaleTimeString(undefined, { timeStyle: 'short' })}</time>{' '}
                    {describeFailedRun(run)}
                  </li>
                ))}
              </ol>
            )}
            {flip.id !== undefined && <FlipDeliveries checkId={checkId} flipId={flip.id} />}
          </li>
        );
      })}
    </ol>
  );
}
