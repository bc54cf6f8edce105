/**
 * A small in-process cache for public pages: each key is loaded at most
 * once per `ttlMs`, and concurrent misses share one load (single-flight),
 * so a page that goes viral costs the database one read per TTL per
 * server process, whatever the traffic. Misses (null) are cached too, so
 * guessing addresses costs no more than viewing one.
 */
export interface PageCache<Value> {
  get(key: string): Promise<Value | null>;
  /** Drops a key after an edit, so this process shows the change at once (others within the TTL). */
  forget(key: string): void;
  /** How many loads ran: what the cache exists to keep low. */
  readonly loads: number;
}

/** Keys held at most; past it the oldest entry goes, so random addresses cannot grow memory without bound. */
const MAX_ENTRIES = 1000;

export function createPageCache<Value>(options: {
  ttlMs: number;
  load: (key: string) => Promise<Value | null>;
  now?: () => number;
}): PageCache<Value> {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: Promise<Value | null>; expiresAt: number }>();
  let loads = 0;
  return {
    get(key) {
      const cached = entries.get(key);
      if (cached && cached.expiresAt > now()) return cached.value;
      entries.delete(key);
      if (entries.size >= MAX_ENTRIES) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      loads += 1;
      // Until the load settles the entry never expires: every concurrent miss waits on it.
      const entry = { value: options.load(key), expiresAt: Number.POSITIVE_INFINITY };
      entries.set(key, entry);
      entry.value.then(
        () => {
          entry.expiresAt = now() + options.ttlMs;
        },
        () => {
          if (entries.get(key) === entry) entries.delete(key);
        },
      );
      return entry.value;
    },
    forget(key) {
      entries.delete(key);
    },
    get loads() {
      return loads;
    },
  };
}
