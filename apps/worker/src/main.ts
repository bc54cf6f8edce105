/** `npm run start:worker`: the worker alone, for deployments that run server and worker apart. */
import { ConfigError, loadConfig } from '@cronbeat/config';
import { createDb } from '@cronbeat/db';
import { pino } from 'pino';
import { start } from './index';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const logger = pino({ level: config.logLevel });
// Migrations are the server's (or `npm run db:migrate`'s) job; the worker only uses the schema.
const database = await createDb(config);
const worker = await start(config, { database, logger });

/** Longest a shutdown may take before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 15_000;
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS).unref();
    worker
      .close()
      .then(() => database.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  });
}
