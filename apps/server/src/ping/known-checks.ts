import type { CheckState } from '@cronbeat/core';
import type { SlugRef } from '@cronbeat/db';

/**
 * A check as this process last read or wrote it. `version` is the row
 * version (`xmin`) that state belongs to: a write made from it applies only
 * while the row still has that version, so a stale entry costs a retry,
 * never a wrong answer.
 */
export interface KnownCheck {
  id: string;
  version: string;
  /** Its slug and its project's ping key, when it has a slug. */
  slug: SlugRef | null;
  nPings: number;
  state: CheckState;
  /** When the sweep is to look at the check next, as stored. */
  sweepAt: Date | null;
  /** Starts of runs by run id, as stored: `null` when the run id has no start. */
  runStarts: ReadonlyMap<string, Date | null>;
}

/** Run starts kept per check: enough for the runs of one job that overlap. */
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

/**
 * The checks this process pinged lately, by id and by slug, so that a ping
 * to a check it already knows is written without reading the check first.
 * Bounded: the entry used longest ago goes first.
 */
export class KnownChecks {
  readonly #max: number;
  readonly #byId = new Map<string, KnownCheck>();
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

  /** The check a ping addresses, when known; by slug only while it still answers to that slug. */
  find(target: { checkId: string } | { slug: SlugRef }): KnownCheck | undefined {
    if ('checkId' in target) return this.#byId.get(target.checkId);
    const id = this.#idBySlug.get(slugKey(target.slug));
    const check = id === undefined ? undefined : this.#byId.get(id);
    return check && sameSlug(check.slug, target.slug) ? check : undefined;
  }

  remember(check: KnownCheck, now = Date.now()): void {
    this.forget(check.id);
    const contendedUntil = this.#contendedUntil.get(check.id);
    if (contendedUntil !== undefined) {
      if (contendedUntil > now) return;
      this.#contendedUntil.delete(check.id);
    }
    // Entries are never changed in place, so the check is kept as given unless its run starts need cutting.
    const kept =
      check.runStarts.size > RUN_STARTS_KEPT ? { ...check, runStarts: new Map([...check.runStarts].slice(-RUN_STARTS_KEPT)) } : check;
    this.#byId.set(check.id, kept);
    if (check.slug) this.#idBySlug.set(slugKey(check.slug), check.id);
    // Maps iterate in insertion order and `forget` removed this id first, so the oldest entry is first.
    if (this.#byId.size > this.#max) this.forget(this.#byId.keys().next().value!);
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
    const check = this.#byId.get(id);
    if (!check) return;
    this.#byId.delete(id);
    if (check.slug && this.#idBySlug.get(slugKey(check.slug)) === id) this.#idBySlug.delete(slugKey(check.slug));
  }
}

/** Sets `key` as the newest entry of `map`, dropping the oldest beyond `max`. */
function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
}
