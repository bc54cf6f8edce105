/**
 * The embedded driver, for one process without Redis: the sweep and
 * delivery loops on timers of their own (`loops.ts`), and retention on an
 * interval. It keeps no delivery state: attempts and retry times are on the
 * notification rows, so a restart loses nothing.
 */
import type { Logger } from 'pino';
import type { WorkerOptions } from '../options';
import type { Jobs, RunningDriver } from './jobs';
import { startLoops } from './loops';

export function startInProcess(jobs: Jobs, options: WorkerOptions, logger: Logger): RunningDriver {
  const loops = startLoops(jobs, options, logger);

  // Retention is not urgent: a run that is still going when the next is due is skipped.
  let maintaining: Promise<unknown> | null = null;
  const maintenanceTimer = setInterval(() => {
    maintaining ??= jobs
      .maintenance()
      .catch((error: unknown) => logger.error({ err: error }, 'maintenance failed'))
      .finally(() => {
        maintaining = null;
      });
  }, options.maintenanceIntervalMs);
  maintenanceTimer.unref();

  return {
    async close() {
      clearInterval(maintenanceTimer);
      await loops.close();
      await maintaining;
    },
  };
}
