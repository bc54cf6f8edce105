/**
 * `npm run start:worker`: the background jobs on their own, beside separate
 * servers. Any number can run; they share the work through Postgres and Redis.
 * The schema must be current (`npm run db:migrate`) unless MIGRATE_ON_START=true.
 */
import { configOrExit, createLogger, startOrExit, stopOnSignals, trimMemoryWhenIdle } from '@cronbeat/runtime';

const config = configOrExit();
const logger = createLogger(config);
// Loaded once the configuration is known good: a mistake in the environment is reported at once.
const [{ createDb, prepareSchema }, { serveMetrics, start }] = await Promise.all([import('@cronbeat/db'), import('./index')]);
const database = await createDb(config);
const worker = await startOrExit(config, async () => {
  await prepareSchema(database, config.databaseUrl, config.migrateOnStart);
  return start(config, { database, logger });
});
const metrics =
  config.metricsPort === null ? null : await serveMetrics(config.metricsPort, config.host, config.metricsToken, () => worker.health());
logger.info({ driver: worker.driver, metrics: metrics?.address }, 'Cronbeat worker running');
trimMemoryWhenIdle();
stopOnSignals(logger, async () => {
  await metrics?.close();
  await worker.close();
  await database.close();
});
