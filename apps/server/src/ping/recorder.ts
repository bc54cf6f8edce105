import type { Database } from '@cronbeat/db';
import { type PingResult, type ReceivedPing, recordPingBatch } from './batch';

export interface PingRecorderOptions {
  /**
   * Batches written at the same time. PGlite has one connection, so 1; on
   * Postgres a second flush can fill its batch while the first waits for
   * its commit. Default: 1.
   */
  concurrentFlushes?: number;
  /** Most pings written in one transaction. Default: 500. */
  maxBatch?: number;
  /** Times a batch is retried after a deadlock or serialization failure. Default: 3. */
  retries?: number;
}

interface Waiting {
  ping: ReceivedPing;
  resolve(result: PingResult): void;
  reject(error: unknown): void;
}

/** Postgres errors after which the same transaction may succeed: deadlock_detected, serialization_failure. */
const RETRYABLE = new Set(['40P01', '40001']);
const isRetryable = (error: unknown): boolean => {
  const code =
    (error as { code?: unknown; cause?: { code?: unknown } } | null)?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
};

/**
 * Group commit for pings. Each `record` call waits for the commit of the
 * transaction that holds its ping, so a `200 OK` always means stored, while
 * every ping that arrived during the previous flush shares the next one:
 * under load a transaction carries hundreds of pings for a few round trips.
 */
export class PingRecorder {
  readonly #database: Database;
  readonly #concurrentFlushes: number;
  readonly #maxBatch: number;
  readonly #retries: number;
  #waiting: Waiting[] = [];
  #flushing = 0;
  #scheduled = false;
  #idle: Array<() => void> = [];
  /** Batches and pings written so far: pings ÷ batches is the pings per transaction. */
  readonly stats = { batches: 0, pings: 0, retries: 0 };

  constructor(database: Database, options: PingRecorderOptions = {}) {
    this.#database = database;
    this.#concurrentFlushes = options.concurrentFlushes ?? 1;
    this.#maxBatch = options.maxBatch ?? 500;
    this.#retries = options.retries ?? 3;
  }

  /** Resolves once the ping is committed (or known to address no check); rejects when it could not be stored. */
  record(ping: ReceivedPing): Promise<PingResult> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ ping, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves when every ping handed to `record` so far has been written. */
  drain(): Promise<void> {
    if (this.#waiting.length === 0 && this.#flushing === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled || this.#flushing >= this.#concurrentFlushes) return;
    this.#scheduled = true;
    // Wait for the rest of this turn of the event loop, so requests that
    // arrived together share a transaction even when no flush is running.
    setImmediate(() => {
      this.#scheduled = false;
      while (this.#waiting.length > 0 && this.#flushing < this.#concurrentFlushes) {
        void this.#flush(this.#waiting.splice(0, this.#maxBatch));
      }
    });
  }

  async #flush(batch: Waiting[]): Promise<void> {
    this.#flushing += 1;
    try {
      await this.#write(batch);
    } finally {
      this.#flushing -= 1;
      if (this.#waiting.length > 0) this.#schedule();
      else if (this.#flushing === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  async #write(batch: Waiting[]): Promise<void> {
    try {
      const results = await this.#withRetries(batch.map((w) => w.ping));
      this.stats.batches += 1;
      this.stats.pings += batch.length;
      for (const [i, waiting] of batch.entries()) waiting.resolve(results[i]!);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // One unstorable ping must not fail the others that shared its
      // transaction: write them one by one so only the bad one is refused.
      for (const waiting of batch) await this.#write([waiting]);
    }
  }

  async #withRetries(pings: ReceivedPing[]): Promise<PingResult[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await recordPingBatch(this.#database, pings);
      } catch (error) {
        if (attempt >= this.#retries || !isRetryable(error)) throw error;
        this.stats.retries += 1;
      }
    }
  }
}
