import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's Redis connection when `REDIS_URL` is set (rate limits, readiness), else null. Pings never use it. */
    redis: Redis | null;
  }
}

/**
 * One Redis connection for the life of the app, reconnecting in the
 * background. Without the offline queue a command fails at once while Redis
 * is down instead of waiting, so neither /readyz nor a rate-limited request
 * hangs on it.
 */
export const redisPlugin = fp(async (app: FastifyInstance, options: { redisUrl: string | null }) => {
  const redis = options.redisUrl
    ? new Redis(options.redisUrl, {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => 1000,
      })
    : null;
  app.decorate('redis', redis);
  if (!redis) return;
  redis.on('error', () => {}); // /readyz reports it; ioredis would otherwise log every retry
  redis.connect().catch(() => {});
  app.addHook('onClose', async () => redis.disconnect());
});
