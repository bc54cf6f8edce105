import { Type } from 'typebox';
import { INT32_MAX, NullableTimestamp, Timestamp, Uuid } from './common';

export const PingParams = Type.Object({ id: Uuid, n: Type.Integer({ minimum: 1, maximum: INT32_MAX }) });

export const PingQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Default: 50' })),
    before: Type.Optional(Type.Integer({ minimum: 1, maximum: INT32_MAX, description: 'cursor: the nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);

export const Ping = Type.Object({
  n: Type.Integer(),
  kind: Type.String(),
  createdAt: Timestamp,
  exitStatus: Type.Union([Type.Integer(), Type.Null()]),
  rid: Type.Union([Uuid, Type.Null()]),
  method: Type.String(),
  scheme: Type.String(),
  remoteAddr: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  bodySize: Type.Integer({ description: 'bytes sent; GET …/pings/:n/body for the stored part' }),
  duration: Type.Union([Type.Integer(), Type.Null()], { description: 'milliseconds' }),
});

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

export const Flip = Type.Object({
  from: Type.String(),
  to: Type.String(),
  reason: Type.String(),
  exitStatus: Type.Union([Type.Integer(), Type.Null()]),
  at: Timestamp,
  processedAt: NullableTimestamp,
});
