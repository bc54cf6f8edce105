import type { Config } from '@cronbeat/config';
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PING_PATHS, PingUrlError, parsePingAddress, parseTelemetryAddress, TELEMETRY_PATH } from '../ping/address';
import { type PingAnswerDeps, pingAnswerer } from '../ping/answer';
import { captureBody } from '../ping/body';
import type { CreateRate } from '../ping/create-rate';
import { PingNotStoredError } from '../ping/recorder';
import { pingDocs, telemetryDocs } from './ping-docs';

const PING_METHODS = ['GET', 'HEAD', 'POST'] as const;
const OTHER_METHODS = ['PUT', 'DELETE', 'PATCH'] as const;
/** Every method but OPTIONS, which @fastify/cors answers under /ping/. */
const ANSWERED_METHODS = [...PING_METHODS, ...OTHER_METHODS];

type Answer = ReturnType<typeof pingAnswerer>;

/**
 * `/ping/...` (Healthchecks' forms, which also take Cronitor's telemetry
 * parameters) and `/p/...` (Cronitor's form): the front door for jobs. A
 * dedicated ping host gets the `/ping/` forms at its root too, by a URL
 * rewrite (`ping/ping-host.ts`). Answers are short plain text that
 * scripts can grep, never the API's JSON, and every answer (errors too)
 * carries CORS and the body limit.
 *
 * CORS is @fastify/cors's, and only here: a page on any origin may ping (a
 * browser job, a status beacon) and read the short answer, and a browser
 * sending a body asks first (a preflight: any origin, our methods, any
 * header, remembered a day). The API answers no other origin:
 * the dashboard is served from the API's own origin, its session cookie is
 * `SameSite=Lax` with an Origin check on writes, and API keys belong to
 * servers and the CLI, which need no CORS. Each form sits in a context of
 * its own under its prefix because @fastify/cors answers preflights with an
 * `OPTIONS *` route of its context: at the root it would answer them for
 * every path.
 */
export async function pingRoutes(app: FastifyInstance, options: { config: Config; createRate: CreateRate }) {
  const deps: PingAnswerDeps = {
    db: app.db,
    recorder: app.pingRecorder,
    createRate: options.createRate,
    pingBodyLimit: options.config.pingBodyLimit,
  };
  const answer = pingAnswerer(deps);
  await app.register(
    async (pings) => {
      await preparePingContext(pings, deps.pingBodyLimit);
      healthchecksForms(pings, answer);
    },
    { prefix: '/ping/' },
  );
  await app.register(
    async (pings) => {
      await preparePingContext(pings, deps.pingBodyLimit);
      telemetryForm(pings, answer);
    },
    { prefix: '/p/' },
  );
}

/** What every ping context does alike: CORS, the plain-text headers, bodies of any type, plain-text errors. */
async function preparePingContext(app: FastifyInstance, pingBodyLimit: number) {
  await app.register(cors, { origin: '*', methods: [...PING_METHODS], allowedHeaders: '*', maxAge: 86_400, strictPreflight: false });
  // Callback style, not async: an async hook costs every ping a promise and a microtask turn.
  const bodyLimitHeader = String(pingBodyLimit);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers({
      'ping-body-limit': bodyLimitHeader,
      'content-type': 'text/plain; charset=utf-8',
    });
    done();
  });

  // Any content type, any size: the body is a log excerpt, cut at the limit, never refused.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => {
    captureBody(payload, pingBodyLimit).then(
      (body) => done(null, body),
      (error: Error) => done(error),
    );
  });

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    if (error instanceof PingUrlError) return reply.status(400).send(error.message);
    // The database's doing, not the ping's: the client sends it again (the recorder logs it, once).
    if (error instanceof PingNotStoredError) {
      return reply.status(503).header('retry-after', String(error.retryAfterSeconds)).send(error.message);
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'ping failed');
    return reply.status(status).send(status === 500 ? 'internal error' : error.message);
  });
}

/** Routes `url` for the ping methods, a 405 for the others; the schema is the OpenAPI description only. */
function pingRoute(app: FastifyInstance, url: string, schema: object, handler: (request: FastifyRequest, reply: FastifyReply) => unknown) {
  app.route({
    method: [...PING_METHODS],
    url,
    exposeHeadRoute: false,
    // The address parsers judge the URL, in plain words, and the hot path skips Ajv.
    schema,
    validatorCompiler: () => () => true,
    config: { ownParser: true },
    handler,
  });
  app.route({
    method: [...OTHER_METHODS],
    url,
    schema: { hide: true },
    handler: async (_request, reply) => reply.status(405).header('allow', PING_METHODS.join(', ')).send('method not allowed'),
  });
}

/** Deeper or shallower paths are no ping form; keep them plain text rather than the API's JSON 404. */
function notFoundElsewhere(app: FastifyInstance) {
  const notFound = async (_request: FastifyRequest, reply: FastifyReply) => reply.status(404).send('not found');
  app.route({ method: ANSWERED_METHODS, url: '/*', schema: { hide: true }, handler: notFound });
  app.route({ method: ANSWERED_METHODS, url: '/', schema: { hide: true }, handler: notFound });
}

/** Healthchecks' forms under /ping/ (URLs below are relative to it). */
function healthchecksForms(app: FastifyInstance, answer: Answer) {
  for (const path of PING_PATHS) {
    pingRoute(app, path.slice('/ping'.length), pingDocs(path), async (request, reply) => {
      const params = request.params as Record<string, string>;
      const address = parsePingAddress(
        [params.a, params.b, params.c].filter((segment): segment is string => segment !== undefined),
        request.query as Record<string, unknown>,
      );
      if (!address) return reply.status(404).send('not found');
      return answer(request, reply, address);
    });
  }
  notFoundElsewhere(app);
}

/** Cronitor's `/p/<key>/<monitor>` (relative to /p/). */
function telemetryForm(app: FastifyInstance, answer: Answer) {
  pingRoute(app, TELEMETRY_PATH.slice('/p'.length), telemetryDocs, async (request, reply) => {
    const { key, monitor } = request.params as { key: string; monitor: string };
    return answer(request, reply, parseTelemetryAddress(key, monitor, request.query as Record<string, unknown>));
  });
  notFoundElsewhere(app);
}
