import { type Config, pingHost } from '@cronbeat/config';
import type { Database } from '@cronbeat/db';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { PASSWORD_COST, type PasswordCost } from './auth/secrets';
import { CreateRate } from './ping/create-rate';
import { pingHostRewrite } from './ping/ping-host';
import { pingRecorderPlugin } from './ping/recorder-plugin';
import { authPlugin, type RateLimits } from './plugins/auth';
import { databasePlugin } from './plugins/database';
import { answerClientError, answerFrameworkError, errorsPlugin } from './plugins/errors';
import { jsonBodyPlugin } from './plugins/json-body';
import { metricsPlugin } from './plugins/metrics';
import { openapiPlugin } from './plugins/openapi';
import { redisPlugin } from './plugins/redis';
import { securityHeadersPlugin } from './plugins/security-headers';
import { webPlugin } from './plugins/web';
import { apiRoutes } from './routes/api';
import { healthchecksApiRoutes } from './routes/api-v3';
import { authRoutes } from './routes/auth';
import { badgeRoutes } from './routes/badges';
import { clientFileRoutes } from './routes/client-files';
import { healthRoutes } from './routes/health';
import { pingRoutes } from './routes/ping';
import { runLockRoutes } from './routes/run-lock';
import { sentryRoutes } from './routes/sentry';
import { statusPageRoutes } from './routes/status-pages';
import { compilersFactory } from './schema-compilers';
import { storableDateTimes } from './schemas/common';
import { checkInputOfSchemaRoutes } from './schemas/strict-body';
import { statusPagesPlugin } from './status-pages/plugin';

/** How long a client may take, in milliseconds: every wait on a client has a deadline. */
export interface ServerTimeouts {
  /**
   * To send a whole request, headers and body. Default: 30000: a ping's
   * body or an API request fits in it many times over even on a slow link,
   * and a client that stalls half-way is cut off instead of holding a
   * connection open forever.
   */
  request: number;
  /** To send the request's headers. Default: 10000. */
  headers: number;
  /**
   * An idle keep-alive connection stays open. Default: 72000, longer than
   * the 60 s load balancers commonly keep theirs, so they close first.
   */
  keepAlive: number;
  /**
   * A connection may stay silent in both directions while a request is
   * answered (a client that stops reading the answer). Default: 120000.
   */
  idle: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = { request: 30_000, headers: 10_000, keepAlive: 72_000, idle: 120_000 };

export interface AppDependencies {
  database: Database;
  /** Pino logger to use; when absent the app logs at `config.logLevel`. */
  logger?: FastifyBaseLogger;
  /** Requests per minute for sign-in and the API; tests set their own. */
  rateLimits?: Partial<RateLimits>;
  /** Client deadlines; tests shorten them. */
  timeouts?: Partial<ServerTimeouts>;
  /** scrypt's cost for new password hashes. Default: PASSWORD_COST; the test suites, which sign up hundreds of people, lower it. */
  passwordCost?: PasswordCost;
  /** Where the built dashboard is. Default: apps/web/dist; tests give their own. */
  webRoot?: string;
}

/**
 * Fastify's form of TRUST_PROXY. A hop count becomes the function Fastify
 * itself makes of one (its types leave numbers out): the `n` proxies nearest
 * to Cronbeat are believed, and the address before them is the client's.
 */
function trustedProxies(trust: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return trust === false ? false : [...trust];
}

/** Builds the HTTP app: plugins first, then routes. Tests use it with `app.inject()`; `start` listens. */
export async function buildApp(config: Config, deps: AppDependencies): Promise<FastifyInstance> {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...deps.timeouts };
  const rewriteUrl = pingHostRewrite(pingHost(config));
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: { level: config.logLevel } }),
    trustProxy: trustedProxies(config.trustProxy),
    // A line per request would be a line per ping; /metrics counts them instead.
    logController: new LogController({ disableRequestLogging: true }),
    requestTimeout: timeouts.request,
    keepAliveTimeout: timeouts.keepAlive,
    connectionTimeout: timeouts.idle,
    // Node looks for overdue requests every 30 s by default, which would let
    // a 30 s deadline run to 60; once a second keeps it to the deadline.
    http: { headersTimeout: Math.min(timeouts.headers, timeouts.request), connectionsCheckingInterval: 1000 },
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
    ajv: { onCreate: storableDateTimes },
    schemaController: { compilersFactory },
    // `/api/v1/checks/` is `/api/v1/checks`: a slash that a person or a
    // client's URL joining adds is no reason for a 404. Ping URLs are judged
    // by their own parser either way.
    routerOptions: { ignoreTrailingSlash: true },
    // A dedicated ping host (PING_BASE_URL) serves the ping forms at its root.
    ...(rewriteUrl && { rewriteUrl }),
  });
  await app.register(securityHeadersPlugin, { baseUrl: config.baseUrl });
  app.addHook('onRoute', checkInputOfSchemaRoutes);
  await app.register(errorsPlugin);
  await app.register(jsonBodyPlugin);
  await app.register(databasePlugin, { database: deps.database });
  await app.register(pingRecorderPlugin);
  await app.register(redisPlugin, { redisUrl: config.redisUrl });
  await app.register(authPlugin, { config, limits: deps.rateLimits, passwordCost: deps.passwordCost ?? PASSWORD_COST });
  await app.register(openapiPlugin, { baseUrl: config.baseUrl });
  await app.register(metricsPlugin, { token: config.metricsToken });
  await app.register(statusPagesPlugin);
  await app.register(healthRoutes);
  // Sessions ride on a cookie, read and set only by these routes: cookie
  // parsing lives in their context, so pings and the dashboard's files skip it.
  await app.register(async (withSessions) => {
    await withSessions.register(cookie);
    await withSessions.register(authRoutes, { prefix: '/auth' });
    await withSessions.register(apiRoutes, { prefix: '/api/v1', config });
  });
  // Healthchecks' API v3: API keys only, no sessions, so outside the cookie context.
  await app.register(healthchecksApiRoutes, { prefix: '/api/v3', config });
  // One bucket of `?create=1` creations per ping key, whichever route makes the check: a bucket each would double the rate.
  const createRate = new CreateRate();
  await app.register(pingRoutes, { config, createRate });
  // `/ping/…/lock`: the run lock, under the ping URLs but JSON and apart from the ping path.
  await app.register(runLockRoutes, { createRate });
  // Sentry SDKs' envelopes and HTTP check-ins, at the paths a DSN leads them to (/api/<sentry-ref>/…).
  await app.register(sentryRoutes);
  await app.register(badgeRoutes);
  await app.register(clientFileRoutes, { config });
  await app.register(statusPageRoutes);
  await app.register(webPlugin, deps.webRoot === undefined ? {} : { root: deps.webRoot });
  return app;
}
