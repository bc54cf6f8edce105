import type { Config } from '@cronbeat/config';
import type { Database } from '@cronbeat/db';
import type { Logger } from 'pino';

export interface WorkerDependencies {
  database: Database;
  logger: Logger;
}

export interface RunningWorker {
  /** Which driver runs the jobs: BullMQ over Redis, or the in-process runner. */
  driver: 'bullmq' | 'in-process';
  /** Finishes or hands back the jobs in progress, then stops. */
  close(): Promise<void>;
}

/**
 * Starts the background jobs. The jobs themselves (sweep, deliver,
 * maintenance) arrive with the evaluator issue; this is where they are wired.
 */
export async function start(config: Config, deps: WorkerDependencies): Promise<RunningWorker> {
  const driver = config.redisUrl ? 'bullmq' : 'in-process';
  deps.logger.info({ driver }, 'worker started');
  return {
    driver,
    close: async () => {
      deps.logger.info('worker stopped');
    },
  };
}
