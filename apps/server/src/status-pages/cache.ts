/**
 * A small in-process cache for public pages: each key is loaded at most
 * once per `ttlMs`, and concurrent misses share one load (single-flight),
 * so a page that goes viral costs the database one read per TTL per
 * server process, whatever the traffic. Misses (null) are cached too, so
 * guessing addresses costs no more than viewing one, and apart from the
 * pages: however many addresses are guessed, no real page is pushed out.
 */
export interface PageCache<Value> {
  get(key: string): Promise<Value | null>;
  /** The page held for `key` while it is fresh, without loading: null for a miss, an expired page or one never loaded. */
  peek(key: string): Value | null;
  /** Drops a key after an edit, so this process shows the change at once (others within the TTL). */
  forget(key: string): void;
  /** How many loads ran: what the cache exists to keep low. */
  readonly loads: number;
}

/** Pages, and separately misses, held at most; past it the oldest goes, so memory stays bounded. */
const MAX_ENTRIES = 1000;

/** Sets `key` last in a map of at most MAX_ENTRIES, dropping the oldest. */
function remember<Entry>(map: Map<string, Entry>, key: string, entry: Entry) {
  map.delete(key);
  if (map.size >= MAX_ENTRIES) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, entry);
}

export function createPageCache<Value>(options: {
  ttlMs: number;
  load: (key: string) => Promise<Value | null>;
  now?: () => number;
}): PageCache<Value> {
  const now = options.now ?? Date.now;
  const pages = new Map<string, { value: Value; expiresAt: number }>();
  const misses = new Map<string, number>();
  // Loads in flight, which every concurrent view of the key waits on; as many as requests in flight.
  const loading = new Map<string, Promise<Value | null>>();
  let loads = 0;
  return {
    get(key) {
      const page = pages.get(key);
      if (page && page.expiresAt > now()) return Promise.resolve(page.value);
      if ((misses.get(key) ?? 0) > now()) return Promise.resolve(null);
      const inFlight = loading.get(key);
      if (inFlight) return inFlight;
      loads += 1;
      const load = options.load(key);
      loading.set(key, load);
      load.then(
        (value) => {
          if (loading.get(key) !== load) return;
          loading.delete(key);
          const expiresAt = now() + options.ttlMs;
          if (value === null) {
            pages.delete(key);
            remember(misses, key, expiresAt);
          } else {
            misses.delete(key);
            remember(pages, key, { value, expiresAt });
          }
        },
        () => {
          if (loading.get(key) === load) loading.delete(key);
        },
      );
      return load;
    },
    peek(key) {
      const page = pages.get(key);
      return page && page.expiresAt > now() ? page.value : null;
    },
    forget(key) {
      pages.delete(key);
      misses.delete(key);
      loading.delete(key);
    },
    get loads() {
      return loads;
    },
  };
}
