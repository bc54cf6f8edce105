import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '@cronbeat/core';

/** Tunables of the worker. Defaults suit production; tests shorten the waits. */
export interface WorkerOptions {
  /**
   * Longest a worker sleeps, in milliseconds, before it looks again for due
   * work it was not told about: deadlines that writers moved earlier (new
   * checks, start pings, edits), flips that pings wrote, notifications another
   * worker made. Otherwise it wakes exactly when the next sweep or delivery is
   * due. Default: 1,000.
   */
  maxSleepMs: number;
  /** Checks (and flips) claimed per transaction. Default: 500. */
  batchSize: number;
  /**
   * Deliveries in flight per process. Each mostly waits on the target and
   * the database, so many cost little, and a slow target should not hold up
   * a wave's alerts behind it. Default: 50.
   */
  deliveryConcurrency: number;
  /** Attempts per notification, the first included. Default: 6 (core's DEFAULT_RETRY_POLICY). */
  deliveryAttempts: number;
  /** First retry delay in milliseconds; doubles each attempt. Default: 20,000 (6 attempts span 10 min 20 s). */
  retryDelayMs: number;
  /**
   * Milliseconds a worker holds a notification it is sending (its lease:
   * must exceed the longest send, as a worker that died mid-send delays the
   * retry this long), and a BullMQ job stays locked to a worker that stopped
   * answering. Default: 30,000.
   */
  lockDurationMs: number;
  /** Prefix of BullMQ's Redis keys; one per deployment (or per test file). Default: cronbeat. */
  queuePrefix: string;
  /** Milliseconds an HTTP delivery may take. Default: 10,000. */
  httpTimeoutMs: number;
  /** Milliseconds between retention runs (the maintenance job). Default: 600,000 (10 min). */
  maintenanceIntervalMs: number;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = Object.freeze({
  maxSleepMs: 1000,
  batchSize: 500,
  deliveryConcurrency: 50,
  deliveryAttempts: DEFAULT_RETRY_POLICY.attempts,
  retryDelayMs: DEFAULT_RETRY_POLICY.firstRetryMs,
  lockDurationMs: 30_000,
  queuePrefix: 'cronbeat',
  httpTimeoutMs: 10_000,
  maintenanceIntervalMs: 600_000,
});

/** The retry policy these options ask for. */
export const retryPolicyOf = (options: Pick<WorkerOptions, 'deliveryAttempts' | 'retryDelayMs'>): RetryPolicy => ({
  attempts: options.deliveryAttempts,
  firstRetryMs: options.retryDelayMs,
});
