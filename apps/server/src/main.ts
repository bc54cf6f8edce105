/**
 * `npm run start:server`: the HTTP server on its own, for running several
 * replicas beside separate workers. Migrates first (under an advisory lock,
 * so replicas starting together migrate once).
 */
import { createDb, migrate } from '@cronbeat/db';
import { configOrExit, createLogger, stopOnSignals } from '@cronbeat/runtime';
import { start } from './index';

const config = configOrExit();
const logger = createLogger(config);
const database = await createDb(config);
await migrate(database, config.databaseUrl);
const server = await start(config, { database, logger });
logger.info(`Cronbeat server listening on ${server.address}; public URL ${config.baseUrl}`);
stopOnSignals(logger, async () => {
  await server.close();
  await database.close();
});
