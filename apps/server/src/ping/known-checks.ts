import type { CheckState, PingedCheck } from '@cronbeat/core';
import type { SlugRef } from '@cronbeat/db';

/**
 * A check as this process last read or wrote it: what pings change
 * (`PingedCheck`), and what finds it and guards the write. `version` is the
 * row version (`xmin`) that state belongs to: a write made from it applies
 * only while the row still has that version, so a stale entry costs a retry,
 * never a wrong answer.
 */
export interface KnownCheck extends PingedCheck {
  id: string;
  /**
   * The code its ping URL holds, as of `version`. A rotation changes the
   * row, so a write from an entry whose code is out of date misses.
   */
  pingCode: string;
  version: string;
  /** Its slug and its project's ping key, when it has a slug. */
  slug: SlugRef | null;
}

/**
 * Run starts kept per known check: enough for the runs of one job that
 * overlap. A start dropped here is looked up in the database when its run
 * ends, with the same answer.
 */
const RUN_STARTS_KEPT = 16;

/**
 * A check found changed by another writer twice within this time is not kept
 * for this long. Behind a load balancer that spreads one check's pings over
 * replicas, each would find its known state out of date at every ping; for
 * those checks reading first is the cheaper path. Once is no pattern: the
 * sweep or an edit in the API changes a check now and then.
 */
const CONTENDED_MS = 10 * 60_000;

export const slugKey = (ref: SlugRef) => `${ref.pingKey}\u0000${ref.slug}`;

export const sameSlug = (a: SlugRef | null, b: SlugRef): boolean => a !== null && a.pingKey === b.pingKey && a.slug === b.slug;

/** A time kept as its milliseconds, NaN for none (see `Entry`). */
const msOf = (time: Date | null): number => (time === null ? Number.NaN : time.getTime());
const dateOf = (ms: number): Date | null => (Number.isNaN(ms) ? null : new Date(ms));

/**
 * A known check as kept: the facts of a `KnownCheck`, in fields that the
 * check's next state overwrites in place. An entry lives for seconds (till
 * its check's next ping), far longer than anything else a ping allocates, so
 * replacing it at each ping had every young-generation collection copy and
 * promote thousands of entries, each to die in the old generation and bring
 * on the next full collection: pauses that a ping waiting for its answer
 * feels. Times are numbers, not dates (NaN for none, so V8 keeps each in
 * one mutable box), and the version is a number, so an update allocates
 * nothing; `toKnownCheck` builds the short-lived objects a write needs.
 */
class Entry {
  readonly id: string;
  pingCode: string;
  /** Set when the check was written again since the eviction scan last passed it (see `KnownChecks.#evict`). */
  used = false;
  version = 0;
  slug: SlugRef | null = null;
  nPings = 0;
  status: CheckState['status'] = 'new';
  schedule!: CheckState['schedule'];
  grace = 0;
  maxRuntime: number | null = null;
  manualResume = false;
  methods: NonNullable<KnownCheck['methods']> = '';
  lastPing = Number.NaN;
  lastStart = Number.NaN;
  lastStartRid: string | null = null;
  lastDuration: number | null = null;
  nextDue = Number.NaN;
  alertAfter = Number.NaN;
  sweepAt = Number.NaN;
  runStarts: ReadonlyMap<string, Date | null> = new Map();
  // Policy and record are kept by reference: core returns the same objects when a ping leaves them as they were.
  policy!: CheckState['policy'];
  record!: CheckState['record'];

  constructor(check: KnownCheck) {
    this.id = check.id;
    this.pingCode = check.pingCode;
    this.update(check);
  }

  update(check: KnownCheck): void {
    const { state } = check;
    this.version = Number(check.version);
    // Unchanged references are kept, not replaced by equal new objects.
    if (this.pingCode !== check.pingCode) this.pingCode = check.pingCode;
    if (check.slug === null || !sameSlug(this.slug, check.slug)) this.slug = check.slug;
    this.nPings = check.nPings;
    this.status = state.status;
    this.schedule = state.schedule;
    this.grace = state.grace;
    this.maxRuntime = state.maxRuntime;
    this.manualResume = state.manualResume;
    this.methods = check.methods ?? '';
    this.lastPing = msOf(state.lastPing);
    this.lastStart = msOf(state.lastStart);
    if (this.lastStartRid !== state.lastStartRid) this.lastStartRid = state.lastStartRid;
    this.lastDuration = state.lastDuration;
    this.nextDue = msOf(state.nextDue);
    this.alertAfter = msOf(state.alertAfter);
    this.sweepAt = msOf(check.sweepAt);
    this.policy = state.policy;
    this.record = state.record;
    this.runStarts = check.runStarts.size > RUN_STARTS_KEPT ? new Map([...check.runStarts].slice(-RUN_STARTS_KEPT)) : check.runStarts;
  }

  toKnownCheck(): KnownCheck {
    return {
      id: this.id,
      pingCode: this.pingCode,
      version: String(this.version),
      slug: this.slug,
      nPings: this.nPings,
      state: {
        status: this.status,
        schedule: this.schedule,
        grace: this.grace,
        maxRuntime: this.maxRuntime,
        manualResume: this.manualResume,
        lastPing: dateOf(this.lastPing),
        lastStart: dateOf(this.lastStart),
        lastStartRid: this.lastStartRid,
        lastDuration: this.lastDuration,
        nextDue: dateOf(this.nextDue),
        alertAfter: dateOf(this.alertAfter),
        policy: this.policy,
        record: this.record,
      },
      sweepAt: dateOf(this.sweepAt),
      runStarts: this.runStarts,
      methods: this.methods,
    };
  }
}

/** Whom a ping addresses: a check by its ping code, or by its project's ping key and its slug. */
export type PingTargetRef = { pingCode: string } | { slug: SlugRef };

/**
 * The checks this process pinged lately, by ping code and by slug, so that a ping
 * to a check it already knows is written without reading the check first.
 * Bounded: beyond its bound it drops a check not written lately, oldest
 * first (a second-chance clock, so keeping a check up to date never reorders
 * the map).
 */
export class KnownChecks {
  readonly #max: number;
  readonly #byId = new Map<string, Entry>();
  readonly #idByCode = new Map<string, string>();
  readonly #idBySlug = new Map<string, string>();
  /** When a check was last found changed by another writer. */
  readonly #staleAt = new Map<string, number>();
  readonly #contendedUntil = new Map<string, number>();

  constructor(max: number) {
    this.#max = max;
  }

  get size(): number {
    return this.#byId.size;
  }

  /** The check a ping addresses, when known; only while it still answers to that code, or slug. */
  find(target: PingTargetRef): KnownCheck | undefined {
    return this.#entryOf(target)?.toKnownCheck();
  }

  /** The id of the check a ping addresses, when known (as `find`, without building the check). */
  idOf(target: PingTargetRef): string | undefined {
    return this.#entryOf(target)?.id;
  }

  #entryOf(target: PingTargetRef): Entry | undefined {
    if ('pingCode' in target) {
      const id = this.#idByCode.get(target.pingCode);
      const entry = id === undefined ? undefined : this.#byId.get(id);
      return entry?.pingCode === target.pingCode ? entry : undefined;
    }
    const id = this.#idBySlug.get(slugKey(target.slug));
    const entry = id === undefined ? undefined : this.#byId.get(id);
    return entry && sameSlug(entry.slug, target.slug) ? entry : undefined;
  }

  remember(check: KnownCheck, now = Date.now()): void {
    const contendedUntil = this.#contendedUntil.get(check.id);
    if (contendedUntil !== undefined) {
      if (contendedUntil > now) {
        this.forget(check.id);
        return;
      }
      this.#contendedUntil.delete(check.id);
    }
    const entry = this.#byId.get(check.id);
    const slugBefore = entry?.slug ?? null;
    const codeBefore = entry?.pingCode;
    if (entry) {
      entry.update(check);
      entry.used = true;
    } else {
      if (this.#byId.size >= this.#max) this.#evict();
      this.#byId.set(check.id, new Entry(check));
    }
    if (slugBefore && !(check.slug && sameSlug(slugBefore, check.slug))) this.#dropSlug(check.id, slugBefore);
    if (check.slug) this.#idBySlug.set(slugKey(check.slug), check.id);
    // A rotated code is forgotten here, and a ping that names it is not found among known checks.
    if (codeBefore !== undefined && codeBefore !== check.pingCode) this.#dropCode(check.id, codeBefore);
    if (codeBefore !== check.pingCode) this.#idByCode.set(check.pingCode, check.id);
  }

  /** Forgets a check whose row another writer changed; the second time in a while, does not keep it for a while. */
  stale(id: string, now = Date.now()): void {
    this.forget(id);
    const before = this.#staleAt.get(id);
    if (before !== undefined && before > now - CONTENDED_MS) {
      this.#staleAt.delete(id);
      setBounded(this.#contendedUntil, id, now + CONTENDED_MS, this.#max);
    } else {
      setBounded(this.#staleAt, id, now, this.#max);
    }
  }

  forget(id: string): void {
    const entry = this.#byId.get(id);
    if (!entry) return;
    this.#byId.delete(id);
    this.#dropCode(id, entry.pingCode);
    if (entry.slug) this.#dropSlug(id, entry.slug);
  }

  #dropSlug(id: string, slug: SlugRef): void {
    if (this.#idBySlug.get(slugKey(slug)) === id) this.#idBySlug.delete(slugKey(slug));
  }

  #dropCode(id: string, code: string): void {
    if (this.#idByCode.get(code) === id) this.#idByCode.delete(code);
  }

  /**
   * Drops one check: the oldest in the map not written since the scan last
   * passed it. A check written since goes to the back, unmarked, so a check
   * pinged all along stays, and every check is passed over at most once.
   */
  #evict(): void {
    for (const [id, entry] of this.#byId) {
      if (!entry.used) {
        this.forget(id);
        return;
      }
      entry.used = false;
      this.#byId.delete(id);
      this.#byId.set(id, entry);
    }
  }
}

/** Sets `key` as the newest entry of `map`, dropping the oldest beyond `max`. */
function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
}
