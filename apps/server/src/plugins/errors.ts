import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ValidationError } from '@cronbeat/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
    if (isClientAbort(error)) {
      // The client went away (or stalled past the request timeout): there is nobody to answer and nothing of ours failed.
      request.log.debug({ code: error.code }, `client aborted: ${error.message}`);
      return reply.status(400).send({ error: { code: 'CB_CLIENT_ABORTED', message: 'the request was not received in full' } });
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

const ABORT_CODES = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);

/**
 * Whether `error` is the client going away mid-request: a closed
 * connection, a killed `curl`, a body cut off by the request timeout. Node
 * says so in several ways (`ECONNRESET` with "aborted", a premature close).
 * Such errors are the client's doing and are logged at debug, never as our
 * failure with a stack trace.
 */
export function isClientAbort(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (typeof code === 'string' && ABORT_CODES.has(code)) || message === 'aborted' || message === 'premature close';
}

const CLIENT_ERRORS: Record<string, [status: number, code: string, message: string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'CB_REQUEST_TIMEOUT', 'the request was not received in time'],
  HPE_HEADER_OVERFLOW: [431, 'CB_HEADERS_TOO_LARGE', 'the request headers are too large'],
};
const MALFORMED: [number, string, string] = [400, 'CB_MALFORMED_REQUEST', 'the request is not valid HTTP'];

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before
 * Fastify sees a request (a request past its timeout, malformed HTTP, a
 * reset) gets one debug line and, while the socket can still take it, an
 * answer in our error shape, with nosniff like every other answer.
 */
export function answerClientError(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  this.log.debug({ code: error.code }, `client error: ${error.message}`);
  if (socket.destroyed) return;
  if (socket.writable && error.code !== 'ECONNRESET') {
    const [status, code, message] = CLIENT_ERRORS[error.code ?? ''] ?? MALFORMED;
    const body = JSON.stringify({ error: { code, message } } satisfies ErrorBody);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * Fastify's `frameworkErrors`: a URL that does not decode (`%E0%A4%A`) or a
 * path segment past the router's limit is refused before any route or hook
 * runs, so the answer is made here, in our shape and with nosniff.
 */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const body: ErrorBody = {
    error: tooLong
      ? { code: 'CB_URL_TOO_LONG', message: 'a segment of the URL is too long' }
      : { code: 'CB_BAD_URL', message: 'the URL is not valid: a percent-encoded part does not decode' },
  };
  reply
    .header('x-content-type-options', 'nosniff')
    .status(tooLong ? 414 : 400)
    .send(body);
}
