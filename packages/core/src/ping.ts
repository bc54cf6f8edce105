import { type CheckState, withDeadlines } from './check';
import { ValidationCode, ValidationError } from './errors';
import { countFailure, countSuccess } from './run-count';
import { durationAnomaly, earlyRun, endRun, matchKeyword, startRun, withDuration } from './run-judgement';
import { type FailedRun, RunFailure } from './run-policy';
import { type Flip, FlipReason, Status } from './status';
import { DAY } from './time';

export const PingKind = { success: 'success', start: 'start', fail: 'fail', log: 'log' } as const;
export type PingKind = (typeof PingKind)[keyof typeof PingKind];

/**
 * What a ping is stored as: its kind, or `ignored` when it changed nothing
 * (it reached a paused check set to manual resume, or came by a method the
 * check does not take, see `takesMethod`), or `skipped` when a runner found
 * the check's run lock held and did not run the job (see `run-lock.ts`):
 * it too changes nothing, neither status nor run record.
 */
export type StoredPingKind = PingKind | 'ignored' | 'skipped';

/** A run longer than this is not a run we saw start; its duration is not recorded. */
const MAX_RUN_DURATION_MS = 7 * DAY * 1000;

/** Which request methods a check takes pings from: `''` any, `'POST'` only POST (Healthchecks' `methods`). */
export const PING_METHOD_SETTINGS = ['', 'POST'] as const;
export type PingMethods = (typeof PING_METHOD_SETTINGS)[number];

/** The method stored with a ping that came by email (its scheme is `email`). */
export const EMAIL_PING_METHOD = 'EMAIL';

/**
 * Whether a ping that came by `method` counts for a check that takes
 * `methods`. A check set to POST only ignores GET and HEAD: link previews,
 * chat unfurlers and crawlers fetch any URL they see, and a ping URL pasted
 * into a chat would otherwise report a run that never happened. The ping
 * is still stored (as `ignored`), so the log shows it came. An unknown
 * method (absent) counts, as does any ping to a check that takes any, and
 * an email ping: no previewer sends mail, so the setting is about HTTP.
 */
export const takesMethod = (methods: PingMethods | undefined, method: string | undefined): boolean =>
  methods !== 'POST' || method === undefined || method === 'POST' || method === EMAIL_PING_METHOD;

export interface PingInput {
  kind: PingKind;
  at: Date;
  /** The HTTP method it came by, for the check's `methods`; absent: not known, taken by every check. */
  method?: string;
  /** Run id pairing a start with its end; null when the client sent none. */
  rid: string | null;
  exitStatus: number | null;
  /** The body as text, for the check's keywords; null or absent when there is none (or it is not text). */
  body?: string | null;
  /**
   * When the run this ping ends started, when it is not the latest start the
   * check remembers (see `runClosedBy`): looked up by the caller.
   */
  runStartedAt?: Date | null;
  /**
   * Milliseconds the client says the run took (Cronitor's
   * `metric=duration:<s>`): the run's duration when no start ping pairs
   * with this end, which a measured one always beats.
   */
  reportedDuration?: number | null;
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
  /** How the ping is stored, how long the run it ends took (ms) if known, and the keyword that decided its kind. */
  stored: { kind: StoredPingKind; duration: number | null; keyword: string | null };
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

/**
 * What a ping does to a check. Pure: the caller stores the outcome. A
 * success or fail ping ends a run, which the check's alert policy judges
 * (see `judgeRunEnd`) and its thresholds count; a start ping may overlap
 * runs still open; a success or failure keyword in the body decides what a
 * ping is, whatever URL it came to, and a start keyword makes a start of a
 * plain success.
 */
export function applyPing(check: CheckState, ping: PingInput): PingOutcome {
  if (ignoresPings(check)) {
    return { check, stored: { kind: 'ignored', duration: null, keyword: null }, flip: null };
  }
  const found = ping.kind === PingKind.start ? null : matchKeyword(check.policy, ping.body);
  // A start keyword only tells a start from a plain success (a bare ping URL, an email, exit status 0):
  // it never turns a reported failure or a log line into a start, which would lose the failure.
  const match = found?.kind === PingKind.start && ping.kind !== PingKind.success ? null : found;
  const kind = match?.kind ?? ping.kind;
  const keyword = match?.keyword ?? null;
  switch (kind) {
    case PingKind.log:
      return { check, stored: { kind, duration: null, keyword: null }, flip: null };
    case PingKind.start:
      return applyStart(check, { ...ping, kind }, keyword);
    case PingKind.success:
    case PingKind.fail:
      return applyRunEnd(check, { ...ping, kind }, keyword);
  }
}

function applyStart(check: CheckState, ping: PingInput, keyword: string | null = null): PingOutcome {
  const resumes = check.status === Status.paused;
  const { openRuns, overlap } = startRun(check, ping.rid, ping.at);
  const started = withDeadlines({
    ...check,
    status: resumes ? Status.up : check.status,
    lastStart: ping.at,
    lastStartRid: ping.rid,
    record: openRuns.length === 0 && check.record.openRuns.length === 0 ? check.record : { ...check.record, openRuns },
  });
  const stored = { kind: ping.kind, duration: null, keyword };
  if (overlap) {
    const counted = countFailure(started, overlap, true);
    // A resumed check's flip says it resumed, unless the overlap took it down.
    const flip = counted.flip
      ? { ...counted.flip, from: check.status }
      : resumes
        ? flipOf(check.status, counted.check.status, FlipReason.started, ping.at)
        : null;
    return { check: counted.check, stored, flip };
  }
  return { check: started, stored, flip: resumes ? flipOf(check.status, Status.up, FlipReason.started, ping.at) : null };
}

function applyRunEnd(check: CheckState, ping: PingInput, keyword: string | null): PingOutcome {
  const endsLatestRun = runClosedBy(check, ping)?.latest ?? true;
  const startedAt = endsLatestRun ? check.lastStart : (ping.runStartedAt ?? null);
  const elapsed = startedAt ? ping.at.getTime() - startedAt.getTime() : null;
  const duration = plausibleDuration(elapsed) ?? plausibleDuration(ping.reportedDuration ?? null);

  const closed = endRun(check.record.openRuns, ping.rid);
  const ended: CheckState = {
    ...check,
    lastPing: ping.at,
    lastDuration: duration ?? check.lastDuration,
    lastStart: endsLatestRun ? null : check.lastStart,
    lastStartRid: endsLatestRun ? null : check.lastStartRid,
    record:
      duration === null && closed.openRuns === check.record.openRuns
        ? check.record
        : {
            ...check.record,
            openRuns: closed.openRuns,
            durations: duration === null ? check.record.durations : withDuration(check.record.durations, duration),
          },
  };
  const stored = { kind: ping.kind, duration, keyword };
  // A run already counted as failed when it started (it overlapped) counts nothing more as it ends.
  if (closed.counted) return { check: withDeadlines(ended), stored, flip: null };
  const failure = judgeRunEnd(check, ping, keyword, startedAt, duration);
  const counted = failure ? countFailure(ended, failure, true) : countSuccess(ended, ping.at);
  return { check: counted.check, stored, flip: counted.flip };
}

/**
 * Why a run that ended with `ping` failed, or null when it succeeded: a
 * fail ping (a non-zero exit status, a failure keyword), then a start too
 * early for the schedule, then a duration far from usual. Judged against
 * the check as it was before the run ended.
 */
function judgeRunEnd(
  check: CheckState,
  ping: PingInput,
  keyword: string | null,
  startedAt: Date | null,
  duration: number | null,
): FailedRun | null {
  if (ping.kind === PingKind.fail) {
    const failed: FailedRun = { reason: RunFailure.failed, at: ping.at, exitStatus: ping.exitStatus };
    if (keyword !== null) failed.keyword = keyword;
    return failed;
  }
  return (
    earlyRun(check, startedAt ?? ping.at, ping.at) ??
    (duration === null ? null : durationAnomaly(check.policy, check.record.durations, duration, ping.at))
  );
}

const plausibleDuration = (ms: number | null): number | null => (ms !== null && ms >= 0 && ms <= MAX_RUN_DURATION_MS ? ms : null);

const flipOf = (from: Status, to: Status, reason: FlipReason, at: Date) => ({ from, to, reason, at, exitStatus: null, runs: null });
