import { type Static, Type } from 'typebox';
import { IdParams, NullableTimestamp, oneOf, Timestamp, Uuid } from './common';
import { FLIP_REASONS, INT32_MAX, STATUSES, STORED_PING_KINDS } from './values';

export const PingParams = Type.Object({ ...IdParams.properties, n: Type.Integer({ minimum: 1, maximum: INT32_MAX }) });

export const PingQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Default: 50' })),
    before: Type.Optional(Type.Integer({ minimum: 1, maximum: INT32_MAX, description: 'cursor: the nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);

export const Ping = Type.Object({
  n: Type.Integer({ description: "the ping's number within its check, from 1" }),
  kind: oneOf(STORED_PING_KINDS, { description: 'ignored: it reached a paused check set to manual resume' }),
  createdAt: Timestamp,
  exitStatus: Type.Union([Type.Integer(), Type.Null()]),
  rid: Type.Union([Uuid, Type.Null()]),
  method: Type.String(),
  scheme: Type.String(),
  remoteAddr: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  bodySize: Type.Integer({ description: 'bytes sent; GET …/pings/:n/body for the stored part' }),
  duration: Type.Union([Type.Integer(), Type.Null()], { description: 'milliseconds, for the end of a run that had a start' }),
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
/** A status change of a check. */
export const Flip = Type.Object({
  from: FlipStatus,
  to: FlipStatus,
  reason: oneOf(FLIP_REASONS),
  exitStatus: Type.Union([Type.Integer(), Type.Null()], { description: "the job's exit status, for failures that carried one" }),
  at: Timestamp,
  processedAt: NullableTimestamp,
});
/** `GET /checks/:id/flips`: newest first. */
export const FlipList = Type.Object({ flips: Type.Array(Flip) });

export type PingParams = Static<typeof PingParams>;
export type PingQuery = Static<typeof PingQuery>;
export type Ping = Static<typeof Ping>;
export type PingPage = Static<typeof PingPage>;
export type FlipQuery = Static<typeof FlipQuery>;
export type Flip = Static<typeof Flip>;
export type FlipList = Static<typeof FlipList>;
