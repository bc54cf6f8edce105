import type { PingGroup } from './waiting-ping';

/** One batch write under way. */
export interface Flight {
  groups: readonly PingGroup[];
  /** When it began (ms since the epoch). */
  startedAt: number;
  /** When its earliest ping was handed to the recorder (ms since the epoch). */
  oldestPingAt: number;
  /** Its deadline passed (or the recorder closed): its pings were refused and its checks released; what it writes now is ignored. */
  expired: boolean;
}

/** Why a flight ended before its write did. */
export type ExpiryReason = 'deadline' | 'closing';

export interface InFlightWritesOptions {
  /** Longest a write may take, in milliseconds, retries included. */
  deadlineMs: number;
  /**
   * A flight expired: refuse its pings and forget what it was writing. Its
   * checks are released right after this returns.
   */
  onExpire(flight: Flight, reason: ExpiryReason): void;
  /** A flight is over, written or expired, and its checks take pings again. */
  onLand(): void;
}

/**
 * The batch writes under way (flights), and the two promises the recorder
 * makes about them. While a write holds a check's pings, later pings to
 * that check wait, so a check's pings apply in arrival order and no two
 * writes of this process contend for its row. And no write holds them past
 * its deadline: then its pings are refused and its checks released at once,
 * however wedged the database, and whatever the write does afterwards is
 * ignored (each write checks `flight.expired` when it returns).
 */
export class InFlightWrites {
  readonly #options: InFlightWritesOptions;
  readonly #flights = new Set<Flight>();
  /** Keys of checks with pings in a flight. */
  readonly #held = new Set<string>();

  constructor(options: InFlightWritesOptions) {
    this.#options = options;
  }

  /** Flights under way. */
  get size(): number {
    return this.#flights.size;
  }

  /** Whether the check `key` has pings in a flight: its next pings wait for it to land. */
  holds(key: string): boolean {
    return this.#held.has(key);
  }

  /** When the earliest ping of any flight was handed in (ms since the epoch), or `now` when none flies. */
  oldestPingAt(now: number): number {
    let oldest = now;
    for (const flight of this.#flights) oldest = Math.min(oldest, flight.oldestPingAt);
    return oldest;
  }

  /**
   * Runs `write` for `groups` as a flight: their checks are held until it
   * lands, when `write` settles or at the deadline, whichever comes first.
   * `write` answers the pings itself.
   */
  async fly(groups: readonly PingGroup[], write: (flight: Flight) => Promise<void>): Promise<void> {
    let oldestPingAt = Number.POSITIVE_INFINITY;
    for (const group of groups) for (const { receivedAt } of group.waiting) oldestPingAt = Math.min(oldestPingAt, receivedAt);
    const flight: Flight = { groups, startedAt: Date.now(), oldestPingAt, expired: false };
    this.#flights.add(flight);
    for (const group of groups) this.#held.add(group.key);
    const deadline = setTimeout(() => this.expire(flight, 'deadline'), this.#options.deadlineMs);
    try {
      await write(flight);
    } catch (error) {
      // The writes answer their pings themselves; this is a bug's last line of defence, not a path.
      for (const group of groups) for (const waiting of group.waiting) waiting.reject(error);
    } finally {
      clearTimeout(deadline);
      this.#land(flight);
    }
  }

  /** Ends a flight before its write does: its pings are refused (by `onExpire`) and its checks released now. */
  expire(flight: Flight, reason: ExpiryReason): void {
    if (flight.expired || !this.#flights.has(flight)) return;
    flight.expired = true;
    this.#options.onExpire(flight, reason);
    this.#land(flight);
  }

  /** Expires every flight, as the recorder closes. */
  expireAll(reason: ExpiryReason): void {
    for (const flight of [...this.#flights]) this.expire(flight, reason);
  }

  /** A flight is over, written or expired: its checks take new pings. Once per flight. */
  #land(flight: Flight): void {
    if (!this.#flights.delete(flight)) return;
    for (const group of flight.groups) this.#held.delete(group.key);
    this.#options.onLand();
  }
}
