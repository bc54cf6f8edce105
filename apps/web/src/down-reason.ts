import { describeFailedRun, flipRunsSummary } from './flip-runs';
import { duration, localTime } from './time';
import type { Flip } from './types';

export { localTime };

/** A flip as the API sends it: with the job's exit status, which the dashboard's shared `Flip` type does not declare yet. */
export type FlipWithExit = Flip & { exitStatus?: number | null };

/** What a down check's reason needs to know about the check. */
export interface DownCheck {
  lastPing: string | null;
  /** Seconds a run may take; null: the grace time. */
  maxRuntime: number | null;
  /** Seconds. */
  grace: number;
  /** The schedule's zone, used when the check has a cron or OnCalendar schedule. */
  tz?: string;
  cron?: string | null;
  onCalendar?: string | null;
}

/** The zone a check's scheduled instants are read in: its own for cron and OnCalendar; none (the viewer's) for a period. */
export const scheduleZone = (check: Pick<DownCheck, 'tz' | 'cron' | 'onCalendar'>): string | undefined =>
  check.cron || check.onCalendar ? check.tz : undefined;

/**
 * The flip that took a down check down: the newest flip, when it is one to
 * `down` (a down check makes no other flip until it leaves `down`). Null
 * when the newest flip is another: the list was read before the check went
 * down, and an older incident's flip would give the wrong time and reason.
 */
export function downFlip(flips: FlipWithExit[]): FlipWithExit | null {
  let newest: FlipWithExit | null = null;
  for (const flip of flips) {
    if (newest === null || Date.parse(flip.at) > Date.parse(newest.at)) newest = flip;
  }
  return newest?.to === 'down' ? newest : null;
}

/**
 * Why the check went down, in a sentence, in the words the alerts use:
 * missed, failed with its exit status or a keyword, ran too long, too early,
 * overlapping, too slow or fast; and, under a failure threshold, how many
 * failed runs in a row it took. It does not change as time passes, so a live
 * region reading it is not read out again.
 */
export function downReason(flip: FlipWithExit, check: DownCheck): string {
  const failures = flip.runs?.failures ?? [];
  const why = lastRunReason(flip, check);
  // One failed run is the flip's own reason; more are the threshold at work.
  return failures.length > 1 && flip.runs ? `${why} It was the last of ${flipRunsSummary(flip.runs)}.` : why;
}

function lastRunReason(flip: FlipWithExit, check: DownCheck): string {
  const last = flip.runs?.failures?.at(-1);
  if (last && last.reason === flip.reason && (last.keyword || ['early', 'overlap', 'slow', 'fast'].includes(last.reason))) {
    const words = describeFailedRun(last, scheduleZone(check));
    return `${words.charAt(0).toUpperCase()}${words.slice(1)}.`;
  }
  switch (flip.reason) {
    case 'missed':
      return check.lastPing
        ? `Missed: no ping arrived by the deadline; the last one came on ${localTime(check.lastPing)}.`
        : 'Missed: no ping arrived by the deadline, and the check was never pinged.';
    case 'failed':
      return typeof flip.exitStatus === 'number'
        ? `Failed: the job reported a failure with exit status ${flip.exitStatus}.`
        : 'Failed: the job reported a failure.';
    case 'timed_out':
      return check.maxRuntime === null
        ? `Ran too long: a run started and did not finish within the grace time (${duration(check.grace)}).`
        : `Ran too long: a run started and did not finish within its max runtime (${duration(check.maxRuntime)}).`;
    default:
      return `${flip.reason.replaceAll('_', ' ')}.`;
  }
}
