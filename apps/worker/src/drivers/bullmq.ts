/**
 * The Redis driver: a BullMQ job scheduler triggers the sweep every interval
 * on whichever worker process is free; deliveries are BullMQ jobs whose id is
 * the notification id, so no notification is ever enqueued twice.
 *
 * While Redis is away nothing here waits on it without a deadline: the
 * connections reconnect in the background (backing off to one try every
 * `RECONNECT_MAX_MS`), every error of every connection, queue and worker goes
 * to one RedisLink (one log line when Redis goes, one when it is back), and
 * the worker says it is not ready. The rows in Postgres stay the truth: a
 * wake-up (deliver job) that could not be added is held and added once Redis
 * is back, and if this process dies first the sweep finds the notification
 * still pending after `redeliverAfterMs` and enqueues it again.
 */
import { DeliveryError } from '@cronbeat/notify';
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DeliverPayload } from '../deliver';
import type { WorkerOptions } from '../options';
import { RedisLink, withDeadline } from '../redis-link';
import type { Jobs, RunningDriver } from './jobs';

export const SWEEP_QUEUE = 'sweep';
export const DELIVER_QUEUE = 'deliver';
export const MAINTENANCE_QUEUE = 'maintenance';

/** Longest the worker waits for Redis in one call (adding jobs, the schedulers, queue depths), in milliseconds. */
export const REDIS_DEADLINE_MS = 5000;
/** Longest wait between two reconnection attempts, in milliseconds. */
export const RECONNECT_MAX_MS = 5000;
/** Wake-ups held for a Redis that is away; past this the sweep's redelivery finds the rest. */
const MAX_HELD_WAKEUPS = 10_000;
/**
 * Longest a graceful close may take before the connections are dropped, in
 * milliseconds: with `DROP_DEADLINE_MS`, inside the 15 s every
 * process gets to stop. A delivery cut short is claimed again after its lease.
 */
const CLOSE_DEADLINE_MS = 8000;
/** Longest dropping the connections may take, in milliseconds. */
const DROP_DEADLINE_MS = 2000;

export async function startBullmq(jobs: Jobs, redisUrl: string, options: WorkerOptions, logger: Logger): Promise<RunningDriver> {
  const link = new RedisLink(logger);
  let closing = false;
  const connection = new Redis(redisUrl, {
    // BullMQ workers block on Redis; they need a connection that never gives up a command.
    maxRetriesPerRequest: null,
    // 200 ms, 400 ms, … then every 5 s, for as long as Redis is away. BullMQ's blocking connections copy these options.
    retryStrategy: (times) => Math.min(100 * 2 ** times, RECONNECT_MAX_MS),
  });
  connection.on('error', (error) => link.report(error, 'connection'));
  connection.on('ready', () => link.markUp());
  // A Redis that shuts down cleanly closes the connection without an error.
  connection.on('close', () => closing || link.markDown(new Error('connection closed')));

  const prefix = options.queuePrefix;
  const sweepQueue = new Queue(SWEEP_QUEUE, { connection, prefix });
  const deliverQueue = new Queue<DeliverPayload>(DELIVER_QUEUE, { connection, prefix });
  const maintenanceQueue = new Queue(MAINTENANCE_QUEUE, { connection, prefix });
  const queues = [sweepQueue, deliverQueue, maintenanceQueue];

  /** Notification ids whose deliver job could not be added while Redis was away. */
  const held = new Set<string>();

  async function enqueue(ids: string[]): Promise<void> {
    const wanted = [...new Set([...held, ...ids])];
    if (wanted.length === 0) return;
    held.clear();
    try {
      await withDeadline(
        deliverQueue.addBulk(
          wanted.map((id) => ({
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
        ),
        REDIS_DEADLINE_MS,
        'adding deliver jobs',
      );
    } catch (error) {
      for (const id of wanted) if (held.size < MAX_HELD_WAKEUPS) held.add(id);
      link.report(error, DELIVER_QUEUE);
    }
  }

  /** Creates or updates the schedulers: at start, and again whenever Redis is back, as it may have come back empty. */
  async function scheduleJobs(): Promise<void> {
    try {
      await withDeadline(
        Promise.all([
          sweepQueue.upsertJobScheduler(
            SWEEP_QUEUE,
            { every: options.sweepIntervalMs },
            { name: SWEEP_QUEUE, opts: { removeOnComplete: true, removeOnFail: 100 } },
          ),
          maintenanceQueue.upsertJobScheduler(
            MAINTENANCE_QUEUE,
            { every: options.maintenanceIntervalMs },
            { name: MAINTENANCE_QUEUE, opts: { removeOnComplete: true, removeOnFail: 100 } },
          ),
        ]),
        REDIS_DEADLINE_MS,
        'job schedulers',
      );
    } catch (error) {
      link.report(error, SWEEP_QUEUE);
    }
  }

  // After a connection error BullMQ waits this long before it asks Redis for jobs again (its default is 15 s).
  const retryAfterConnectionError = { runRetryDelay: 1000 };

  const sweepWorker = new Worker(
    SWEEP_QUEUE,
    async () => {
      const result = await jobs.sweep();
      await enqueue(result.notificationIds);
      jobs.afterSweep(result);
      return { flips: result.flips, enqueued: result.notificationIds.length };
    },
    { connection, prefix, concurrency: 1, lockDuration: options.lockDurationMs, ...retryAfterConnectionError },
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
      ...retryAfterConnectionError,
    },
  );

  // Concurrency 1 per process and one scheduled job at a time: runs never overlap.
  const maintenanceWorker = new Worker(MAINTENANCE_QUEUE, async () => jobs.maintenance(), {
    connection,
    prefix,
    concurrency: 1,
    lockDuration: options.lockDurationMs,
    ...retryAfterConnectionError,
  });
  const workers = [sweepWorker, deliverWorker, maintenanceWorker];

  // Without a listener of their own, BullMQ prints the errors of a queue to the console, one stack trace each.
  for (const queue of queues) queue.on('error', (error) => link.report(error, queue.name));
  for (const worker of workers) {
    worker.on('error', (error) => link.report(error, worker.name));
    worker.on('failed', (job, error) =>
      logger.info({ queue: worker.name, jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'job failed'),
    );
  }

  link.onRecovered(() => {
    void scheduleJobs();
    if (held.size > 0) void enqueue([]);
  });
  await scheduleJobs();

  return {
    redis: () => link.state,
    async close() {
      closing = true;
      const graceful = async () => {
        await Promise.all(workers.map((worker) => worker.close()));
        await Promise.all(queues.map((queue) => queue.close()));
      };
      // While Redis is away no job can be finished or handed back: drop the connections at once.
      if (link.reachable) {
        await withDeadline(graceful(), CLOSE_DEADLINE_MS, 'closing').catch((error: unknown) =>
          logger.warn({ err: error }, 'queues did not close in time'),
        );
      }
      const dropped = Promise.allSettled([...workers.map((worker) => worker.close(true)), ...queues.map((queue) => queue.disconnect())]);
      await withDeadline(dropped, DROP_DEADLINE_MS, 'dropping connections').catch(() => {});
      connection.disconnect();
    },
    async queueDepths() {
      if (!link.reachable) return {};
      const counts = await withDeadline(
        Promise.all(queues.map((queue) => queue.getJobCounts('waiting', 'active', 'delayed', 'failed'))),
        REDIS_DEADLINE_MS,
        'queue depths',
      );
      return Object.fromEntries(queues.map((queue, i) => [queue.name, counts[i] ?? {}]));
    },
  };
}
