/**
 * The embedded driver: the sweep on a timer and deliveries in a small
 * in-memory queue, for one process without Redis. Retries wait on timers;
 * if the process dies they are lost, and the sweep re-enqueues the pending
 * notifications once `redeliverAfterMs` has passed.
 */
import { DeliveryError } from '@cronbeat/notify';
import type { Logger } from 'pino';
import { retryDelay, type WorkerOptions } from '../options';
import type { Jobs, RunningDriver } from './jobs';

export function startInProcess(jobs: Jobs, options: WorkerOptions, logger: Logger): RunningDriver {
  /** Attempts made per notification queued, running or waiting to retry: also the de-duplication set. */
  const attempts = new Map<string, number>();
  const ready: string[] = [];
  const retryTimers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  function enqueue(ids: string[]): void {
    for (const id of ids) {
      if (attempts.has(id)) continue;
      attempts.set(id, 0);
      ready.push(id);
    }
    pump();
  }

  function pump(): void {
    while (!stopped && running.size < options.deliveryConcurrency && ready.length > 0) {
      const id = ready.shift() as string;
      const task = attempt(id).finally(() => {
        running.delete(task);
        pump();
      });
      running.add(task);
    }
  }

  async function attempt(id: string): Promise<void> {
    const made = (attempts.get(id) ?? 0) + 1;
    attempts.set(id, made);
    try {
      await jobs.deliver({ notificationId: id }, made >= options.deliveryAttempts);
      attempts.delete(id);
    } catch (error) {
      const permanent = error instanceof DeliveryError && error.permanent;
      if (permanent || made >= options.deliveryAttempts || stopped) {
        logger.warn({ notificationId: id, attempts: made, err: error }, 'delivery failed for good');
        attempts.delete(id);
        return;
      }
      logger.info({ notificationId: id, attempts: made, err: error }, 'delivery failed, will retry');
      const timer = setTimeout(
        () => {
          retryTimers.delete(timer);
          ready.push(id);
          pump();
        },
        retryDelay(options, made),
      );
      retryTimers.add(timer);
    }
  }

  let sweepTimer: NodeJS.Timeout | null = null;
  let sweeping: Promise<void> | null = null;
  // One sweep at a time, the next one an interval after this one ended, so a slow sweep never overlaps itself.
  const tick = () => {
    sweeping = jobs
      .sweep()
      .then((result) => {
        jobs.afterSweep(result);
        enqueue(result.notificationIds);
      })
      .catch((error: unknown) => logger.error({ err: error }, 'sweep failed'))
      .finally(() => {
        sweeping = null;
        if (!stopped) sweepTimer = setTimeout(tick, options.sweepIntervalMs);
      });
  };
  tick();

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
      stopped = true;
      clearInterval(maintenanceTimer);
      if (sweepTimer) clearTimeout(sweepTimer);
      for (const timer of retryTimers) clearTimeout(timer);
      await sweeping;
      await maintaining;
      await Promise.allSettled([...running]);
    },
  };
}
