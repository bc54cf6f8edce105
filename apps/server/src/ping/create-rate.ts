/**
 * How fast `?create=1` pings may make checks with one ping key: a token
 * bucket per key, kept in this process. Behind several replicas each counts
 * on its own, so the rate a ping key gets is at most this times the number
 * of replicas; the project's limit on checks made by pings (counted in the
 * database) bounds the total whatever the rate.
 */
export class CreateRate {
  readonly #perMinute: number;
  readonly #maxKeys: number;
  /** Tokens left and when they were counted, per ping key; oldest first. */
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  /**
   * @param perMinute Creations per minute per ping key, also the largest burst. Default: 60.
   * @param maxKeys Ping keys remembered; beyond it the least recently used is forgotten. Default: 10,000.
   */
  constructor(perMinute = 60, maxKeys = 10_000) {
    this.#perMinute = perMinute;
    this.#maxKeys = maxKeys;
  }

  get perMinute(): number {
    return this.#perMinute;
  }

  /** Takes a creation for `pingKey`: 0 when allowed, else the seconds until the next one is. */
  take(pingKey: string, now = Date.now()): number {
    const bucket = this.#refilled(pingKey, now);
    if (bucket.tokens < 1) return Math.max(1, Math.ceil(((1 - bucket.tokens) * 60) / this.#perMinute));
    bucket.tokens -= 1;
    return 0;
  }

  /** Gives back a creation that made nothing (the slug existed, or the key is nobody's). */
  refund(pingKey: string): void {
    const bucket = this.#buckets.get(pingKey);
    if (bucket) bucket.tokens = Math.min(this.#perMinute, bucket.tokens + 1);
  }

  #refilled(pingKey: string, now: number): { tokens: number; at: number } {
    const before = this.#buckets.get(pingKey);
    const bucket = before
      ? { tokens: Math.min(this.#perMinute, before.tokens + ((now - before.at) * this.#perMinute) / 60_000), at: now }
      : { tokens: this.#perMinute, at: now };
    // Re-inserted last: the map's order is least recently used first.
    this.#buckets.delete(pingKey);
    this.#buckets.set(pingKey, bucket);
    if (this.#buckets.size > this.#maxKeys) this.#buckets.delete(this.#buckets.keys().next().value!);
    return bucket;
  }
}
