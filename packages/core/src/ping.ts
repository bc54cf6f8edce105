import { type CheckState, withDeadlines } from './check';
import { ValidationCode, ValidationError } from './errors';
import { type Flip, FlipReason, Status } from './status';
import { DAY } from './time';

export const PingKind = { success: 'success', start: 'start', fail: 'fail', log: 'log' } as const;
export type PingKind = (typeof PingKind)[keyof typeof PingKind];

/** What a ping is stored as: its kind, or `ignored` when it reached a paused check set to manual resume. */
export type StoredPingKind = PingKind | 'ignored';

/** A run longer than this is not a run we saw start; its duration is not recorded. */
const MAX_RUN_DURATION_MS = 7 * DAY * 1000;

export interface PingInput {
  kind: PingKind;
  at: Date;
  /** Run id pairing a start with its end; null when the client sent none. */
  rid: string | null;
  exitStatus: number | null;
  /**
   * When the run this ping ends started, when it is not the latest start the
   * check remembers (see `runClosedBy`): looked up by the caller.
   */
  runStartedAt?: Date | null;
}

/** The run an end ping closes: the latest start the check remembers, or an earlier run by its run id. */
export type ClosedRun = { latest: true } | { latest: false; rid: string };

/**
 * Which run a ping closes. Success and fail end a run: the latest start
 * the check remembers when the ping names no run id or that start's run id,
 * otherwise the run its run id names (runs of one job may overlap), whose
 * start is not on the check and must be looked up: the newest start ping
 * with that run id. Start and log pings close none (null).
 */
export function runClosedBy(check: Pick<CheckState, 'lastStartRid'>, ping: Pick<PingInput, 'kind' | 'rid'>): ClosedRun | null {
  if (ping.kind !== PingKind.success && ping.kind !== PingKind.fail) return null;
  return ping.rid === null || ping.rid === check.lastStartRid ? { latest: true } : { latest: false, rid: ping.rid };
}

export interface PingOutcome {
  check: CheckState;
  /** How the ping is stored, and how long the run it ends took (ms), if known. */
  stored: { kind: StoredPingKind; duration: number | null };
  /** The status change the ping caused, if any. */
  flip: Flip | null;
}

/** Parses the exit status in `/ping/<uuid>/<exit-status>`: a whole number 0–255; throws ValidationError. */
export function parseExitStatus(text: string): number {
  const code = /^\d{1,3}$/.test(text) ? Number(text) : Number.NaN;
  if (!(code >= 0 && code <= 255)) {
    throw new ValidationError(
      ValidationCode.invalidExitStatus,
      'exitStatus',
      `exit status must be a whole number from 0 to 255, got "${text}"`,
    );
  }
  return code;
}

/** An exit status ping is a success when 0 and a failure otherwise. */
export const pingKindForExitStatus = (code: number): PingKind => (code === 0 ? PingKind.success : PingKind.fail);

/** Whether the check records pings as `ignored` and lets them change nothing: paused, set to manual resume. */
export const ignoresPings = (check: Pick<CheckState, 'status' | 'manualResume'>): boolean =>
  check.status === Status.paused && check.manualResume;

/** What a ping does to a check. Pure: the caller stores the outcome. */
export function applyPing(check: CheckState, ping: PingInput): PingOutcome {
  if (ignoresPings(check)) {
    return { check, stored: { kind: 'ignored', duration: null }, flip: null };
  }
  switch (ping.kind) {
    case PingKind.log:
      return { check, stored: { kind: ping.kind, duration: null }, flip: null };
    case PingKind.start:
      return applyStart(check, ping);
    case PingKind.success:
    case PingKind.fail:
      return applyRunEnd(check, ping);
  }
}

function applyStart(check: CheckState, ping: PingInput): PingOutcome {
  const resumes = check.status === Status.paused;
  const next = withDeadlines({
    ...check,
    status: resumes ? Status.up : check.status,
    lastStart: ping.at,
    lastStartRid: ping.rid,
  });
  const flip = resumes ? flipOf(check.status, Status.up, FlipReason.started, ping) : null;
  return { check: next, stored: { kind: ping.kind, duration: null }, flip };
}

function applyRunEnd(check: CheckState, ping: PingInput): PingOutcome {
  const endsLatestRun = runClosedBy(check, ping)?.latest ?? true;
  const startedAt = endsLatestRun ? check.lastStart : (ping.runStartedAt ?? null);
  const elapsed = startedAt ? ping.at.getTime() - startedAt.getTime() : null;
  const duration = elapsed !== null && elapsed >= 0 && elapsed <= MAX_RUN_DURATION_MS ? elapsed : null;

  const status = ping.kind === PingKind.fail ? Status.down : Status.up;
  const next = withDeadlines({
    ...check,
    status,
    lastPing: ping.at,
    lastDuration: duration ?? check.lastDuration,
    lastStart: endsLatestRun ? null : check.lastStart,
    lastStartRid: endsLatestRun ? null : check.lastStartRid,
  });
  const reason = status === Status.down ? FlipReason.failed : FlipReason.success;
  const flip = status === check.status ? null : flipOf(check.status, status, reason, ping);
  return { check: next, stored: { kind: ping.kind, duration }, flip };
}

const flipOf = (from: Status, to: Status, reason: FlipReason, ping: PingInput): Flip => ({
  from,
  to,
  reason,
  at: ping.at,
  exitStatus: reason === FlipReason.failed ? ping.exitStatus : null,
  runs: null,
});
