import { type DownCheck, scheduleZone } from '../down-reason';
import { describeFailedRun, flipRunsSummary } from '../flip-runs';
import { duration, formatClock, localTime } from '../time';
import type { Flip } from '../types';
import { FlipDeliveries } from './FlipDeliveries';
import { Link } from './Link';
import { StatusIcon } from './StatusIcon';
import { TimeAgo } from './TimeAgo';

/** The check whose history this is: its id, and its schedule's zone where it has one. */
type ScheduledCheck = Pick<DownCheck, 'tz' | 'cron' | 'onCalendar'> & { id: string };

/**
 * Status changes, newest first, with the reason, how long each state
 * lasted, the runs that led to it, and, for each flip to down, whether it
 * was acknowledged and a link to its incident's own timeline.
 */
export function IncidentTimeline({ check, flips, now }: { check: ScheduledCheck; flips: Flip[]; now: number }) {
  // A cron or OnCalendar check's runs were due on its own clock: their times are written there, the zone named.
  const zone = scheduleZone(check);
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
            <TimeAgo at={flip.at} />
            <span className="muted">
              {index === 0 ? 'for' : 'lasted'} {duration(Math.max(lasted, 0))}
            </span>
            {summary && <span className="flip-summary">after {summary}</span>}
            {failures.length > 0 && (
              <ol className="flip-runs" aria-label={`Failed runs that led to ${flip.to}`}>
                {failures.map((run) => (
                  <li key={`${run.at}-${run.reason}`}>
                    <time dateTime={run.at}>{formatClock(run.at, zone === undefined ? {} : { zone })}</time> {describeFailedRun(run, zone)}
                  </li>
                ))}
              </ol>
            )}
            {flip.acknowledgedAt && <span className="muted">acknowledged{flip.acknowledgedBy ? ` by ${flip.acknowledgedBy}` : ''}</span>}
            {flip.to === 'down' && flip.id !== undefined && (
              <Link to={`/checks/${check.id}/incidents/${flip.id}`} className="incident-link">
                Incident<span className="visually-hidden"> of {localTime(flip.at)}</span>
              </Link>
            )}
            {flip.id !== undefined && <FlipDeliveries checkId={check.id} flipId={flip.id} />}
          </li>
        );
      })}
    </ol>
  );
}
