/**
 * Thresholds: how a judged run moves a check's status. A check goes down
 * only after `failureThreshold` failed runs in a row and comes back only
 * after `recoveryThreshold` successful ones; under the threshold the runs
 * are counted in its `RunRecord` and nobody is alerted. Pure.
 */
import { type CheckState, withDeadlines } from './check';
import type { FailedRun } from './run-policy';
import { type Flip, FlipReason, Status } from './status';

export interface Counted {
  check: CheckState;
  /** The status change, if the run made one. */
  flip: Flip | null;
}

/**
 * Counts a failed run. A down check stays down and starts its recovery
 * count again. Otherwise the run joins the failures in a row; at the
 * threshold the check goes down, and the flip lists them. Under it, a run
 * that arrived (`ran`) leaves the check up, while one that time alone
 * judged (missed, timed out) leaves its status as it was.
 */
export function countFailure(check: CheckState, failure: FailedRun, ran: boolean): Counted {
  const { record, policy } = check;
  if (check.status === Status.down) {
    return { check: withDeadlines({ ...check, record: { ...record, successes: 0 } }), flip: null };
  }
  const failures = [...record.failures, failure];
  if (failures.length >= policy.failureThreshold) {
    const down = withDeadlines({ ...check, status: Status.down, record: { ...record, failures: [], successes: 0 } });
    const flip: Flip = {
      from: check.status,
      to: Status.down,
      reason: failure.reason,
      at: failure.at,
      exitStatus: failure.exitStatus ?? null,
      runs: { failures, failureThreshold: policy.failureThreshold },
    };
    return { check: down, flip };
  }
  const status = ran ? Status.up : check.status;
  const next = withDeadlines({ ...check, status, record: { ...record, failures } });
  const flip: Flip | null =
    status === check.status
      ? null
      : { from: check.status, to: status, reason: failure.reason, at: failure.at, exitStatus: failure.exitStatus ?? null, runs: null };
  return { check: next, flip };
}

/**
 * Counts a successful run at `at`. It ends any failures in a row; a down
 * check comes back up once it has `recoveryThreshold` in a row.
 */
export function countSuccess(check: CheckState, at: Date): Counted {
  const { record, policy } = check;
  if (check.status === Status.down) {
    const successes = record.successes + 1;
    if (successes < policy.recoveryThreshold) {
      return { check: withDeadlines({ ...check, record: { ...record, successes } }), flip: null };
    }
    const up = withDeadlines({ ...check, status: Status.up, record: { ...record, failures: [], successes: 0 } });
    const runs = policy.recoveryThreshold > 1 ? { successes, recoveryThreshold: policy.recoveryThreshold } : null;
    return { check: up, flip: { from: Status.down, to: Status.up, reason: FlipReason.success, at, exitStatus: null, runs } };
  }
  const cleared = record.failures.length === 0 && record.successes === 0 ? record : { ...record, failures: [], successes: 0 };
  const up = withDeadlines({ ...check, status: Status.up, record: cleared });
  const flip: Flip | null =
    check.status === Status.up ? null : { from: check.status, to: Status.up, reason: FlipReason.success, at, exitStatus: null, runs: null };
  return { check: up, flip };
}
