/**
 * The sweep and delivery loops of one worker process, as both drivers run
 * them: the sweep wakes when the next check is due (or after `maxSleepMs`),
 * and wakes delivery when it made notifications; delivery wakes when the
 * next notification is due. Every process runs both, and the table keeps
 * them apart (SKIP LOCKED claims), so more processes sweep and deliver in
 * parallel.
 */
import type { SweepAgenda } from '@cronbeat/db';
import type { Logger } from 'pino';
import type { WorkerOptions } from '../options';
import { DeliveryLoop } from './delivery-loop';
import type { Jobs } from './jobs';
import { WakeLoop } from './wake-loop';

export interface Loops {
  sweeps: WakeLoop;
  deliveries: DeliveryLoop;
  close(): Promise<void>;
}

export function startLoops(
  jobs: Jobs,
  options: WorkerOptions,
  logger: Logger,
  hooks: {
    /** Whether this process may sweep now (BullMQ: only while Redis answers). Default: always. */
    maySweep?: () => boolean;
    /** After each sweep batch that made notifications, once they are committed: e.g. wake other processes too. */
    notified?: (notificationIds: string[]) => void;
  } = {},
): Loops {
  const deliveries = new DeliveryLoop(jobs, options.deliveryConcurrency, options.maxSleepMs, (error) =>
    logger.error({ err: error }, 'delivery failed'),
  );
  let agenda: SweepAgenda | undefined;
  const sweeps = new WakeLoop(
    async () => {
      if (hooks.maySweep && !hooks.maySweep()) return { next: null, idle: true };
      // Each batch's notifications are sent while the sweep goes on with the next.
      const result = await jobs.sweep((notificationIds) => {
        deliveries.wake();
        hooks.notified?.(notificationIds);
      }, agenda);
      agenda = result.agenda;
      jobs.afterSweep(result);
      return { next: result.nextAt, idle: result.flips === 0 && result.notificationIds.length === 0 };
    },
    options.maxSleepMs,
    (error) => logger.error({ err: error }, 'sweep failed'),
  );
  sweeps.wake();
  deliveries.wake();
  return {
    sweeps,
    deliveries,
    async close() {
      await sweeps.close();
      await deliveries.close();
    },
  };
}
