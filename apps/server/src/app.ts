import type { Config } from '@cronbeat/config';
import type { Database } from '@cronbeat/db';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { databasePlugin } from './plugins/database';
import { errorsPlugin } from './plugins/errors';
import { healthRoutes } from './routes/health';
import { pingRoutes } from './routes/ping';

export interface AppDependencies {
  database: Database;
  /** Pino logger to use; when absent the app logs at `config.logLevel`. */
  logger?: FastifyBaseLogger;
}

/** Builds the HTTP app: plugins first, then routes. Tests use it with `app.inject()`; `start` listens. */
export async function buildApp(config: Config, deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: { level: config.logLevel } }),
    trustProxy: config.trustProxy,
    disableRequestLogging: true,
  });
  await app.register(errorsPlugin);
  await app.register(databasePlugin, { database: deps.database });
  await app.register(healthRoutes);
  await app.register(pingRoutes, { config });
  return app;
}
