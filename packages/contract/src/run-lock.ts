import { type Static, Type } from 'typebox';
import { ErrorResponse, Timestamp } from './common';
import { RUN_LOCK_LIMITS } from './values';

const { ttl, holderId, host, pid } = RUN_LOCK_LIMITS;

/** Printable text only: a host name is shown on one line of the ping log. */
const NO_CONTROL_CHARACTERS = '^[^\\u0000-\\u001f\\u007f]*$';

const Ttl = Type.Integer({
  minimum: ttl.min,
  maximum: ttl.max,
  description: `seconds the lease lasts unless renewed, ${ttl.min} to ${ttl.max}. Default: ${ttl.default}`,
});
const HolderId = Type.String({
  minLength: holderId.minLength,
  maxLength: holderId.maxLength,
  pattern: NO_CONTROL_CHARACTERS,
  description: "the runner's own random id (a UUID): only it renews and releases the lease",
});

/** `/ping/<ping-code>/lock`: the check's ping code, the secret of its ping URL. */
export const RunLockCodeParams = Type.Object({ code: Type.String() });
/** `/ping/<ping-key>/<slug>/lock`. */
export const RunLockSlugParams = Type.Object({ key: Type.String(), slug: Type.String() });

/** `POST …/lock`: ask for the lease. */
export const RunLockRequest = Type.Object(
  {
    ttl: Type.Optional(Ttl),
    holder: Type.Object(
      {
        id: HolderId,
        host: Type.String({ maxLength: host.maxLength, pattern: NO_CONTROL_CHARACTERS, description: "the runner's host name" }),
        pid: Type.Integer({ minimum: pid.min, maximum: pid.max, description: "the runner's process id" }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** `PUT …/lock`: extend the lease from now by `ttl`; only its holder may. */
export const RunLockRenewal = Type.Object({ holderId: HolderId, ttl: Type.Optional(Ttl) }, { additionalProperties: false });

/** `DELETE …/lock`: give the lease up; only its holder may. */
export const RunLockRelease = Type.Object({ holderId: HolderId }, { additionalProperties: false });

/** The lease granted or renewed. */
export const RunLockGrant = Type.Object({
  token: Type.Integer({
    description: 'the fencing token: one more than the previous grant of this check; a renewal keeps it (CRONBEAT_FENCING_TOKEN)',
  }),
  ttl: Type.Integer({ description: 'seconds' }),
  expiresAt: Timestamp,
});

/** The lease is someone else's: who, and since when. A `skipped` ping naming them was recorded. */
export const RunLockHeld = Type.Object({
  error: ErrorResponse.properties.error,
  holder: Type.Object({
    host: Type.String(),
    pid: Type.Integer(),
    since: Timestamp,
    expiresAt: Timestamp,
  }),
});

export type RunLockRequest = Static<typeof RunLockRequest>;
export type RunLockRenewal = Static<typeof RunLockRenewal>;
export type RunLockRelease = Static<typeof RunLockRelease>;
export type RunLockGrant = Static<typeof RunLockGrant>;
export type RunLockHeld = Static<typeof RunLockHeld>;
