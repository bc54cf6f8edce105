/**
 * The Redis driver: every worker process runs the same sweep and delivery
 * loops as the embedded driver (`loops.ts`); Redis only wakes processes up.
 * A sweep that made notifications adds wake-ups to the `deliver` queue, one
 * per batch of deliveries beyond its own, and a process that takes one
 * delivers until nothing is due, so the other processes join a burst at once
 * instead of after their next sleep. A BullMQ job scheduler runs retention
 * on one process at a time. The notification rows hold every attempt and
 * retry time: a wake-up that is lost (Redis away, a process killed) costs at
 * most `maxSleepMs`.
 *
 * While Redis is away nothing here waits on it without a deadline: the
 * connections reconnect in the background (backing off to one try every
 * `RECONNECT_MAX_MS`), every error of every connection, queue and worker goes
 * to one RedisLink (one log line when Redis goes, one when it is back), and
 * the worker says it is not ready and sweeps nothing, as its readiness says;
 * pings and their flips wait in Postgres, and the first sweep once Redis is
 * back finds them. Deliveries already due go on.
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { WorkerOptions } from '../options';
import { RedisLink, withDeadline } from '../redis-link';
import type { Jobs, RunningDriver } from './jobs';
import { startLoops } from './loops';

export const DELIVER_QUEUE = 'deliver';
export const MAINTENANCE_QUEUE = 'maintenance';

/** Longest the worker waits for Redis in one call (adding jobs, the schedulers, queue depths), in milliseconds. */
export const REDIS_DEADLINE_MS = 5000;
/** Longest wait between two reconnection attempts, in milliseconds. */
export const RECONNECT_MAX_MS = 5000;
/** Most wake-ups one sweep adds: enough to bring every process of a deployment into a burst. */
const MAX_WAKEUPS = 16;
/** Shortest time between two rounds of wake-ups from one process, in milliseconds. */
const WAKEUP_EVERY_MS = 250;
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
  const deliverQueue = new Queue(DELIVER_QUEUE, { connection, prefix });
  const maintenanceQueue = new Queue(MAINTENANCE_QUEUE, { connection, prefix });
  const queues = [deliverQueue, maintenanceQueue];

  const loops = startLoops(jobs, options, logger, {
    maySweep: () => link.reachable,
    notified: (notificationIds) => void wakeOthers(notificationIds.length),
  });
  // Sweep as soon as Redis answers, not a sleep later.
  connection.on('ready', () => loops.sweeps.wake());

  let lastWakeups = 0;
  /**
   * Asks other processes to deliver too: one wake-up per batch of deliveries
   * beyond what this process takes, at most every WAKEUP_EVERY_MS (a burst
   * swept in many batches needs the others woken once, not at every batch).
   */
  async function wakeOthers(notifications: number): Promise<void> {
    const wakeups = Math.min(MAX_WAKEUPS, Math.ceil(notifications / options.deliveryConcurrency) - 1);
    if (wakeups <= 0 || !link.reachable || Date.now() - lastWakeups < WAKEUP_EVERY_MS) return;
    lastWakeups = Date.now();
    try {
      await withDeadline(
        deliverQueue.addBulk(
          Array.from({ length: wakeups }, () => ({
            name: 'wake',
            data: {},
            opts: { jobId: randomUUID(), removeOnComplete: true, removeOnFail: true },
          })),
        ),
        REDIS_DEADLINE_MS,
        'adding wake-ups',
      );
    } catch (error) {
      // Lost wake-ups cost the other processes at most maxSleepMs.
      link.report(error, DELIVER_QUEUE);
    }
  }

  /** Creates or updates the retention scheduler: at start, and again whenever Redis is back, as it may have come back empty. */
  async function scheduleJobs(): Promise<void> {
    try {
      await withDeadline(
        maintenanceQueue.upsertJobScheduler(
          MAINTENANCE_QUEUE,
          { every: options.maintenanceIntervalMs },
          { name: MAINTENANCE_QUEUE, opts: { removeOnComplete: true, removeOnFail: 100 } },
        ),
        REDIS_DEADLINE_MS,
        'job schedulers',
      );
    } catch (error) {
      link.report(error, MAINTENANCE_QUEUE);
    }
  }

  // After a connection error BullMQ waits this long before it asks Redis for jobs again (its default is 15 s).
  const retryAfterConnectionError = { runRetryDelay: 1000 };

  // One wake-up at a time per process, held while it delivers: the next wake-up goes to a process that is free.
  const deliverWorker = new Worker(DELIVER_QUEUE, () => loops.deliveries.drained(), {
    connection,
    prefix,
    concurrency: 1,
    lockDuration: options.lockDurationMs,
    ...retryAfterConnectionError,
  });

  // Concurrency 1 per process and one scheduled job at a time: runs never overlap.
  const maintenanceWorker = new Worker(MAINTENANCE_QUEUE, async () => jobs.maintenance(), {
    connection,
    prefix,
    concurrency: 1,
    lockDuration: options.lockDurationMs,
    ...retryAfterConnectionError,
  });
  const workers = [deliverWorker, maintenanceWorker];

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
    loops.sweeps.wake();
  });
  await scheduleJobs();

  return {
    redis: () => link.state,
    async close() {
      closing = true;
      await loops.close();
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
