import { CheckInError, ValidationError } from '@cronbeat/core';
import { projectBySentryDsn, type SentryProject } from '@cronbeat/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FieldError } from '../../errors';
import { sourceAddress, storedUserAgent } from '../../ping/address';
import { PingNotStoredError } from '../../ping/recorder';
import { BodyError, decodedBody, SENTRY_BODY_LIMIT } from './body';
import { type CheckIn, type CheckInFields, CheckInRecorder, MonitorNotCreated, type PingSource, readCheckIn } from './check-in';
import { EnvelopeError, jsonObject, parseEnvelope } from './envelope';
import { envelopeDocs, httpCheckInDocs, httpCheckInGetDocs } from './openapi';

/** A DSN's key as Sentry's DSN parser reads it (`\w+`); ours are 32 hex digits. */
const SENTRY_KEY = /^\w{1,64}$/;
/** A DSN's project as Sentry's DSN parser reads it; ours fit a JavaScript number. */
const SENTRY_REF = /^\d{1,15}$/;

/** An answer other than success, in the shape Sentry's relay gives (`{"detail": …}`). */
class SentryRefusal extends Error {
  override readonly name = 'SentryRefusal';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Sentry Crons at Cronbeat: a Sentry SDK given the project's DSN
 * (`http://<sentry-key>@<host>/<sentry-ref>`) sends its envelopes to
 * `/api/<sentry-ref>/envelope/`, and plain HTTP clients check in at
 * `/api/<sentry-ref>/cron/<monitor-slug>/<sentry-key>/`. Check-ins become
 * pings of the check named by monitor and environment (core's
 * `monitorCheckSlug`); everything else an SDK sends is accepted and dropped,
 * so an app whose whole SDK points here never sees an error.
 */
export async function sentryRoutes(app: FastifyInstance) {
  const recorder = new CheckInRecorder(app.db, app.pingRecorder);

  // Any content type (the Node SDK names none, browsers send text/plain): the body is read as bytes and decoded here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: SENTRY_BODY_LIMIT }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const refuse = (status: number, message: string) => reply.status(status).send({ detail: message });
    if (error instanceof SentryRefusal || error instanceof BodyError) return refuse(error.status, error.message);
    if (error instanceof EnvelopeError) return refuse(400, `invalid envelope: ${error.message}`);
    if (error instanceof CheckInError) return refuse(400, `invalid check-in: ${error.message}`);
    // The API's edit refusing what a monitor_config asks of an existing check (its early tolerance needs a crontab, say).
    if (error instanceof FieldError || error instanceof ValidationError)
      return refuse(400, `invalid check-in: ${error.field}: ${error.message}`);
    if (error instanceof MonitorNotCreated) {
      if (error.retryAfter !== null) reply.header('retry-after', String(error.retryAfter));
      return refuse(error.status, error.message);
    }
    if (error instanceof PingNotStoredError) {
      return reply.status(503).header('retry-after', String(error.retryAfterSeconds)).send({ detail: error.message });
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'Sentry check-in failed');
    return refuse(status, status === 500 ? 'internal error' : error.message);
  });

  /** The project the URL's reference and the key name, or a refusal: 401 without a key, 403 for a key that is not this project's. */
  const projectOf = async (ref: string, key: string | undefined): Promise<SentryProject> => {
    if (!SENTRY_REF.test(ref))
      throw new SentryRefusal(400, `the project in the URL must be the digits of a Sentry DSN, got ${JSON.stringify(ref)}`);
    if (key === undefined || key === '') {
      throw new SentryRefusal(401, 'missing sentry_key: send the DSN key in X-Sentry-Auth or as ?sentry_key=');
    }
    const project = SENTRY_KEY.test(key) ? await projectBySentryDsn(app.db, Number(ref), key) : null;
    if (!project) throw new SentryRefusal(403, 'this DSN (project and key) is not known here; copy it again from the project settings');
    return project;
  };

  const sourceOf = (request: FastifyRequest): PingSource => {
    return {
      at: new Date(),
      method: request.method,
      scheme: request.protocol,
      remoteAddr: sourceAddress(request.ip),
      userAgent: storedUserAgent(request.headers['user-agent']),
    };
  };

  const bodyOf = async (request: FastifyRequest): Promise<Buffer> => {
    const raw = request.body instanceof Buffer ? request.body : Buffer.alloc(0);
    const encoding = request.headers['content-encoding'];
    return decodedBody(raw, Array.isArray(encoding) ? encoding.join(',') : encoding);
  };

  // Declared without the trailing slash SDKs send (the router ignores it), as OpenAPI documents paths.
  app.route({
    method: 'POST',
    url: '/api/:ref/envelope',
    schema: envelopeDocs,
    validatorCompiler: () => () => true,
    config: { ownParser: true },
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const { ref } = request.params as { ref: string };
      const project = await projectOf(ref, sentryKeyOf(request));
      const body = await bodyOf(request);
      if (body.length === 0) throw new EnvelopeError('the body is empty');
      const envelope = parseEnvelope(body);
      // Every check-in is judged before any is recorded, so a bad one records none of its envelope.
      const checkIns: CheckIn[] = envelope.items
        .filter((item) => item.type === 'check_in')
        .map((item, index) => readCheckIn(jsonObject(item.payload, `check-in ${index + 1}`) as CheckInFields));
      const source = sourceOf(request);
      // A check-in for a monitor no check stands for, without a monitor_config, is dropped, as Sentry drops it.
      for (const checkIn of checkIns) await recorder.record(project, checkIn, source);
      const eventId = envelope.header.event_id;
      return reply.send(typeof eventId === 'string' ? { id: eventId } : {});
    },
  });

  const httpCheckIn = async (request: FastifyRequest, reply: FastifyReply) => {
    const { ref, monitor, key } = request.params as { ref: string; monitor: string; key: string };
    const project = await projectOf(ref, key);
    const body = await bodyOf(request);
    const sent = body.length === 0 ? {} : jsonObject(body, 'the body');
    const query = request.query as Record<string, unknown>;
    const duration = query.duration === undefined || query.duration === '' ? undefined : Number(query.duration);
    const fields: CheckInFields = {
      status: query.status,
      check_in_id: query.check_in_id,
      environment: query.environment,
      duration,
      ...sent,
      monitor_slug: monitor,
    };
    const checkIn = readCheckIn(fields);
    if ((await recorder.record(project, checkIn, sourceOf(request))) === 'no-check') {
      throw new SentryRefusal(404, `no check stands for monitor ${JSON.stringify(checkIn.slug)}: send a monitor_config to create it`);
    }
    return reply.status(202).send({});
  };
  for (const [method, schema] of [
    ['GET', httpCheckInGetDocs],
    ['POST', httpCheckInDocs],
  ] as const) {
    app.route({
      method,
      url: '/api/:ref/cron/:monitor/:key',
      schema,
      validatorCompiler: () => () => true,
      config: { ownParser: true },
      handler: httpCheckIn,
    });
  }
}

/**
 * The DSN key a request carries, as SDKs send it: `X-Sentry-Auth: Sentry
 * sentry_key=…, sentry_version=7`, the same in `Authorization`, or
 * `?sentry_key=` (what @sentry/node does).
 */
function sentryKeyOf(request: FastifyRequest): string | undefined {
  for (const name of ['x-sentry-auth', 'authorization'] as const) {
    const header = request.headers[name];
    const match = typeof header === 'string' ? /(?:^|[\s,])sentry_key=([^,\s]*)/.exec(header) : null;
    if (match) return match[1];
  }
  const { sentry_key: key } = request.query as Record<string, unknown>;
  return typeof key === 'string' ? key : undefined;
}
