import type { Config } from '@cronbeat/config';
import type { Database } from '@cronbeat/db';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { authPlugin, type RateLimits } from './plugins/auth';
import { databasePlugin } from './plugins/database';
import { errorsPlugin } from './plugins/errors';
import { metricsPlugin } from './plugins/metrics';
import { openapiPlugin } from './plugins/openapi';
import { redisPlugin } from './plugins/redis';
import { webPlugin } from './plugins/web';
import { apiRoutes } from './routes/api';
import { authRoutes } from './routes/auth';
import { badgeRoutes } from './routes/badges';
import { healthRoutes } from './routes/health';
import { pingRoutes } from './routes/ping';

export interface AppDependencies {
  database: Database;
  /** Pino logger to use; when absent the app logs at `config.logLevel`. */
  logger?: FastifyBaseLogger;
  /** Requests per minute for sign-in and the API; tests set their own. */
  rateLimits?: Partial<RateLimits>;
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
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: { level: config.logLevel } }),
    trustProxy: trustedProxies(config.trustProxy),
    // A line per request would be a line per ping; /metrics counts them instead.
    logController: new LogController({ disableRequestLogging: true }),
  });
  await app.register(errorsPlugin);
  await app.register(databasePlugin, { database: deps.database });
  await app.register(redisPlugin, { redisUrl: config.redisUrl });
  await app.register(authPlugin, { config, limits: deps.rateLimits });
  await app.register(openapiPlugin, { baseUrl: config.baseUrl });
  await app.register(metricsPlugin, { token: config.metricsToken });
  await app.register(healthRoutes);
  // Sessions ride on a cookie, read and set only by these routes: cookie
  // parsing lives in their context, so pings and the dashboard's files skip it.
  await app.register(async (withSessions) => {
    await withSessions.register(cookie);
    await withSessions.register(authRoutes, { prefix: '/auth' });
    await withSessions.register(apiRoutes, { prefix: '/api/v1', config });
  });
  await app.register(pingRoutes, { config });
  await app.register(badgeRoutes);
  await app.register(webPlugin);
  return app;
}
