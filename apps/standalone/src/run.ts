import type { Config } from '@cronbeat/config';
import { createDb, migrate } from '@cronbeat/db';
import { start as startServer } from '@cronbeat/server';
import { start as startWorker } from '@cronbeat/worker';
import type { Logger } from 'pino';

export interface Standalone {
  /** The URL people open. */
  url: string;
  /** Stops taking requests, lets work in flight finish, then closes the database. */
  stop(): Promise<void>;
}

/** Server and worker in one process, sharing one database (PGlite allows one connection). */
export async function runStandalone(config: Config, logger: Logger): Promise<Standalone> {
  const database = await createDb(config);
  await migrate(database, config.databaseUrl);
  logger.info({ database: database.kind === 'postgres' ? 'postgres' : `pglite (${config.dataDir})` }, 'database ready');

  const worker = await startWorker(config, { database, logger: logger.child({ app: 'worker' }) });
  const server = await startServer(config, { database, logger: logger.child({ app: 'server' }) }).catch(async (error: unknown) => {
    // Nothing would serve what the worker does; stop it so the caller can exit.
    await worker.close();
    await database.close();
    throw error;
  });
  return {
    url: config.baseUrl,
    stop: async () => {
      await server.close();
      await worker.close();
      await database.close();
    },
  };
}
