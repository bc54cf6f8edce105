import { type CheckState, runDeadline, withDeadlines } from './check';
import { type Flip, FlipReason, isWatched, Status } from './status';

export interface Transition {
  check: CheckState;
  flip: Flip;
}

/**
 * What the passing of time alone does to a check at `now`: down when
 * `alertAfter` has passed (a run that overran is `timed_out`, otherwise
 * `missed`), late when the expected time has passed inside grace. Null when
 * nothing changes, so a sweep can compare-and-set only real changes.
 */
export function evaluate(check: CheckState, now: Date): Transition | null {
  if (isWatched(check.status) && check.alertAfter && now >= check.alertAfter) {
    const deadline = runDeadline(check);
    const reason = deadline && now >= deadline ? FlipReason.timedOut : FlipReason.missed;
    return transition(check, Status.down, reason, now);
  }
  if (check.status === Status.up && !check.lastStart && check.nextDue && now >= check.nextDue) {
    return transition(check, Status.late, FlipReason.missed, now);
  }
  return null;
}

/** Pauses a check: it stops alerting until resumed (or, without manual resume, until it pings). */
export function pause(check: CheckState, now: Date): Transition | null {
  if (check.status === Status.paused) return null;
  const paused = { ...check, status: Status.paused, lastStart: null, lastStartRid: null };
  return transition(paused, Status.paused, FlipReason.paused, now, check.status);
}

/** Resumes a paused check as `new`: it waits for its next ping without alerting. */
export function resume(check: CheckState, now: Date): Transition | null {
  if (check.status !== Status.paused) return null;
  return transition(check, Status.new, FlipReason.resumed, now);
}

function transition(check: CheckState, to: Status, reason: FlipReason, at: Date, from: Status = check.status): Transition {
  return {
    check: withDeadlines({ ...check, status: to }),
    flip: { from, to, reason, at, exitStatus: null, runs: null },
  };
}
