/**
 * Alert policies: how a check judges each run (keywords in its output, too
 * early, overlapping, unusually slow or fast) and how many failed or
 * successful runs in a row it takes to change its status. The settings are
 * per check (`RunPolicy`); what the check remembers between runs to apply
 * them is its `RunRecord`. Pure.
 */
import { DAY } from './time';

/** Judging run durations: against the check's own history, or against fixed bounds. */
export type DurationAnomaly =
  /** Slow above `factor` × the median of the last runs, fast below the median ÷ `factor`; needs 10 runs of history. */
  | { mode: 'auto'; factor: number }
  /** Seconds: slow above `maxDuration`, fast below `minDuration`; null: no bound on that side. */
  | { mode: 'bounds'; minDuration: number | null; maxDuration: number | null };

/** A check's alert policy settings. */
export interface RunPolicy {
  /** Failed runs in a row before the check goes down. */
  failureThreshold: number;
  /** Successful runs in a row before a down check comes back up. */
  recoveryThreshold: number;
  /** A ping whose body contains one of these (case-insensitive) is a successful run, whatever URL it came to. */
  successKeywords: readonly string[];
  /** A ping whose body contains one of these (case-insensitive) is a failed run; wins over a success keyword. */
  failureKeywords: readonly string[];
  /**
   * A success ping whose body contains one of these (case-insensitive)
   * starts a run instead, unless a failure or success keyword is in it too:
   * for jobs that can only send mail, whose one address must tell start from
   * end. A failure or log ping is never made a start.
   */
  startKeywords: readonly string[];
  /** Seconds: a cron job's run that starts more than this before its scheduled time failed (`early`); null: off. */
  earlyTolerance: number | null;
  /** Runs open at once above this fail (`overlap`); null: off. */
  maxConcurrentRuns: number | null;
  durationAnomaly: DurationAnomaly | null;
}

export const RUN_POLICY_LIMITS = {
  threshold: { min: 1, max: 100 },
  keywords: { maxItems: 20, maxLength: 200 },
  /** Seconds. */
  earlyTolerance: { min: 1, max: DAY },
  maxConcurrentRuns: { min: 1, max: 100 },
  factor: { min: 1.5, max: 100, default: 3 },
  /** Seconds. */
  duration: { min: 0, max: 7 * DAY },
  /** Runs whose durations are kept, and how many `auto` needs before it judges. */
  history: { kept: 20, needed: 10 },
} as const;

export const DEFAULT_RUN_POLICY: RunPolicy = {
  failureThreshold: 1,
  recoveryThreshold: 1,
  successKeywords: [],
  failureKeywords: [],
  startKeywords: [],
  earlyTolerance: null,
  maxConcurrentRuns: null,
  durationAnomaly: null,
};

/** Why a run counts as failed. */
export const RunFailure = {
  /** A fail ping, a non-zero exit status, or a failure keyword in the body. */
  failed: 'failed',
  /** It started and did not end within its max runtime. */
  timedOut: 'timed_out',
  /** An expected run never arrived. */
  missed: 'missed',
  early: 'early',
  overlap: 'overlap',
  slow: 'slow',
  fast: 'fast',
} as const;
export type RunFailure = (typeof RunFailure)[keyof typeof RunFailure];

/** A failed run and the numbers that made it one; only the fields of its reason are set. */
export interface FailedRun {
  reason: RunFailure;
  /** When it was judged: the ping's time, or the deadline the sweep found passed. */
  at: Date;
  /** `failed`: the job's exit status, when it sent one. */
  exitStatus?: number | null;
  /** `failed`: the failure keyword its body contained. */
  keyword?: string;
  /** `missed` and `early`: when it was scheduled or expected. */
  scheduled?: Date;
  /** `early` and `timed_out`: when it started (or, without a start ping, ended). `overlap`: when the run still open started. */
  startedAt?: Date;
  /** `overlap`: the run id of the run still open (null when it sent none). */
  openRid?: string | null;
  /** `slow` and `fast`: milliseconds the run took. */
  duration?: number;
  /** `slow` and `fast` in `auto` mode: the median of the last runs, milliseconds. */
  median?: number;
  /** `slow` and `fast`: the bound it crossed, milliseconds (factor × median, median ÷ factor, or the explicit bound). */
  limit?: number;
}

/** A run started and not ended, for `maxConcurrentRuns`. */
export interface OpenRun {
  rid: string | null;
  at: Date;
  /** Already counted as a failed run (`overlap`): its end counts nothing more. */
  counted: boolean;
}

/** What a check remembers between runs to apply its policy. */
export interface RunRecord {
  /** Failed runs in a row since the last success, while the check is not down; oldest first. */
  failures: readonly FailedRun[];
  /** Successful runs in a row while the check is down. */
  successes: number;
  /** Runs open now, oldest first; kept only while `maxConcurrentRuns` is set. */
  openRuns: readonly OpenRun[];
  /** Milliseconds the last completed runs took, oldest first (at most `history.kept`). */
  durations: readonly number[];
}

export const EMPTY_RUN_RECORD: RunRecord = { failures: [], successes: 0, openRuns: [], durations: [] };

/** What a flip says of the runs that caused it. */
export interface FlipRuns {
  /** To down: the failed runs in a row that took it down, oldest first; the last one tipped it. */
  failures?: readonly FailedRun[];
  failureThreshold?: number;
  /** Back up with a recovery threshold above 1: the successful runs in a row that brought it back. */
  successes?: number;
  recoveryThreshold?: number;
}
