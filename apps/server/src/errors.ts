import createError from '@fastify/error';

/**
 * Domain errors carry a code and an HTTP status; the error handler turns
 * them into `{ error: { code, message } }`.
 */
export const NotFound = createError('CB_NOT_FOUND', '%s not found', 404);
export const BadRequest = createError('CB_BAD_REQUEST', '%s', 400);
export const Unauthorized = createError('CB_UNAUTHORIZED', '%s', 401);
export const Forbidden = createError('CB_FORBIDDEN', '%s', 403);
export const CrossOrigin = createError('CB_CROSS_ORIGIN', 'cross-origin request refused: Origin must be %s', 403);
export const Conflict = createError('CB_CONFLICT', '%s', 409);
export const RegistrationClosed = createError('CB_REGISTRATION_CLOSED', 'sign-up is closed on this server', 403);
export const RateLimited = createError('CB_RATE_LIMITED', 'too many requests: retry in %s', 429);
/** `?create=1` made too many checks with a ping key this minute; the message says how many and when to retry. */
export const CreationsRateLimited = createError('CB_RATE_LIMITED', '%s', 429);

/**
 * Input that the request schema allows but a rule across fields refuses
 * (both `period` and `cron`, say). Answered like core's ValidationError:
 * 400 with the field named.
 */
export class FieldError extends Error {
  override readonly name = 'FieldError';
  readonly code = 'CB_INVALID_FIELD';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
