import { type CheckState, runDeadline, withDeadlines } from './check';
import { countFailure } from './run-count';
import { endRun } from './run-judgement';
import { type FailedRun, RUN_POLICY_LIMITS, RunFailure } from './run-policy';
import { type Flip, FlipReason, isWatched, Status } from './status';

export interface Transition {
  check: CheckState;
  /** The status change; null when only what the check remembers changed (a failed run under its threshold). */
  flip: Flip | null;
}

/**
 * What the passing of time alone does to a check at `now`. When
 * `alertAfter` has passed, the run it waited for failed: a run that overran
 * timed out, otherwise the expected run was missed; the failure threshold
 * decides whether the check goes down. Under it, the next expected run is
 * waited for, and a sweep that comes late counts every expected time that
 * passed meanwhile, each once. Late when the expected time has passed inside
 * grace. Null when nothing changes, so a sweep can compare-and-set only real
 * changes.
 */
export function evaluate(check: CheckState, now: Date): Transition | null {
  let state = check;
  for (
    let counted = 0;
    counted < RUN_POLICY_LIMITS.threshold.max && isWatched(state.status) && state.alertAfter && now >= state.alertAfter;
    counted++
  ) {
    const deadline = runDeadline(state);
    const timedOut = deadline !== null && now >= deadline;
    const failure: FailedRun = timedOut
      ? { reason: RunFailure.timedOut, at: now, startedAt: state.lastStart! }
      : { reason: RunFailure.missed, at: now, scheduled: state.nextDue! };
    const result = countFailure(state, failure, false);
    if (result.flip) return { check: result.check, flip: result.flip };
    // Under the threshold the overrun is over: its run is closed, and the next one is waited for.
    state = timedOut ? closeTimedOutRun(result.check) : result.check;
  }
  // A missed run under the threshold leaves the check overdue: late, as it is before grace runs out.
  const missedOne =
    state.record.failures.length > check.record.failures.length && state.record.failures.at(-1)?.reason === RunFailure.missed;
  const overdue = !state.lastStart && state.nextDue && now >= state.nextDue;
  if (state.status === Status.up && (missedOne || overdue)) {
    return transition(state, Status.late, FlipReason.missed, now, check.status);
  }
  return state === check ? null : { check: state, flip: null };
}

function closeTimedOutRun(check: CheckState): CheckState {
  const { openRuns } = endRun(check.record.openRuns, check.lastStartRid);
  return withDeadlines({ ...check, lastStart: null, lastStartRid: null, record: { ...check.record, openRuns } });
}

/** Pauses a check: it stops alerting until resumed (or, without manual resume, until it pings). */
export function pause(check: CheckState, now: Date): PausedOrResumed | null {
  if (check.status === Status.paused) return null;
  const paused = { ...check, status: Status.paused, lastStart: null, lastStartRid: null, record: withoutCounts(check) };
  return transition(paused, Status.paused, FlipReason.paused, now, check.status);
}

/** Resumes a paused check as `new`: it waits for its next ping without alerting. */
export function resume(check: CheckState, now: Date): PausedOrResumed | null {
  if (check.status !== Status.paused) return null;
  return transition({ ...check, record: withoutCounts(check) }, Status.new, FlipReason.resumed, now);
}

/** A pause or resume: always a status change. */
export type PausedOrResumed = Transition & { flip: Flip };

/** Pausing or resuming starts the counts of failed and successful runs afresh; durations stay. */
const withoutCounts = (check: CheckState) => ({ ...check.record, failures: [], successes: 0, openRuns: [] });

function transition(check: CheckState, to: Status, reason: FlipReason, at: Date, from: Status = check.status): PausedOrResumed {
  return {
    check: withDeadlines({ ...check, status: to }),
    flip: { from, to, reason, at, exitStatus: null, runs: null },
  };
}
