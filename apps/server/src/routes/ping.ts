import type { Config } from '@cronbeat/config';
import { ensureSlugCheck } from '@cronbeat/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PING_PATHS, PingUrlError, parsePingAddress, sourceAddress } from '../ping/address';
import type { ReceivedPing } from '../ping/batch';
import { type CapturedBody, captureBody, storedBody } from '../ping/body';
import { CreateRate } from '../ping/create-rate';
import { PingNotStoredError } from '../ping/recorder';
import { slugProblem } from '../schemas/checks';

const PING_METHODS = ['GET', 'HEAD', 'POST'] as const;
const OTHER_METHODS = ['PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;
const USER_AGENT_LIMIT = 200;

/**
 * `/ping/...`: the front door for jobs. Answers are short plain text that
 * scripts can grep, never the API's JSON, and every answer (errors too)
 * carries CORS and the body limit.
 */
export async function pingRoutes(app: FastifyInstance, options: { config: Config }) {
  const { pingBodyLimit } = options.config;
  const recorder = app.pingRecorder;
  const createRate = new CreateRate();

  // Callback style, not async: an async hook costs every ping a promise and a microtask turn.
  const bodyLimitHeader = String(pingBodyLimit);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers({
      'access-control-allow-origin': '*',
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

  for (const url of PING_PATHS) {
    app.route({ method: [...PING_METHODS], url, exposeHeadRoute: false, handler: handle });
    app.route({
      method: [...OTHER_METHODS],
      url,
      handler: async (_request, reply) => reply.status(405).header('allow', PING_METHODS.join(', ')).send('method not allowed'),
    });
  }
  // Deeper paths are no ping form; keep them plain text rather than the API's JSON 404.
  app.all('/ping/*', async (_request, reply) => reply.status(404).send('not found'));
  app.all('/ping', async (_request, reply) => reply.status(404).send('not found'));
}
