import { DEFAULT_RUN_POLICY, EMPTY_RUN_RECORD, RunFailure, type RunPolicy, type RunRecord } from './run-policy';
import { nextExpected, type Schedule } from './schedule';
import { isWatched, Status } from './status';
import { addSeconds } from './time';

/** Everything the domain needs to know about a check to decide what happens next. */
export interface CheckState {
  status: Status;
  schedule: Schedule;
  /** Seconds after the expected time before the check goes down. */
  grace: number;
  /** Seconds a run may take before it times out; null means the grace time. */
  maxRuntime: number | null;
  /** When paused, pings are recorded as ignored instead of resuming the check. */
  manualResume: boolean;
  /** Last success or fail ping. Start and log pings do not count. */
  lastPing: Date | null;
  /** Start of the latest run still in progress; null when no run is in progress. */
  lastStart: Date | null;
  lastStartRid: string | null;
  /** Milliseconds the last completed run took, when its start was seen. */
  lastDuration: number | null;
  /** When the next ping is expected (the check turns late after it). */
  nextDue: Date | null;
  /** When the check goes down if nothing more arrives; null when it cannot go down. */
  alertAfter: Date | null;
  /** Its alert policy settings. */
  policy: RunPolicy;
  /** What it remembers between runs to apply them. */
  record: RunRecord;
}

/** A check as created: `new`, never pinged, with no deadlines yet. */
export const newCheckState = (
  settings: Pick<CheckState, 'schedule' | 'grace'> & Partial<Pick<CheckState, 'maxRuntime' | 'manualResume' | 'policy'>>,
): CheckState => ({
  status: Status.new,
  maxRuntime: null,
  manualResume: false,
  policy: DEFAULT_RUN_POLICY,
  ...settings,
  record: EMPTY_RUN_RECORD,
  lastPing: null,
  lastStart: null,
  lastStartRid: null,
  lastDuration: null,
  nextDue: null,
  alertAfter: null,
});

export const isRunning = (check: Pick<CheckState, 'lastStart'>): boolean => check.lastStart !== null;

/** Seconds a run may take: the max runtime, or the grace time when none is set. */
export const runLimit = (check: Pick<CheckState, 'maxRuntime' | 'grace'>): number => check.maxRuntime ?? check.grace;

/** When the run in progress times out, if one is. */
export const runDeadline = (check: CheckState): Date | null => (check.lastStart ? addSeconds(check.lastStart, runLimit(check)) : null);

/**
 * The latest run that time alone counted as failed while under the failure
 * threshold, as the moment the next run is expected after: a missed run's
 * expected time, a timed-out run's start. So each expected time fails once.
 */
function lastCountedRun(record: RunRecord): Date | null {
  for (let i = record.failures.length - 1; i >= 0; i--) {
    const failure = record.failures[i]!;
    if (failure.reason === RunFailure.missed && failure.scheduled) return failure.scheduled;
    if (failure.reason === RunFailure.timedOut && failure.startedAt) return failure.startedAt;
  }
  return null;
}

/** The later of two times, either of which may be missing. */
const later = (a: Date | null, b: Date | null): Date | null => (a === null ? b : b === null || a >= b ? a : b);

/**
 * Recomputes `nextDue` and `alertAfter` from the rest of the state. A run in
 * progress is judged by its own deadline alone, as a job that has started
 * is not missing; `new` checks only go down when a run times out. The next
 * run is expected after the last ping, or after the last run time alone
 * counted as failed while under the failure threshold.
 */
export function withDeadlines(check: CheckState): CheckState {
  const watched = check.status === Status.up || check.status === Status.late;
  const expectedAfter = later(check.lastPing, lastCountedRun(check.record));
  const nextDue = watched && expectedAfter ? nextExpected(check.schedule, expectedAfter) : null;
  const running = runDeadline(check);
  let alertAfter: Date | null = null;
  if (watched) alertAfter = running ?? (nextDue && addSeconds(nextDue, check.grace));
  else if (check.status === Status.new) alertAfter = running;
  return { ...check, nextDue, alertAfter };
}

/**
 * The first moment the passing of time alone can change the check (see
 * `evaluate`): it turns late at its expected time while up and idle, and
 * goes down at `alertAfter` while new, up or late. Null when time changes
 * nothing. The sweep must look at the check by then.
 */
export function sweepDue(check: CheckState): Date | null {
  if (check.status === Status.up && !check.lastStart) return check.nextDue;
  return isWatched(check.status) ? check.alertAfter : null;
}

/**
 * When the sweep should next look at a check after pings at `now` left it in
 * state `check`, given when it was to look before (`stored`). Any moment up
 * to `sweepDue` is correct: a sweep that looks early finds nothing to do and
 * sets the next moment itself. So a ping that only moves the due time later
 * keeps the stored moment while it is at least half as far off as the new
 * one. The check row then changes no indexed column and Postgres updates it
 * in place (a HOT update), without an insert into each of the table's
 * indexes; a check pinged far more often than its period moves the moment
 * once every half period instead of at every ping. Once the stored moment
 * is near, the ping moves it, so the sweep seldom looks for nothing.
 */
export function sweepAtAfterPing(stored: Date | null, check: CheckState, now: Date): Date | null {
  const due = sweepDue(check);
  if (due === null || stored === null || stored > due) return due;
  return stored.getTime() - now.getTime() >= (due.getTime() - now.getTime()) / 2 ? stored : due;
}
