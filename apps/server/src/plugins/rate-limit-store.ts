/**
 * The rate-limit store of a server with Redis: counts in Redis, so every
 * replica counts against the same limits, and in this process while Redis is
 * away, so the limits hold (per replica) instead of switching off. It goes
 * back to Redis when Redis is back. Both halves are @fastify/rate-limit's own
 * stores, so the counting is the plugin's whichever is in use.
 */
import { createRequire } from 'node:module';
import type { FastifyRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import type { RedisLink } from './redis';

type Count = { current: number; ttl: number };
type Callback = (error: Error | null, result?: Count) => void;
type RouteOptions = Parameters<FastifyRateLimitStore['child']>[0];

/** The plugin's stores, as its `index.js` uses them (they ship without types of their own). */
interface PluginStore {
  incr(key: string, callback: Callback, timeWindow: number, max: number): void;
  read(key: string, callback: Callback, timeWindow: number, max: number): void;
  child(routeOptions: RouteOptions): PluginStore;
}
const require = createRequire(import.meta.url);
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  cache?: number,
) => PluginStore;
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  redis: Redis,
  key?: string,
) => PluginStore;

class RedisOrLocalStore implements FastifyRateLimitStore {
  constructor(
    private readonly shared: PluginStore,
    private readonly local: PluginStore,
    private readonly link: RedisLink,
  ) {}

  incr(key: string, callback: Callback, timeWindow: number, max: number): void {
    this.#count('incr', key, callback, timeWindow, max);
  }

  read(key: string, callback: Callback, timeWindow: number, max: number): void {
    this.#count('read', key, callback, timeWindow, max);
  }

  child(routeOptions: RouteOptions): FastifyRateLimitStore {
    return new RedisOrLocalStore(this.shared.child(routeOptions), this.local.child(routeOptions), this.link);
  }

  /** In Redis when it is usable; in this process when it is not, or when its command fails (the link logs that once). */
  #count(method: 'incr' | 'read', key: string, callback: Callback, timeWindow: number, max: number): void {
    if (!this.link.usable) {
      this.local[method](key, callback, timeWindow, max);
      return;
    }
    this.shared[method](
      key,
      (error, result) => {
        if (error || !result) {
          this.link.failed(error);
          this.local[method](key, callback, timeWindow, max);
          return;
        }
        this.link.succeeded();
        callback(null, result);
      },
      timeWindow,
      max,
    );
  }
}

/** The `store` option of @fastify/rate-limit: keys under `nameSpace` in Redis, and up to `cache` keys per route in process. */
export function redisOrLocalStore(redis: Redis, link: RedisLink, nameSpace: string, cache?: number): FastifyRateLimitStoreCtor {
  return class extends RedisOrLocalStore {
    // The plugin passes its settings with defaults applied, these two among them (its types leave them out).
    constructor(options: FastifyRateLimitOptions & { continueExceeding?: boolean; exponentialBackoff?: boolean }) {
      const continueExceeding = options.continueExceeding ?? false;
      const exponentialBackoff = options.exponentialBackoff ?? false;
      super(
        new RedisStore(continueExceeding, exponentialBackoff, redis, nameSpace),
        new LocalStore(continueExceeding, exponentialBackoff, cache),
        link,
      );
    }
  };
}
