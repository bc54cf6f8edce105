/**
 * The worker's one view of Redis: reachable or not, whichever connection,
 * queue or BullMQ worker noticed. ioredis and BullMQ report every failed
 * reconnect and every failed command as an 'error' event, several a second
 * while Redis is away; all of them end here, so the log says "Redis
 * unreachable" once when the link goes down and "Redis reachable again" once
 * when it comes back, and readiness can ask one place.
 */
import { withDeadline as deadline } from '@cronbeat/runtime';
import type { Logger } from 'pino';

/** An error other than a lost connection is logged at most once per this many milliseconds. */
const REPEAT_LOG_MS = 60_000;

/** `connecting` until the first connection is ready or fails. */
export type RedisLinkState = 'connecting' | 'up' | 'down';

/** Error codes and messages of a connection that failed, as ioredis, BullMQ and Node word them. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const CONNECTION_MESSAGES = /connection is closed|stream isn't writeable|socket closed unexpectedly|max retries per request/i;

/** Whether `error` says Redis could not be reached (rather than that it refused a command). */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  return error.name === 'MaxRetriesPerRequestError' || CONNECTION_MESSAGES.test(error.message);
}

export class RedisLink {
  #state: RedisLinkState = 'connecting';
  #downSince = 0;
  /** Error events swallowed since the link went down (every connection, queue and worker reports its own): logged with the recovery. */
  #errorsWhileDown = 0;
  readonly #recovered: Array<() => void> = [];
  /** When each error message other than a lost connection was last logged. */
  readonly #lastLogged = new Map<string, number>();

  constructor(private readonly logger: Logger) {}

  get state(): RedisLinkState {
    return this.#state;
  }

  get reachable(): boolean {
    return this.#state === 'up';
  }

  /** Calls `listener` each time Redis is reachable again after it was not. */
  onRecovered(listener: () => void): void {
    this.#recovered.push(listener);
  }

  /** A connection is ready (ioredis 'ready'). */
  markUp(): void {
    const previous = this.#state;
    this.#state = 'up';
    if (previous !== 'down') return;
    this.logger.info({ downForMs: Date.now() - this.#downSince, errorEvents: this.#errorsWhileDown }, 'Redis reachable again');
    for (const listener of this.#recovered) listener();
  }

  /** A connection failed or closed: logs the first time only, until the link is up again. */
  markDown(reason: unknown): void {
    if (this.#state === 'down') {
      this.#errorsWhileDown++;
      return;
    }
    this.#state = 'down';
    this.#downSince = Date.now();
    this.#errorsWhileDown = 0;
    const message = reason instanceof Error ? reason.message || (reason as { code?: string }).code || reason.name : String(reason);
    // One line, no stack: the reason is all there is to say, and the recovery gets a line of its own.
    this.logger.warn({ reason: message }, 'Redis unreachable: the worker is not ready and keeps reconnecting');
  }

  /**
   * Any 'error' event of ioredis or BullMQ, or a failed call: a connection
   * failure takes the link down; anything else is logged as the error it is,
   * except while Redis is away, when every command fails for that reason.
   */
  report(error: unknown, source: string): void {
    if (isConnectionError(error)) {
      this.markDown(error);
      return;
    }
    if (this.#state === 'down') {
      this.#errorsWhileDown++;
      this.logger.debug({ err: error, source }, 'Redis error while unreachable');
      return;
    }
    // The same error from several queues, or from every retry of one (a wrong password), is one line a minute.
    const message = error instanceof Error ? error.message : String(error);
    const now = Date.now();
    if (now - (this.#lastLogged.get(message) ?? Number.NEGATIVE_INFINITY) < REPEAT_LOG_MS) return;
    if (this.#lastLogged.size >= 100) this.#lastLogged.clear();
    this.#lastLogged.set(message, now);
    this.logger.error({ err: error, source }, 'queue error');
  }
}

/** Thrown by `withDeadline` when Redis did not answer in time. */
export class RedisTimeout extends Error {
  override readonly name = 'RedisTimeout';
  readonly code = 'CB_REDIS_TIMEOUT';
}

/**
 * `work`, or a RedisTimeout after `ms` milliseconds. The command itself may
 * still run later (ioredis queues it while reconnecting): only idempotent
 * calls are wrapped, such as adding a job under a fixed id.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return deadline(work, ms, () => new RedisTimeout(`Redis did not answer within ${ms} ms (${what})`));
}
