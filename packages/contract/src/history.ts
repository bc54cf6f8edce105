import { type Static, Type } from 'typebox';
import { IdParams, NullableTimestamp, oneOf, Timestamp, Uuid } from './common';
import { FLIP_REASONS, INT32_MAX, RUN_FAILURES, STATUSES, STORED_PING_KINDS } from './values';

export const PingParams = Type.Object({ ...IdParams.properties, n: Type.Integer({ minimum: 1, maximum: INT32_MAX }) });

export const PingQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Default: 50' })),
    before: Type.Optional(Type.Integer({ minimum: 1, maximum: INT32_MAX, description: 'cursor: the nextCursor of the previous page' })),
    until: Type.Optional(
      Type.String({ format: 'date-time', description: 'only pings received at or before this time (an incident that ended then)' }),
    ),
  },
  { additionalProperties: false },
);

export const Ping = Type.Object({
  n: Type.Integer({ description: "the ping's number within its check, from 1" }),
  kind: oneOf(STORED_PING_KINDS, {
    description:
      'ignored: it reached a paused check set to manual resume, or came by a method the check does not take; ' +
      'skipped: a runner found the run lock held and did not run the job (its body names the holder)',
  }),
  createdAt: Timestamp,
  exitStatus: Type.Union([Type.Integer(), Type.Null()]),
  rid: Type.Union([Uuid, Type.Null()]),
  method: Type.String(),
  scheme: Type.String(),
  remoteAddr: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  bodySize: Type.Integer({ description: 'bytes sent; GET …/pings/:n/body for the stored part' }),
  duration: Type.Union([Type.Integer(), Type.Null()], { description: 'milliseconds, for the end of a run that had a start' }),
  keyword: Type.Union([Type.String(), Type.Null()], {
    description: "the check's failure, success or start keyword found in the body that decided the ping's kind; null when none did",
  }),
});

/** `GET /checks/:id/pings`: newest first, a page at a time. */
export const PingPage = Type.Object({
  pings: Type.Array(Ping),
  nextCursor: Type.Union([Type.Integer(), Type.Null()], { description: 'pass as "before" for older pings; null at the end' }),
});

export const FlipQuery = Type.Object(
  {
    since: Type.Optional(Timestamp),
    until: Type.Optional(Timestamp),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Default: 100' })),
  },
  { additionalProperties: false },
);

const FlipStatus = oneOf(STATUSES);

/** A run that counted as failed, with the numbers that made it one; only the fields of its reason are present. */
export const FailedRun = Type.Object({
  reason: oneOf(RUN_FAILURES),
  at: Timestamp,
  exitStatus: Type.Optional(Type.Union([Type.Integer(), Type.Null()], { description: "failed: the job's exit status, when it sent one" })),
  keyword: Type.Optional(Type.String({ description: 'failed: the failure keyword its body contained' })),
  scheduled: Type.Optional(Type.String({ format: 'date-time', description: 'missed and early: when it was scheduled or expected' })),
  startedAt: Type.Optional(
    Type.String({
      format: 'date-time',
      description: 'early and timed_out: when it started (or, without a start ping, ended); overlap: when the run still open started',
    }),
  ),
  openRid: Type.Optional(
    Type.Union([Uuid, Type.Null()], { description: 'overlap: the run id of the run still open; null when it sent none' }),
  ),
  duration: Type.Optional(Type.Integer({ description: 'slow and fast: milliseconds the run took' })),
  median: Type.Optional(Type.Number({ description: 'slow and fast in auto mode: median of the last runs, milliseconds' })),
  limit: Type.Optional(Type.Number({ description: 'slow and fast: the bound it crossed, milliseconds' })),
});

/** What a flip says of the runs that caused it. */
export const FlipRuns = Type.Object({
  failures: Type.Optional(
    Type.Array(FailedRun, {
      description: 'to down: the failed runs in a row that took the check down, oldest first; the last one tipped it',
    }),
  ),
  failureThreshold: Type.Optional(Type.Integer()),
  successes: Type.Optional(Type.Integer({ description: 'back up: the successful runs in a row that brought it back' })),
  recoveryThreshold: Type.Optional(Type.Integer()),
});
/** A status change of a check. */
export const Flip = Type.Object({
  id: Type.Optional(Type.Integer({ description: "the flip; its notifications' attempts are at /checks/{id}/flips/{flipId}/deliveries" })),
  from: FlipStatus,
  to: FlipStatus,
  reason: oneOf(FLIP_REASONS),
  exitStatus: Type.Union([Type.Integer(), Type.Null()], { description: "the job's exit status, for failures that carried one" }),
  at: Timestamp,
  processedAt: NullableTimestamp,
  runs: Type.Union([FlipRuns, Type.Null()], { description: 'the runs that caused the flip; null for flips not caused by runs' }),
  acknowledgedAt: Type.Optional(
    Type.Union([Timestamp, Type.Null()], {
      description: 'to down: when a person acknowledged the incident this flip began (it gets no more reminders); null until then',
    }),
  ),
  acknowledgedBy: Type.Optional(
    Type.Union([Type.String(), Type.Null()], {
      description: 'the email of who acknowledged it; null when not acknowledged, acknowledged with an API key, or the account is gone',
    }),
  ),
});
/** `GET /checks/:id/flips`: newest first. */
export const FlipList = Type.Object({ flips: Type.Array(Flip) });

/** `POST /checks/:id/acknowledge`: the incident acknowledged, its flip to down, as acknowledged (first by whoever came first). */
export const Acknowledgement = Type.Object({ flip: Flip });

export type PingParams = Static<typeof PingParams>;
export type PingQuery = Static<typeof PingQuery>;
export type Ping = Static<typeof Ping>;
export type PingPage = Static<typeof PingPage>;
export type FlipQuery = Static<typeof FlipQuery>;
export type FailedRun = Static<typeof FailedRun>;
export type FlipRuns = Static<typeof FlipRuns>;
export type Flip = Static<typeof Flip>;
export type FlipList = Static<typeof FlipList>;
export type Acknowledgement = Static<typeof Acknowledgement>;
