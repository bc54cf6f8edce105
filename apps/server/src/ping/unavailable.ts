/**
 * What the recorder does when the database cannot take pings: the error a
 * ping is refused with (a 503 the client retries), which database errors
 * mean "unavailable" rather than "this ping is bad", and the stall: the
 * spell during which pings cannot be written, which /readyz reports and
 * which is logged once when it starts and once when it ends.
 */

/** A ping that was not stored because of the database or the server, not the ping: answer 503 with `Retry-After`. */
export class PingNotStoredError extends Error {
  override readonly name = 'PingNotStoredError';
  readonly statusCode = 503;
  constructor(
    readonly reason: 'deadline' | 'unavailable' | 'closing',
    message: string,
    /** Seconds the client should wait before it sends the ping again. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** Why a ping was not stored, in words for the client, who is to wait about a write deadline (`deadlineMs`) and send it again. */
export function pingNotStored(reason: PingNotStoredError['reason'], deadlineMs: number): PingNotStoredError {
  const seconds = Math.max(1, Math.ceil(deadlineMs / 1000));
  const message = {
    deadline: `ping not stored: the database did not answer within ${seconds} s; send it again`,
    unavailable: 'ping not stored: the database is unavailable; send it again',
    closing: 'ping not stored: the server is shutting down; send it again',
  }[reason];
  return new PingNotStoredError(reason, message, seconds);
}

const codeOf = (error: unknown): string | undefined => {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
  const found = code ?? cause?.code;
  return typeof found === 'string' ? found : undefined;
};

/** Postgres errors after which the same transaction may succeed: deadlock_detected, serialization_failure. */
const CONTENTION = new Set(['40P01', '40001']);

/**
 * The connection went away under the statement (postgres.js's own codes,
 * the socket's, and Postgres's admin_shutdown, crash_shutdown and
 * idle_in_transaction_session_timeout); the pool connects again, so the
 * same write may succeed on another connection.
 */
const CONNECTION_LOST = new Set(['CONNECTION_CLOSED', 'ECONNRESET', 'EPIPE', '57P01', '57P02', '25P03']);

/**
 * The database cannot take writes now, whatever the ping: the above, and a
 * pool that is ending or cannot connect, a server starting or full, a
 * statement cancelled by `statement_timeout`, and SQLSTATE class 08
 * (connection exception).
 */
const UNAVAILABLE = new Set([
  ...CONNECTION_LOST,
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ETIMEDOUT',
  '57P03',
  '53300',
  '57014',
]);

/** Whether writing the same batch again may succeed. */
export function isRetryable(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && (CONTENTION.has(code) || CONNECTION_LOST.has(code) || code.startsWith('08'));
}

/** Whether the error says the database is unavailable, rather than that something in the batch cannot be stored. */
export function isUnavailable(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && (UNAVAILABLE.has(code) || code.startsWith('08'));
}

/** Where the start and the end of a stall are logged: pino's and Fastify's loggers fit. */
export interface StallLogger {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

/**
 * Pings cannot be written from the moment a batch write fails for the
 * database (missed its deadline, or found it unavailable) until one
 * succeeds; or while a ping has waited longer than `stallAfterMs`. Each
 * spell is logged once as it starts and once as it ends, never per ping.
 */
export class StallWatch {
  readonly #stallAfterMs: number;
  readonly #logger: StallLogger | null;
  /** Why the last write failed, while no write begun after it has succeeded. */
  #failure: string | null = null;
  /** When it failed (ms since the epoch). */
  #failedAt = 0;
  #since: number | null = null;

  constructor(stallAfterMs: number, logger: StallLogger | null) {
    this.#stallAfterMs = stallAfterMs;
    this.#logger = logger;
  }

  /** Whether writes are failing: a write failed for the database and none has succeeded since. */
  get failing(): boolean {
    return this.#failure !== null;
  }

  /** When the current stall began (ms since the epoch), or null. */
  get since(): number | null {
    return this.#since;
  }

  writeFailed(reason: string, oldestWaitMs: number, now = Date.now()): void {
    this.#failure = reason;
    this.#failedAt = now;
    this.update(oldestWaitMs, now);
  }

  /**
   * A write begun at `startedAt` succeeded. It ends a failure only if it
   * began after it: one that was already under way proves nothing about
   * the database since.
   */
  writeSucceeded(startedAt: number, oldestWaitMs: number, now = Date.now()): void {
    if (startedAt >= this.#failedAt) this.#failure = null;
    this.update(oldestWaitMs, now);
  }

  /** Whether pings are stalled now, given how long the oldest unanswered one has waited; logs a change. */
  update(oldestWaitMs: number, now = Date.now()): boolean {
    const stalled = this.#failure !== null || oldestWaitMs > this.#stallAfterMs;
    if (stalled && this.#since === null) {
      this.#since = now;
      this.#logger?.warn(
        { reason: this.#failure ?? `a ping has waited ${oldestWaitMs} ms`, oldestWaitMs },
        'pings cannot be written: answering them 503 and /readyz 503 until the database takes them again',
      );
    } else if (!stalled && this.#since !== null) {
      this.#logger?.info({ stalledMs: now - this.#since }, 'pings are being written again');
      this.#since = null;
    }
    return stalled;
  }
}
