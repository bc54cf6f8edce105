/** Tunables of the worker. Defaults suit production; tests shorten the waits. */
export interface WorkerOptions {
  /** Milliseconds between sweeps. Default: 1,000. */
  sweepIntervalMs: number;
  /** Checks (and flips) claimed per transaction. Default: 500. */
  batchSize: number;
  /** Deliveries in flight per process. Default: 20. */
  deliveryConcurrency: number;
  /** Attempts per notification, the first included. Default: 6. */
  deliveryAttempts: number;
  /** First retry delay in milliseconds; doubles each attempt. Default: 20,000 (6 attempts span 10 min 20 s). */
  retryDelayMs: number;
  /** A pending notification untouched this long, in milliseconds, is enqueued again (its job may be lost). Default: 60,000. */
  redeliverAfterMs: number;
  /** Milliseconds a BullMQ job stays locked to a worker that stopped answering. Default: 30,000. */
  lockDurationMs: number;
  /** Prefix of BullMQ's Redis keys; one per deployment (or per test file). Default: cronbeat. */
  queuePrefix: string;
  /** Milliseconds an HTTP delivery may take. Default: 10,000. */
  httpTimeoutMs: number;
  /** Milliseconds between retention runs (the maintenance job). Default: 600,000 (10 min). */
  maintenanceIntervalMs: number;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = Object.freeze({
  sweepIntervalMs: 1000,
  batchSize: 500,
  deliveryConcurrency: 20,
  deliveryAttempts: 6,
  retryDelayMs: 20_000,
  redeliverAfterMs: 60_000,
  lockDurationMs: 30_000,
  queuePrefix: 'cronbeat',
  httpTimeoutMs: 10_000,
  maintenanceIntervalMs: 600_000,
});

/** Delay before retry number `retry` (1 for the first retry): exponential, as BullMQ's `exponential` backoff. */
export const retryDelay = (options: Pick<WorkerOptions, 'retryDelayMs'>, retry: number): number => options.retryDelayMs * 2 ** (retry - 1);
