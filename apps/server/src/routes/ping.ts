import type { Config } from '@cronbeat/config';
import { slugProblem } from '@cronbeat/contract';
import { ensureSlugCheck } from '@cronbeat/db';
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { Type } from 'typebox';
import { PING_PATHS, PingUrlError, parsePingAddress, sourceAddress } from '../ping/address';
import type { ReceivedPing } from '../ping/batch';
import { type CapturedBody, captureBody, storedBody } from '../ping/body';
import { CreateRate } from '../ping/create-rate';
import { PingNotStoredError } from '../ping/recorder';

const PING_METHODS = ['GET', 'HEAD', 'POST'] as const;
const OTHER_METHODS = ['PUT', 'DELETE', 'PATCH'] as const;
/** Every method but OPTIONS, which @fastify/cors answers under /ping/. */
const ANSWERED_METHODS = [...PING_METHODS, ...OTHER_METHODS];
const USER_AGENT_LIMIT = 200;

/** A plain-text answer, as the OpenAPI document describes it. */
const text = (description: string) => ({ description, content: { 'text/plain': { schema: { type: 'string' } } } });

const SEGMENT = {
  a: "the check's ping code (a UUID), or the project's ping key followed by a slug",
  b: "after a ping code: `start`, `fail`, `log` or an exit status 0–255; after a ping key: the check's slug",
  c: 'after a ping key and slug: `start`, `fail`, `log` or an exit status 0–255',
} as const;

/** The OpenAPI description of each ping form; see the README's "Ping API". */
function pingDocs(url: (typeof PING_PATHS)[number]): FastifySchema {
  const names = [...url.matchAll(/:(\w)/g)].map((match) => match[1] as keyof typeof SEGMENT);
  return {
    summary: {
      1: 'Ping a check by its ping code',
      2: 'Ping with a kind, or by ping key and slug',
      3: 'Ping by ping key and slug, with a kind',
    }[names.length],
    description:
      'Success by default; `start`, `fail`, `log` or an exit status (0 is success) say otherwise. GET, HEAD or POST; a POST body (any type) is ' +
      'stored up to PING_BODY_LIMIT bytes. `?rid=<uuid>` pairs a start with its end; `?create=1` on a slug URL creates the check. ' +
      'Answers are plain text; 503 with Retry-After means try again.',
    tags: ['Pings'],
    security: [],
    params: Type.Object(Object.fromEntries(names.map((name) => [name, Type.String({ description: SEGMENT[name] })]))),
    querystring: Type.Object({
      rid: Type.Optional(Type.String({ description: 'run id (a UUID) pairing a start with its end' })),
      create: Type.Optional(Type.String({ description: '`1`: with a ping key and slug, create the check if there is none' })),
    }),
    response: {
      200: text('OK: the ping is stored'),
      201: text('Created: `?create=1` made the check and stored the ping'),
      400: text('the URL is no ping form, or the slug breaks the slug rule'),
      403: text("`?create=1` reached the project's limit"),
      404: text('no check has this ping code, or this slug'),
      429: text('`?create=1` made too many checks with this ping key in the last minute'),
      503: text('the ping could not be stored now; send it again after Retry-After seconds'),
    },
  };
}

/**
 * `/ping/...`: the front door for jobs. Answers are short plain text that
 * scripts can grep, never the API's JSON, and every answer (errors too)
 * carries CORS and the body limit.
 *
 * CORS is @fastify/cors's, and only here: a page on any origin may ping (a
 * browser job, a status beacon) and read the short answer, and a browser
 * sending a body asks first (a preflight: any origin, our methods, any
 * header, remembered a day). The API answers no other origin:
 * the dashboard is served from the API's own origin, its session cookie is
 * `SameSite=Lax` with an Origin check on writes, and API keys belong to
 * servers and the CLI, which need no CORS. The routes sit in a context of
 * their own under /ping/ because @fastify/cors answers preflights with an
 * `OPTIONS *` route of its context: at the root it would answer them for
 * every path.
 */
export async function pingRoutes(app: FastifyInstance, options: { config: Config }) {
  await app.register((pings) => pingRoutesUnderPrefix(pings, options.config), { prefix: '/ping/' });
}

/** The ping routes, registered under the /ping/ prefix (URLs below are relative to it). */
async function pingRoutesUnderPrefix(app: FastifyInstance, config: Config) {
  const { pingBodyLimit } = config;
  const recorder = app.pingRecorder;
  const createRate = new CreateRate();

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

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const at = new Date();
    const params = request.params as Record<string, string>;
    const address = parsePingAddress(
      [params.a, params.b, params.c].filter((segment): segment is string => segment !== undefined),
      request.query as Record<string, unknown>,
    );
    if (!address) return reply.status(404).send('not found');
    request.pingKind = address.kind;

    const userAgent = request.headers['user-agent'];
    const ping: ReceivedPing = {
      target: 'pingCode' in address.target ? address.target : { slug: address.target.slug },
      kind: address.kind,
      exitStatus: address.exitStatus,
      rid: address.rid,
      at,
      method: request.method,
      scheme: request.protocol,
      remoteAddr: sourceAddress(request.ip),
      userAgent: userAgent ? userAgent.slice(0, USER_AGENT_LIMIT) : null,
      ...storedBody(request.body as CapturedBody | undefined),
    };
    if ((await recorder.record(ping)).recorded) return reply.send('OK');
    if ('pingCode' in address.target || !address.target.create) return reply.status(404).send('not found');

    // `?create=1` and the slug is new: make the check in a transaction of
    // its own (once per check, so the batch's lock order stays simple). Only
    // a new slug is judged by the API's rule: a check made before the rule
    // keeps answering to its old slug above.
    const { slug } = address.target;
    const problem = slugProblem(slug.slug);
    if (problem) throw new PingUrlError(problem);
    const wait = createRate.take(slug.pingKey);
    if (wait > 0) {
      return reply
        .status(429)
        .header('retry-after', String(wait))
        .send(`too many checks created with this ping key (at most ${createRate.perMinute} a minute); try again in ${wait} s`);
    }
    const check = await ensureSlugCheck(app.db, slug);
    if (check?.outcome !== 'created') createRate.refund(slug.pingKey);
    if (check?.outcome === 'limit-reached') {
      const reached =
        check.limit === 0
          ? 'this project does not let ?create=1 make checks (its limit is 0)'
          : `this project already has ${check.limit} checks made by ?create=1, its limit`;
      return reply
        .status(403)
        .send(`${reached}: create the check in the dashboard or the API, or raise the limit in the project's settings`);
    }
    if (!check || !(await recorder.record({ ...ping, target: { pingCode: check.pingCode } })).recorded) {
      return reply.status(404).send('not found');
    }
    return check.outcome === 'created' ? reply.status(201).send('Created') : reply.send('OK');
  };

  for (const path of PING_PATHS) {
    const url = path.slice('/ping'.length);
    app.route({
      method: [...PING_METHODS],
      url,
      exposeHeadRoute: false,
      // The schema is the OpenAPI description only: parsePingAddress judges the URL, in plain words, and the hot path skips Ajv.
      schema: pingDocs(path),
      validatorCompiler: () => () => true,
      config: { ownParser: true },
      handler: handle,
    });
    app.route({
      method: [...OTHER_METHODS],
      url,
      schema: { hide: true },
      handler: async (_request, reply) => reply.status(405).header('allow', PING_METHODS.join(', ')).send('method not allowed'),
    });
  }
  // Deeper paths are no ping form; keep them plain text rather than the API's JSON 404.
  const notFound = async (_request: FastifyRequest, reply: FastifyReply) => reply.status(404).send('not found');
  app.route({ method: ANSWERED_METHODS, url: '/*', schema: { hide: true }, handler: notFound });
  app.route({ method: ANSWERED_METHODS, url: '/', schema: { hide: true }, handler: notFound });
}
