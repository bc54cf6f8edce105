/**
 * Prometheus `/metrics` on prom-client's default registry, so in one process
 * (`npm start`) it also shows the worker's sweep, delivery and queue metrics.
 * Ping metrics are taken in a root onResponse hook; the ping route only notes
 * the kind its URL named (`request.pingKind`), so the URL is parsed once.
 */

import { metricsAccess } from '@cronbeat/runtime';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Histogram, register } from 'prom-client';
import { Unauthorized } from '../errors';
import { PING_PATHS, TELEMETRY_PATH } from '../ping/address';

// Both apps may load prom-client's process metrics in one process; register them once.
if (!register.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics();

const pingsTotal = new Counter({
  name: 'cronbeat_pings_total',
  help: 'Pings answered 200 or 201 (stored), by the kind the URL gave: success, start, fail or log.',
  labelNames: ['kind'] as const,
});

const pingDuration = new Histogram({
  name: 'cronbeat_ping_duration_seconds',
  help: 'Time from request to response on /ping routes, commit included, by status code.',
  labelNames: ['code'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

const PING_ROUTES = new Set<string>([...PING_PATHS, TELEMETRY_PATH]);

declare module 'fastify' {
  interface FastifyRequest {
    /** The kind a ping's URL named, set by the ping route once it has parsed the URL. */
    pingKind: string | null;
  }
}

/** With `token` (METRICS_TOKEN), `/metrics` answers only requests that carry it as a bearer token. */
export const metricsPlugin = fp(async (app: FastifyInstance, options: { token: string | null }) => {
  const mayRead = metricsAccess(options.token);
  app.decorateRequest('pingKind', null);
  // Callback style, not async: it runs after every response, pings included.
  app.addHook('onResponse', (request, reply, done) => {
    if (PING_ROUTES.has(request.routeOptions.url ?? '')) {
      pingDuration.observe({ code: String(reply.statusCode) }, reply.elapsedTime / 1000);
      if (reply.statusCode === 200 || reply.statusCode === 201) pingsTotal.inc({ kind: request.pingKind ?? 'unknown' });
    }
    done();
  });

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!mayRead(request.headers.authorization)) {
      reply.header('www-authenticate', 'Bearer');
      throw new Unauthorized('/metrics needs the bearer token METRICS_TOKEN sets');
    }
    const text = await register.metrics();
    return reply.type(register.contentType).send(text);
  });
});
