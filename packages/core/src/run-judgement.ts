/**
 * Judging one run by the check's alert policy: keywords in its output, a
 * start too early for its schedule, more runs open at once than allowed,
 * and a duration far from usual. Each returns the failed run it found, or
 * null. Pure.
 */
import type { CheckState } from './check';
import { runLimit } from './check';
import type { PingKind } from './ping';
import { type FailedRun, type OpenRun, RUN_POLICY_LIMITS, RunFailure, type RunPolicy } from './run-policy';
import { isCalendarSchedule, nextExpected } from './schedule';

/** The keyword that decides what a ping is: failure keywords first, then success, then start. */
export interface KeywordMatch {
  kind: typeof PingKind.success | typeof PingKind.fail | typeof PingKind.start;
  keyword: string;
}

/**
 * The keyword a ping body contains (case-insensitive): failure keywords
 * first, so a body reporting both an error and a done line is a failure;
 * then success keywords, so a report that quotes its own start line still
 * ends the run; start keywords last. Null when the check sets none or none
 * is in the body: the ping is then what its URL (or, for mail, success) says.
 */
export function matchKeyword(
  policy: Pick<RunPolicy, 'successKeywords' | 'failureKeywords' | 'startKeywords'>,
  body: string | null | undefined,
): KeywordMatch | null {
  const lists = [
    ['fail', policy.failureKeywords],
    ['success', policy.successKeywords],
    ['start', policy.startKeywords],
  ] as const;
  if (!body || lists.every(([, keywords]) => keywords.length === 0)) return null;
  const text = body.toLowerCase();
  for (const [kind, keywords] of lists) {
    const keyword = keywords.find((word) => text.includes(word.toLowerCase()));
    if (keyword !== undefined) return { kind, keyword };
  }
  return null;
}

/**
 * When a run at `ranAt` was scheduled: the check's next expected time while
 * it has one (the run after its last one), otherwise the scheduled time
 * nearest to the run, before or after it; null when the schedule has no
 * time after the run (an OnCalendar date in the past).
 */
export function scheduledTimeOf(check: Pick<CheckState, 'schedule' | 'nextDue'>, ranAt: Date): Date | null {
  if (check.nextDue) return check.nextDue;
  const next = nextExpected(check.schedule, ranAt);
  if (next === null) return null;
  const ahead = next.getTime() - ranAt.getTime();
  // The first scheduled time after (ranAt - ahead) is at or before the run when an earlier one is as near.
  const earlier = nextExpected(check.schedule, new Date(ranAt.getTime() - ahead - 1));
  return earlier !== null && earlier <= ranAt ? earlier : next;
}

/**
 * A cron or OnCalendar job's run that started (or, without a start ping,
 * ended) at `ranAt`, more than the early tolerance before its scheduled
 * time. The scheduled times follow core's cron and OnCalendar rules, so a
 * job the daemon runs at the DST jump is on time then.
 */
export function earlyRun(check: CheckState, ranAt: Date, at: Date): FailedRun | null {
  const tolerance = check.policy.earlyTolerance;
  if (tolerance === null || !isCalendarSchedule(check.schedule)) return null;
  const scheduled = scheduledTimeOf(check, ranAt);
  if (scheduled === null || scheduled.getTime() - ranAt.getTime() <= tolerance * 1000) return null;
  return { reason: RunFailure.early, at, scheduled, startedAt: ranAt };
}

/**
 * The open runs after a start at `at` with run id `rid`, and whether it
 * overlaps: more runs open at once than `maxConcurrentRuns`. Runs open
 * longer than the run limit are dropped first (the max runtime rule has
 * closed them), so a job that crashed does not make every later run
 * overlap; a run id started again replaces its earlier start. Open runs
 * are kept only while the policy is set.
 */
export function startRun(check: CheckState, rid: string | null, at: Date): { openRuns: OpenRun[]; overlap: FailedRun | null } {
  const max = check.policy.maxConcurrentRuns;
  if (max === null) return { openRuns: [], overlap: null };
  const limitMs = runLimit(check) * 1000;
  const open = check.record.openRuns.filter((run) => at.getTime() - run.at.getTime() < limitMs && (rid === null || run.rid !== rid));
  const oldest = open[0];
  const overlap: FailedRun | null =
    open.length >= max && oldest ? { reason: RunFailure.overlap, at, openRid: oldest.rid, startedAt: oldest.at } : null;
  const openRuns = [...open, { rid, at, counted: overlap !== null }].slice(-(RUN_POLICY_LIMITS.maxConcurrentRuns.max + 1));
  return { openRuns, overlap };
}

/**
 * The open runs after a run ends: the run with the ping's run id, or
 * without one the newest run (as `runClosedBy` pairs them); and whether
 * that run was already counted (it overlapped), so its end counts nothing.
 */
export function endRun(openRuns: readonly OpenRun[], rid: string | null): { openRuns: readonly OpenRun[]; counted: boolean } {
  if (openRuns.length === 0) return { openRuns, counted: false };
  let index = openRuns.length - 1;
  if (rid !== null) {
    index = openRuns.findIndex((run) => run.rid === rid);
    if (index < 0) return { openRuns, counted: false };
  }
  return { openRuns: openRuns.filter((_, i) => i !== index), counted: openRuns[index]!.counted };
}

/**
 * A run's duration and its check's usual ones differ by less than this in
 * absolute terms: not an anomaly, however large the ratio (a 50 ms job that
 * took 200 ms).
 */
const ANOMALY_FLOOR_MS = 1000;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * A run that took unusually long or short: beyond the explicit bounds, or
 * in `auto` mode (once the check has enough history) more than `factor` ×
 * the median of its last runs, or less than the median ÷ `factor`.
 * `durations` are the runs before this one.
 */
export function durationAnomaly(policy: RunPolicy, durations: readonly number[], duration: number, at: Date): FailedRun | null {
  const anomaly = policy.durationAnomaly;
  if (anomaly === null) return null;
  if (anomaly.mode === 'bounds') {
    if (anomaly.maxDuration !== null && duration > anomaly.maxDuration * 1000) {
      return { reason: RunFailure.slow, at, duration, limit: anomaly.maxDuration * 1000 };
    }
    if (anomaly.minDuration !== null && duration < anomaly.minDuration * 1000) {
      return { reason: RunFailure.fast, at, duration, limit: anomaly.minDuration * 1000 };
    }
    return null;
  }
  const { kept, needed } = RUN_POLICY_LIMITS.history;
  if (durations.length < needed) return null;
  const usual = median(durations.slice(-kept));
  const slowAbove = usual * anomaly.factor;
  const fastBelow = usual / anomaly.factor;
  if (duration > slowAbove && duration - usual >= ANOMALY_FLOOR_MS) {
    return { reason: RunFailure.slow, at, duration, median: usual, limit: Math.round(slowAbove) };
  }
  if (duration < fastBelow && usual - duration >= ANOMALY_FLOOR_MS) {
    return { reason: RunFailure.fast, at, duration, median: usual, limit: Math.round(fastBelow) };
  }
  return null;
}

/** `durations` with a completed run's added, oldest dropped beyond what is kept. */
export const withDuration = (durations: readonly number[], duration: number): number[] =>
  [...durations, duration].slice(-RUN_POLICY_LIMITS.history.kept);
