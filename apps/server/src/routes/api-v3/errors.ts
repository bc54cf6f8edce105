import { ValidationError } from '@cronbeat/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { FieldError } from '../../errors';

/**
 * An answer in Healthchecks' own words: `{ "error": "wrong api key" }` with
 * its status. Healthchecks' clients show these messages, so /api/v3 speaks
 * them rather than Cronbeat's `{ error: { code, message } }`.
 */
export class HealthchecksError extends Error {
  override readonly name = 'HealthchecksError';
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const checkNotFound = () => new HealthchecksError(404, 'check not found');

/** Our field names as Healthchecks calls them, for messages about a field the caller wrote under its Healthchecks name. */
const HEALTHCHECKS_FIELD: Record<string, string> = {
  description: 'desc',
  period: 'timeout',
  cron: 'schedule',
  onCalendar: 'schedule',
  manualResume: 'manual_resume',
  successKeywords: 'success_kw',
  failureKeywords: 'failure_kw',
  startKeywords: 'start_kw',
};

export const healthchecksField = (field: string): string => {
  const [top = field, ...rest] = field.split('.');
  return [HEALTHCHECKS_FIELD[top] ?? top, ...rest].join('.');
};

/** The error handler of /api/v3: Healthchecks' shape; details of a 5xx logged, not shown. */
export function answerInHealthchecksShape(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ValidationError || error instanceof FieldError) {
    const field = healthchecksField(error.field);
    if (error.field === 'cron' || error.field === 'onCalendar') {
      return reply
        .status(400)
        .send({ error: `json validation error: schedule is not a valid cron or OnCalendar expression (${error.message})` });
    }
    if (error.field === 'tz') return reply.status(400).send({ error: 'json validation error: tz is not a valid timezone' });
    return reply.status(400).send({ error: `json validation error: ${field}: ${error.message}` });
  }
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed');
    return reply.status(status).send({ error: 'internal server error' });
  }
  // Errors of Fastify itself (a body that is not JSON, too large) keep their status; Healthchecks' wording where it has one.
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return reply.status(400).send({ error: 'could not parse request body' });
  return reply.status(status).send({ error: error.message });
}
