import { type Database, runStatement } from '@cronbeat/db';
import { applyReceivedPings } from './apply';
import { type PingResult, type PlannedWrite, type ReceivedPing, recordLockedBatch, writeToKnownChecks } from './batch';
import { type ExpiryReason, type Flight, InFlightWrites } from './in-flight-writes';
import { KnownChecks, sameSlug, slugKey } from './known-checks';
import { isRetryable, isUnavailable, type PingNotStoredError, pingNotStored, type StallLogger, StallWatch } from './unavailable';
import { type PingGroup, WaitingPing } from './waiting-ping';

export { PingNotStoredError } from './unavailable';

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
  /** Checks whose state this process keeps, to write their pings without reading them first. Default: 50,000. */
  knownChecks?: number;
  /**
   * Longest a batch write may take, in milliseconds, retries included. Then
   * its pings are answered `503` (the client sends them again), its checks
   * are released for the pings that follow, and the write, if it ever ends,
   * is ignored. Default: 5,000.
   */
  writeDeadlineMs?: number;
  /** How long a ping may wait unanswered before pings count as stalled (`readiness`). Default: 2,000 ms. */
  stallAfterMs?: number;
  /** Where a stall's start and end are logged, once each. Default: not logged. */
  logger?: StallLogger;
}

/** What `/readyz` needs to know of the pings. */
export interface PingReadiness {
  /** False while pings cannot be written (see `StallWatch`). */
  writable: boolean;
  /** How long the oldest unanswered ping has waited, in milliseconds. */
  oldestWaitMs: number;
}

/**
 * Group commit for pings. Each `record` call waits for the commit of the
 * transaction that holds its ping, so a `200 OK` always means stored, while
 * every ping that arrived during the previous flush shares the next one.
 *
 * A flush writes pings to checks this process already knows in one
 * statement, from the state it knows, and that statement applies to a check
 * only if the row has not changed since (another replica, the sweep or the
 * API wrote it); those pings then go round again through a transaction that
 * locks and reads their checks first. Pings for one check are never in two
 * flushes at once, so they are applied in arrival order and concurrent
 * flushes of this process never contend for a row.
 */
export class PingRecorder {
  readonly #database: Database;
  readonly #concurrentFlushes: number;
  readonly #maxBatch: number;
  readonly #retries: number;
  readonly #known: KnownChecks;
  #waiting: WaitingPing[] = [];
  /** The writes under way, each holding its checks (by `#keyOf`) till it lands or its deadline passes. */
  readonly #flights: InFlightWrites;
  #scheduled = false;
  #closing = false;
  #idle: Array<() => void> = [];
  readonly #deadlineMs: number;
  readonly #stall: StallWatch;
  /**
   * Transactions and pings written so far (pings ÷ batches is the pings per
   * transaction), of which pings written from known state without reading
   * their check; retries after deadlocks; checks whose known state was out of
   * date when written to; batch writes that missed their deadline.
   */
  readonly stats = { batches: 0, pings: 0, pingsToKnownChecks: 0, retries: 0, stale: 0, expired: 0 };

  constructor(database: Database, options: PingRecorderOptions = {}) {
    this.#database = database;
    this.#concurrentFlushes = options.concurrentFlushes ?? 1;
    this.#maxBatch = options.maxBatch ?? 500;
    this.#retries = options.retries ?? 3;
    this.#known = new KnownChecks(options.knownChecks ?? 50_000);
    this.#deadlineMs = options.writeDeadlineMs ?? 5000;
    this.#stall = new StallWatch(options.stallAfterMs ?? 2000, options.logger ?? null);
    this.#flights = new InFlightWrites({
      deadlineMs: this.#deadlineMs,
      onExpire: (flight, reason) => this.#expired(flight, reason),
      onLand: () => this.#landed(),
    });
  }

  /**
   * Resolves once the ping is committed (or known to address no check);
   * rejects when it could not be stored, with a `PingNotStoredError` when
   * that was the database's doing (or the server is shutting down).
   */
  record(ping: ReceivedPing): Promise<PingResult> {
    if (this.#closing) return Promise.reject(this.#notStored('closing'));
    return new Promise((resolve, reject) => {
      this.#waiting.push(new WaitingPing(ping, resolve, reject));
      this.#schedule();
    });
  }

  /** Resolves when every ping handed to `record` so far has been answered. */
  drain(): Promise<void> {
    if (this.#waiting.length === 0 && this.#flights.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * Takes no more pings and waits for those taken to be answered, at most
   * `timeoutMs` (default: the write deadline); any still waiting then are
   * answered 503. Never waits longer, however wedged the database.
   */
  async close(timeoutMs = this.#deadlineMs): Promise<void> {
    this.#closing = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.drain(), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    this.#flights.expireAll('closing');
    for (const waiting of this.#waiting.splice(0)) waiting.reject(this.#notStored('closing'));
  }

  /**
   * Whether pings can be written now. While the last write failed for the
   * database and no ping waits to show otherwise (a load balancer that saw
   * /readyz fail sends none), asks the database itself, within `probeMs`.
   */
  async readiness(probeMs = 2000): Promise<PingReadiness> {
    if (this.#stall.failing && this.#waiting.length === 0 && this.#flights.size === 0) {
      const startedAt = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const answered = await Promise.race([
        runStatement(this.#database, { text: 'select 1', params: [] }).then(
          () => true,
          () => false,
        ),
        new Promise<boolean>((resolve) => (timer = setTimeout(resolve, probeMs, false))),
      ]);
      clearTimeout(timer);
      if (answered) this.#stall.writeSucceeded(startedAt, this.#oldestWaitMs());
    }
    const oldestWaitMs = this.#oldestWaitMs();
    return { writable: !this.#stall.update(oldestWaitMs), oldestWaitMs };
  }

  /** How long the oldest unanswered ping has waited, in milliseconds. */
  #oldestWaitMs(now = Date.now()): number {
    let oldest = this.#flights.oldestPingAt(now);
    for (const waiting of this.#waiting) oldest = Math.min(oldest, waiting.receivedAt);
    return now - oldest;
  }

  #notStored(reason: PingNotStoredError['reason']): PingNotStoredError {
    return pingNotStored(reason, this.#deadlineMs);
  }

  #schedule(): void {
    if (this.#scheduled || this.#flights.size >= this.#concurrentFlushes) return;
    this.#scheduled = true;
    // Wait for the rest of this turn of the event loop, so requests that
    // arrived together share a transaction even when no flush is running.
    setImmediate(() => {
      this.#scheduled = false;
      while (this.#waiting.length > 0 && this.#flights.size < this.#concurrentFlushes) {
        const groups = this.#take();
        if (groups.length === 0) break; // every waiting ping's check is in a flush already, or was answered
        this.#startWrites(groups);
      }
      if (this.#waiting.length === 0 && this.#flights.size === 0) for (const resolve of this.#idle.splice(0)) resolve();
    });
  }

  /** One check per key: its id when known, else what the ping named it by. */
  #keyOf({ target }: ReceivedPing): string {
    return this.#known.idOf(target) ?? ('pingCode' in target ? `code:${target.pingCode}` : `slug:${slugKey(target.slug)}`);
  }

  /** Takes up to `maxBatch` waiting pings whose checks are in no flight, grouped by check. */
  #take(): PingGroup[] {
    const groups = new Map<string, PingGroup>();
    const left: WaitingPing[] = [];
    // A ping that waited a whole deadline for a batch (its check's, or a free
    // flush, held by a wedged database) is answered now rather than given
    // another: no ping waits longer than two deadlines.
    const expiredBefore = Date.now() - this.#deadlineMs;
    let taken = 0;
    let i = 0;
    for (; i < this.#waiting.length && taken < this.#maxBatch; i++) {
      const waiting = this.#waiting[i]!;
      if (waiting.receivedAt < expiredBefore) {
        waiting.reject(this.#notStored('deadline'));
        continue;
      }
      const key = this.#keyOf(waiting.ping);
      if (this.#flights.holds(key)) {
        left.push(waiting);
        continue;
      }
      const group = groups.get(key);
      if (group) group.waiting.push(waiting);
      else groups.set(key, { key, waiting: [waiting] });
      taken += 1;
    }
    this.#waiting = i === this.#waiting.length ? left : left.concat(this.#waiting.slice(i));
    return [...groups.values()];
  }

  /**
   * Writes pings to known checks in one statement and the others in a
   * locked transaction, side by side: each is a flush of its own, so a slow
   * read of unknown checks never holds up the answers of known ones.
   */
  #startWrites(groups: readonly PingGroup[]): void {
    const known: Array<{ group: PingGroup; write: PlannedWrite }> = [];
    const unknown: PingGroup[] = [];
    for (const group of groups) {
      const write = this.#plan(group.waiting);
      if (write) known.push({ group, write });
      else unknown.push(group);
    }
    if (known.length > 0) {
      void this.#flights.fly(
        known.map((k) => k.group),
        (flight) => this.#writeKnown(known, flight),
      );
    }
    if (unknown.length > 0)
      void this.#flights.fly(unknown, (flight) =>
        this.#writeLocked(
          unknown.flatMap((group) => group.waiting),
          flight,
        ),
      );
  }

  /** A flight's deadline passed (or the recorder closes): its pings are answered 503, and its checks' known state forgotten. */
  #expired(flight: Flight, reason: ExpiryReason): void {
    this.stats.expired += 1;
    const error = this.#notStored(reason);
    for (const group of flight.groups) {
      // Whether the write commits later is unknown: the next ping to these checks reads them first.
      this.#known.forget(group.key);
      for (const waiting of group.waiting) waiting.reject(error);
    }
    if (reason === 'deadline') this.#stall.writeFailed(`a batch write missed its ${this.#deadlineMs} ms deadline`, this.#oldestWaitMs());
  }

  /** A flight landed, so its checks take new pings. */
  #landed(): void {
    if (this.#waiting.length > 0) this.#schedule();
    else if (this.#flights.size === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** A write of one check's pings from its known state; null when that state is unknown or not enough. */
  #plan(waiting: readonly WaitingPing[]): PlannedWrite | null {
    const before = this.#known.find(waiting[0]!.ping.target);
    if (!before) return null;
    let slug = null;
    for (const { ping, locked } of waiting) {
      if (locked) return null;
      if ('pingCode' in ping.target) {
        if (ping.target.pingCode !== before.pingCode) return null;
      } else if (sameSlug(before.slug, ping.target.slug)) slug = before.slug;
      else return null;
    }
    const applied = applyReceivedPings(
      before,
      waiting.map((w) => w.ping),
    );
    return applied.ok ? { before, applied, slug } : null;
  }

  async #writeKnown(planned: ReadonlyArray<{ group: PingGroup; write: PlannedWrite }>, flight: Flight): Promise<void> {
    let versions = new Map<string, string>();
    let failed = false;
    try {
      versions = await writeToKnownChecks(
        this.#database,
        planned.map((p) => p.write),
      );
    } catch {
      // Nothing was written (or, if the connection died after the commit,
      // the locked path below finds the checks changed and writes again).
      // That path retries these pings and, if the failure is theirs, refuses
      // only the ping that caused it.
      failed = true;
    }
    if (flight.expired) return;
    if (!failed) this.#stall.writeSucceeded(flight.startedAt, this.#oldestWaitMs());
    this.stats.batches += 1;
    const again: WaitingPing[] = [];
    for (const {
      write,
      group: { waiting },
    } of planned) {
      const version = versions.get(write.before.id);
      if (version === undefined) {
        this.stats.stale += 1;
        this.#known.stale(write.before.id);
        for (const w of waiting) w.locked = true;
        again.push(...waiting);
        continue;
      }
      this.#known.remember({ ...write.applied.check, version });
      this.stats.pings += waiting.length;
      this.stats.pingsToKnownChecks += waiting.length;
      for (const w of waiting) w.resolve({ recorded: true, checkId: write.before.id });
    }
    // First in line, ahead of later pings to the same checks, which wait while these are in flight.
    if (again.length > 0) this.#waiting.unshift(...again);
  }

  async #writeLocked(batch: WaitingPing[], flight: Flight): Promise<void> {
    try {
      const { results, checks } = await this.#withRetries(
        batch.map((w) => w.ping),
        flight,
      );
      if (flight.expired) return;
      this.#stall.writeSucceeded(flight.startedAt, this.#oldestWaitMs());
      this.stats.batches += 1;
      this.stats.pings += batch.length;
      for (const check of checks) this.#known.remember(check);
      for (const [i, waiting] of batch.entries()) waiting.resolve(results[i]!);
    } catch (error) {
      if (flight.expired) return;
      if (isUnavailable(error)) {
        // No ping's fault, and writing them one by one would fail alike.
        this.#stall.writeFailed(`the database is unavailable (${(error as Error).message})`, this.#oldestWaitMs());
        const notStored = this.#notStored('unavailable');
        for (const waiting of batch) waiting.reject(notStored);
        return;
      }
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // One unstorable ping must not fail the others that shared its
      // transaction: write them one by one so only the bad one is refused.
      for (const waiting of batch) {
        if (flight.expired) return;
        await this.#writeLocked([waiting], flight);
      }
    }
  }

  async #withRetries(pings: ReceivedPing[], flight: Flight) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await recordLockedBatch(this.#database, pings);
      } catch (error) {
        if (attempt >= this.#retries || flight.expired || !isRetryable(error)) throw error;
        this.stats.retries += 1;
      }
    }
  }
}
