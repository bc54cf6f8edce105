import { ValidationError } from '@cronbeat/core';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { FieldError } from '../errors';

interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

/**
 * One shape for every error. Client errors say what is wrong; server errors
 * are logged in full and answered with a generic message.
 */
export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ValidationError || error instanceof FieldError) {
      const body: ErrorBody = {
        error: { code: error.code, message: `${error.field}: ${error.message}`, fields: { [error.field]: error.message } },
      };
      return reply.status(400).send(body);
    }
    if (error.validation) {
      const fields = schemaFields(error.validation, error.validationContext);
      const message = Object.entries(fields)
        .map(([field, rule]) => `${field}: ${rule}`)
        .join('; ');
      const body: ErrorBody = { error: { code: 'CB_INVALID_REQUEST', message: message || error.message, fields } };
      return reply.status(400).send(body);
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.status(status).send({ error: { code: 'CB_INTERNAL', message: 'Internal server error' } } satisfies ErrorBody);
    }
    return reply.status(status).send({ error: { code: error.code ?? 'CB_ERROR', message: error.message } } satisfies ErrorBody);
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'CB_NOT_FOUND', message: `${request.method} ${request.url} not found` } } satisfies ErrorBody);
  });
});

/**
 * Names the field each schema violation is about, so `{ "grace": "x" }`
 * answers `grace: must be integer`, not `body/grace must be integer`.
 * Path parameters and headers keep their context (`params.id`) as they are
 * not fields of a document the caller wrote.
 */
function schemaFields(validation: NonNullable<FastifyError['validation']>, context: string | undefined): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of validation) {
    const params = issue.params as { missingProperty?: string; additionalProperty?: string };
    const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const child = params.missingProperty ?? params.additionalProperty;
    let field = [path, child].filter(Boolean).join('.');
    if (context && context !== 'body') field = field ? `${context === 'querystring' ? 'query' : context}.${field}` : context;
    let rule = issue.message ?? 'is invalid';
    if (params.missingProperty) rule = 'is required';
    if (params.additionalProperty) rule = 'is not a known field';
    // A nullable field that is neither null nor valid fails every branch of
    // its union; the branch that is not "null" says what is actually wanted.
    const key = field || 'body';
    if (fields[key] === undefined || fields[key] === 'must be null') fields[key] = rule;
  }
  return fields;
}
