import { ValidationError } from '@cronbeat/core';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

/**
 * One shape for every error. Client errors say what is wrong; server errors
 * are logged in full and answered with a generic message.
 */
export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ValidationError) {
      const body: ErrorBody = {
        error: { code: error.code, message: `${error.field}: ${error.message}`, fields: { [error.field]: error.message } },
      };
      return reply.status(400).send(body);
    }
    if (error.validation) {
      const body: ErrorBody = { error: { code: 'CB_INVALID_REQUEST', message: error.message } };
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
