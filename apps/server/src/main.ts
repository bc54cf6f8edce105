/**
 * `npm run start:server`: the HTTP server on its own, for running several
 * replicas beside separate workers. The schema must be current (`npm run
 * db:migrate`, once per release) unless MIGRATE_ON_START=true, when it
 * migrates first under an advisory lock, so replicas starting together
 * migrate once.
 */
import { configOrExit, createLogger, startOrExit, stopOnSignals, trimMemoryWhenIdle } from '@cronbeat/runtime';

/**
 * Longest the HTTP server may take to close on SIGTERM, in milliseconds.
 * Pings in flight are answered within their write deadline (5 s) however
 * wedged the database; a request still open after this (a client sending
 * its body slowly) is cut off. With the database's own 5 s to close, the
 * whole shutdown stays inside the runtime's 15 s.
 */
const SERVER_CLOSE_MS = 8000;

const config = configOrExit();
const logger = createLogger(config);
// Loaded once the configuration is known good: a mistake in the environment is reported at once.
const [{ createDb, prepareSchema }, { start }] = await Promise.all([import('@cronbeat/db'), import('./index')]);
const database = await createDb(config);
const server = await startOrExit(config, async () => {
  await prepareSchema(database, config.databaseUrl, config.migrateOnStart);
  return start(config, { database, logger });
});
logger.info(`Cronbeat server listening on ${server.address}; public URL ${config.baseUrl}`);
trimMemoryWhenIdle();
stopOnSignals(logger, async () => {
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    server.close().then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(resolve, SERVER_CLOSE_MS, false))),
  ]);
  clearTimeout(timer);
  if (!closed) logger.warn({ timeoutMs: SERVER_CLOSE_MS }, 'requests still open at shutdown are cut off');
  // Postgres: waits up to 5 s for queries in flight, then ends the connections.
  await database.close();
});
