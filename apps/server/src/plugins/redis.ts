import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's Redis connection when `REDIS_URL` is set (rate limits, readiness), else null. Pings never use it. */
    redis: Redis | null;
    /** Whether that connection may be used right now; null without Redis. */
    redisLink: RedisLink | null;
  }
}

/** Longest a command may take before it counts as failed, in milliseconds. */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;
/** After a failed command, how long users of the link leave Redis alone before trying it again, in milliseconds. */
export const REDIS_RETRY_AFTER_MS = 5000;

/**
 * The server's one view of its Redis: whether to use it now, and the one
 * place that logs its trouble. ioredis reports every failed reconnect as an
 * error event, and a rate-limited request could report every failed command;
 * here they make one line when Redis goes and one when it is back.
 */
export class RedisLink {
  #down = false;
  #downSince = 0;
  #retryAt = 0;

  constructor(
    private readonly redis: Redis,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Connected, and no command failed in the last `REDIS_RETRY_AFTER_MS`: worth sending a command to. */
  get usable(): boolean {
    return this.redis.status === 'ready' && Date.now() >= this.#retryAt;
  }

  /** A command failed or the connection did: leave Redis alone for a while; log it if it is news. */
  failed(reason: unknown): void {
    this.#retryAt = Date.now() + REDIS_RETRY_AFTER_MS;
    if (this.#down) return;
    this.#down = true;
    this.#downSince = Date.now();
    const message = reason instanceof Error ? reason.message || reason.name : String(reason);
    this.log.warn({ reason: message }, 'Redis unreachable: rate limits are counted in this process until it is back; pings are unaffected');
  }

  /** A command answered or the connection is ready again. */
  succeeded(): void {
    this.#retryAt = 0;
    if (!this.#down) return;
    this.#down = false;
    this.log.info({ downForMs: Date.now() - this.#downSince }, 'Redis reachable again: rate limits are shared again');
  }
}

/**
 * One Redis connection for the life of the app, reconnecting in the
 * background (every second). Without the offline queue a command fails at
 * once while Redis is down instead of waiting, and every command has a
 * deadline, so neither /readyz nor a rate-limited request hangs on it.
 */
export const redisPlugin = fp(async (app: FastifyInstance, options: { redisUrl: string | null }) => {
  const redis = options.redisUrl
    ? new Redis(options.redisUrl, {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
        retryStrategy: () => 1000,
      })
    : null;
  const link = redis ? new RedisLink(redis, app.log) : null;
  app.decorate('redis', redis);
  app.decorate('redisLink', link);
  if (!redis || !link) return;
  let closing = false;
  // Every failed reconnect is an error event; the link turns them into one line.
  redis.on('error', (error) => link.failed(error));
  // A Redis that shuts down cleanly closes the connection without an error.
  redis.on('close', () => closing || link.failed(new Error('connection closed')));
  redis.on('ready', () => link.succeeded());
  redis.connect().catch(() => {});
  app.addHook('onClose', async () => {
    closing = true;
    redis.disconnect();
  });
});
