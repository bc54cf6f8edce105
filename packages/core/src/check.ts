import { nextExpected, type Schedule } from './schedule';
import { Status } from './status';
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
}

/** A check as created: `new`, never pinged, with no deadlines yet. */
export const newCheckState = (
  settings: Pick<CheckState, 'schedule' | 'grace'> & Partial<Pick<CheckState, 'maxRuntime' | 'manualResume'>>,
): CheckState => ({
  status: Status.new,
  maxRuntime: null,
  manualResume: false,
  ...settings,
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
 * Recomputes `nextDue` and `alertAfter` from the rest of the state. A run in
 * progress is judged by its own deadline alone, as a job that has started
 * is not missing; `new` checks only go down when a run times out.
 */
export function withDeadlines(check: CheckState): CheckState {
  const watched = check.status === Status.up || check.status === Status.late;
  const nextDue = watched && check.lastPing ? nextExpected(check.schedule, check.lastPing) : null;
  const running = runDeadline(check);
  let alertAfter: Date | null = null;
  if (watched) alertAfter = running ?? (nextDue && addSeconds(nextDue, check.grace));
  else if (check.status === Status.new) alertAfter = running;
  return { ...check, nextDue, alertAfter };
}
