import createError from '@fastify/error';

/**
 * Domain errors carry a code and an HTTP status; the error handler turns
 * them into `{ error: { code, message } }`.
 */
export const NotFound = createError('CB_NOT_FOUND', '%s not found', 404);
export const BadRequest = createError('CB_BAD_REQUEST', '%s', 400);
