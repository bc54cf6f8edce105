import type { FlipRuns } from './run-policy';

/** Where a check stands. Whether a run is in progress is separate: see `isRunning`. */
export const Status = {
  /** Created, never pinged: never alerts until its first ping (or a run that times out). */
  new: 'new',
  up: 'up',
  /** Past its expected time, still inside grace. */
  late: 'late',
  down: 'down',
  paused: 'paused',
} as const;
export type Status = (typeof Status)[keyof typeof Status];
export const STATUSES = Object.values(Status);

/** Statuses from which the sweep can take a check down. */
export const WATCHED_STATUSES = [Status.new, Status.up, Status.late] as const satisfies readonly Status[];

/** Whether time alone can take a check in `status` down. */
export const isWatched = (status: Status): boolean => (WATCHED_STATUSES as readonly Status[]).includes(status);

/** Why a status changed; recorded on every flip. */
export const FlipReason = {
  /** No ping arrived in time (to `late`, then to `down`). */
  missed: 'missed',
  /** A fail ping or a non-zero exit status. */
  failed: 'failed',
  /** A run started and did not finish within its max runtime (or grace). */
  timedOut: 'timed_out',
  /** A cron job's run started more than its early tolerance before its scheduled time. */
  early: 'early',
  /** A run started while as many runs as allowed were still open. */
  overlap: 'overlap',
  /** A run took far longer than usual, or longer than its maximum duration. */
  slow: 'slow',
  /** A run took far shorter than usual, or shorter than its minimum duration. */
  fast: 'fast',
  /** A check went down while a check it depends on was down: recorded, alerted with its parent's. */
  dependency: 'dependency',
  /** A success ping. */
  success: 'success',
  /** A start ping resumed a paused check. */
  started: 'started',
  paused: 'paused',
  resumed: 'resumed',
} as const;
export type FlipReason = (typeof FlipReason)[keyof typeof FlipReason];

/** A status change: the outbox entry alerting works from. */
export interface Flip {
  from: Status;
  to: Status;
  reason: FlipReason;
  at: Date;
  /** The job's exit status, for `failed` flips that carried one. */
  exitStatus: number | null;
  /** The runs that caused it (alert policies); null for flips not caused by runs. */
  runs: FlipRuns | null;
}

/** People are told about a check going down and about it coming back; other flips are only recorded. */
export const isAlerting = (flip: Pick<Flip, 'from' | 'to'>): boolean =>
  flip.to === Status.down || (flip.from === Status.down && flip.to === Status.up);
