/**
 * The Redis driver: a BullMQ job scheduler triggers the sweep every interval
 * on whichever worker process is free; deliveries are BullMQ jobs whose id is
 * the notification id, so no notification is ever enqueued twice.
 */
import { DeliveryError } from '@cronbeat/notify';
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DeliverPayload } from '../deliver';
import type { WorkerOptions } from '../options';
import type { Jobs, RunningDriver } from './jobs';

export const SWEEP_QUEUE = 'sweep';
export const DELIVER_QUEUE = 'deliver';
export const MAINTENANCE_QUEUE = 'maintenance';

export async function startBullmq(jobs: Jobs, redisUrl: string, options: WorkerOptions, logger: Logger): Promise<RunningDriver> {
  // BullMQ workers block on Redis; they need a connection that never gives up a command.
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const prefix = options.queuePrefix;
  const sweepQueue = new Queue(SWEEP_QUEUE, { connection, prefix });
  const deliverQueue = new Queue<DeliverPayload>(DELIVER_QUEUE, { connection, prefix });
  const maintenanceQueue = new Queue(MAINTENANCE_QUEUE, { connection, prefix });

  async function enqueue(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await deliverQueue.addBulk(
      ids.map((id) => ({
        name: 'deliver',
        data: { notificationId: id },
        opts: {
          jobId: id,
          attempts: options.deliveryAttempts,
          backoff: { type: 'exponential', delay: options.retryDelayMs },
          // Kept a while so a re-enqueue of a just-finished notification stays a no-op.
          removeOnComplete: { age: 3600, count: 100_000 },
          // Removed, so a notification still pending after its job gave up can be enqueued again by the sweep.
          removeOnFail: true,
        },
      })),
    );
  }

  const sweepWorker = new Worker(
    SWEEP_QUEUE,
    async () => {
      const result = await jobs.sweep();
      await enqueue(result.notificationIds);
      jobs.afterSweep(result);
      return { flips: result.flips, enqueued: result.notificationIds.length };
    },
    { connection, prefix, concurrency: 1, lockDuration: options.lockDurationMs },
  );

  const deliverWorker = new Worker<DeliverPayload>(
    DELIVER_QUEUE,
    async (job: Job<DeliverPayload>) => {
      const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      try {
        return await jobs.deliver(job.data, finalAttempt);
      } catch (error) {
        if (error instanceof DeliveryError && error.permanent) throw new UnrecoverableError(error.message);
        throw error;
      }
    },
    {
      connection,
      prefix,
      concurrency: options.deliveryConcurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: Math.max(1000, Math.floor(options.lockDurationMs / 2)),
    },
  );

  // Concurrency 1 per process and one scheduled job at a time: runs never overlap.
  const maintenanceWorker = new Worker(MAINTENANCE_QUEUE, async () => jobs.maintenance(), {
    connection,
    prefix,
    concurrency: 1,
    lockDuration: options.lockDurationMs,
  });

  for (const worker of [sweepWorker, deliverWorker, maintenanceWorker]) {
    worker.on('error', (error) => logger.error({ err: error, queue: worker.name }, 'queue error'));
    worker.on('failed', (job, error) =>
      logger.info({ queue: worker.name, jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'job failed'),
    );
  }

  await sweepQueue.upsertJobScheduler(
    SWEEP_QUEUE,
    { every: options.sweepIntervalMs },
    { name: SWEEP_QUEUE, opts: { removeOnComplete: true, removeOnFail: 100 } },
  );

  await maintenanceQueue.upsertJobScheduler(
    MAINTENANCE_QUEUE,
    { every: options.maintenanceIntervalMs },
    { name: MAINTENANCE_QUEUE, opts: { removeOnComplete: true, removeOnFail: 100 } },
  );

  const queues = [sweepQueue, deliverQueue, maintenanceQueue];
  return {
    async close() {
      await Promise.all([sweepWorker.close(), deliverWorker.close(), maintenanceWorker.close()]);
      await Promise.all(queues.map((queue) => queue.close()));
      connection.disconnect();
    },
    async queueDepths() {
      const counts = await Promise.all(queues.map((queue) => queue.getJobCounts('waiting', 'active', 'delayed', 'failed')));
      return Object.fromEntries(queues.map((queue, i) => [queue.name, counts[i] ?? {}]));
    },
  };
}
