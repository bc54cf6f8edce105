import type { Database } from '@cronbeat/db';
import { applyPings } from './apply';
import { type PingResult, type PlannedWrite, type ReceivedPing, recordLockedBatch, writeToKnownChecks } from './batch';
import { KnownChecks, sameSlug, slugKey } from './known-checks';

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
}

interface Waiting {
  ping: ReceivedPing;
  resolve(result: PingResult): void;
  reject(error: unknown): void;
  /** Set once a write from known state missed: the next attempt locks and reads the check. */
  locked?: boolean;
}

/** A check's waiting pings, in arrival order, taken for one flush. */
interface Group {
  key: string;
  waiting: Waiting[];
}

/** Postgres errors after which the same transaction may succeed: deadlock_detected, serialization_failure. */
const RETRYABLE = new Set(['40P01', '40001']);
const isRetryable = (error: unknown): boolean => {
  const code =
    (error as { code?: unknown; cause?: { code?: unknown } } | null)?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
};

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
  #waiting: Waiting[] = [];
  /** Keys (see `#keyOf`) of checks with pings in a flush. */
  readonly #inFlight = new Set<string>();
  #flushing = 0;
  #scheduled = false;
  #idle: Array<() => void> = [];
  /**
   * Transactions and pings written so far (pings ÷ batches is the pings per
   * transaction), of which pings written from known state without reading
   * their check; retries after deadlocks; checks whose known state was out of
   * date when written to.
   */
  readonly stats = { batches: 0, pings: 0, pingsToKnownChecks: 0, retries: 0, stale: 0 };

  constructor(database: Database, options: PingRecorderOptions = {}) {
    this.#database = database;
    this.#concurrentFlushes = options.concurrentFlushes ?? 1;
    this.#maxBatch = options.maxBatch ?? 500;
    this.#retries = options.retries ?? 3;
    this.#known = new KnownChecks(options.knownChecks ?? 50_000);
  }

  /** Resolves once the ping is committed (or known to address no check); rejects when it could not be stored. */
  record(ping: ReceivedPing): Promise<PingResult> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ ping, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves when every ping handed to `record` so far has been written. */
  drain(): Promise<void> {
    if (this.#waiting.length === 0 && this.#flushing === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled || this.#flushing >= this.#concurrentFlushes) return;
    this.#scheduled = true;
    // Wait for the rest of this turn of the event loop, so requests that
    // arrived together share a transaction even when no flush is running.
    setImmediate(() => {
      this.#scheduled = false;
      while (this.#waiting.length > 0 && this.#flushing < this.#concurrentFlushes) {
        const groups = this.#take();
        if (groups.length === 0) break; // every waiting ping's check is in a flush already
        this.#startWrites(groups);
      }
    });
  }

  /** One check per key: its id when known, else what the ping named it by. */
  #keyOf({ target }: ReceivedPing): string {
    return this.#known.idOf(target) ?? ('pingCode' in target ? `code:${target.pingCode}` : `slug:${slugKey(target.slug)}`);
  }

  /** Takes up to `maxBatch` waiting pings whose checks are in no flush, grouped by check. */
  #take(): Group[] {
    const groups = new Map<string, Group>();
    const left: Waiting[] = [];
    let taken = 0;
    let i = 0;
    for (; i < this.#waiting.length && taken < this.#maxBatch; i++) {
      const waiting = this.#waiting[i]!;
      const key = this.#keyOf(waiting.ping);
      if (this.#inFlight.has(key)) {
        left.push(waiting);
        continue;
      }
      const group = groups.get(key);
      if (group) group.waiting.push(waiting);
      else groups.set(key, { key, waiting: [waiting] });
      taken += 1;
    }
    this.#waiting = i === this.#waiting.length ? left : left.concat(this.#waiting.slice(i));
    for (const key of groups.keys()) this.#inFlight.add(key);
    return [...groups.values()];
  }

  /**
   * Writes pings to known checks in one statement and the others in a
   * locked transaction, side by side: each is a flush of its own, so a slow
   * read of unknown checks never holds up the answers of known ones.
   */
  #startWrites(groups: readonly Group[]): void {
    const known: Array<{ group: Group; write: PlannedWrite }> = [];
    const unknown: Group[] = [];
    for (const group of groups) {
      const write = this.#plan(group.waiting);
      if (write) known.push({ group, write });
      else unknown.push(group);
    }
    if (known.length > 0) {
      void this.#flush(
        known.map((k) => k.group),
        () => this.#writeKnown(known),
      );
    }
    if (unknown.length > 0) void this.#flush(unknown, () => this.#writeLocked(unknown.flatMap((group) => group.waiting)));
  }

  async #flush(groups: readonly Group[], write: () => Promise<void>): Promise<void> {
    this.#flushing += 1;
    try {
      await write();
    } finally {
      for (const group of groups) this.#inFlight.delete(group.key);
      this.#flushing -= 1;
      if (this.#waiting.length > 0) this.#schedule();
      else if (this.#flushing === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  /** A write of one check's pings from its known state; null when that state is unknown or not enough. */
  #plan(waiting: readonly Waiting[]): PlannedWrite | null {
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
    const applied = applyPings(
      before,
      waiting.map((w) => w.ping),
    );
    return applied.ok ? { before, applied, slug } : null;
  }

  async #writeKnown(planned: ReadonlyArray<{ group: Group; write: PlannedWrite }>): Promise<void> {
    let versions = new Map<string, string>();
    try {
      versions = await writeToKnownChecks(
        this.#database,
        planned.map((p) => p.write),
      );
    } catch {
      // Nothing was written. The locked path below retries these pings and,
      // if the failure is theirs, refuses only the ping that caused it.
    }
    this.stats.batches += 1;
    const again: Waiting[] = [];
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

  async #writeLocked(batch: Waiting[]): Promise<void> {
    try {
      const { results, checks } = await this.#withRetries(batch.map((w) => w.ping));
      this.stats.batches += 1;
      this.stats.pings += batch.length;
      for (const check of checks) this.#known.remember(check);
      for (const [i, waiting] of batch.entries()) waiting.resolve(results[i]!);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // One unstorable ping must not fail the others that shared its
      // transaction: write them one by one so only the bad one is refused.
      for (const waiting of batch) await this.#writeLocked([waiting]);
    }
  }

  async #withRetries(pings: ReceivedPing[]) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await recordLockedBatch(this.#database, pings);
      } catch (error) {
        if (attempt >= this.#retries || !isRetryable(error)) throw error;
        this.stats.retries += 1;
      }
    }
  }
}
