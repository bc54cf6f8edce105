/**
 * `npm run start:worker`: the background jobs on their own, beside separate
 * servers. Any number can run; they share the work through Postgres and Redis.
 */
import { createDb, migrate } from '@cronbeat/db';
import { configOrExit, createLogger, stopOnSignals } from '@cronbeat/runtime';
import { start } from './index';

const config = configOrExit();
const logger = createLogger(config);
const database = await createDb(config);
await migrate(database, config.databaseUrl);
const worker = await start(config, { database, logger });
logger.info({ driver: worker.driver }, 'Cronbeat worker running');
stopOnSignals(logger, async () => {
  await worker.close();
  await database.close();
});
