import { type PingKind, withRunStart } from '@cronbeat/core';
import {
  type CheckAfterPings,
  type Database,
  type FlipToRecord,
  type LockedCheckRecord,
  lockChecksForPingsQuery,
  lockedChecks,
  type NewPing,
  pipelinedTransaction,
  runStartOf,
  runStartQuery,
  runStatement,
  type SlugRef,
  toCheckState,
  type WrittenCheck,
  writePingBatchQuery,
} from '@cronbeat/db';
import { type Applied, applyReceivedPings } from './apply';
import type { StoredBody } from './body';
import { type KnownCheck, slugKey } from './known-checks';

/** A ping as received, before it is applied to its check. */
export interface ReceivedPing extends StoredBody {
  /** By ping code (never by id), or by ping key and slug (already created when `?create=1` asked for it). */
  target: { pingCode: string } | { slug: SlugRef };
  kind: PingKind;
  exitStatus: number | null;
  rid: string | null;
  /** Milliseconds the client says its run took (Cronitor's `metric=duration`), for an end no start pairs with. */
  reportedDuration?: number | null;
  /** When the request arrived. */
  at: Date;
  method: string;
  scheme: string;
  remoteAddr: string | null;
  userAgent: string | null;
}

/** What became of one ping of a batch. */
export type PingResult = { recorded: true; checkId: string } | { recorded: false; reason: 'not-found' };

/** One check's pings applied to its known state, ready to write. */
export interface PlannedWrite {
  /** The check as known before these pings; its version is what the write compares. */
  before: KnownCheck;
  applied: Extract<Applied, { ok: true }>;
  /** Set when pings used the check's slug: the write then also requires that the slug still leads to it. */
  slug: SlugRef | null;
}

function writeQuery(writes: readonly PlannedWrite[]) {
  const pings: NewPing[] = [];
  const flips: FlipToRecord[] = [];
  const checks: CheckAfterPings[] = [];
  for (const { before, applied, slug } of writes) {
    pings.push(...applied.pings);
    flips.push(...applied.flips);
    const { nPings, state, sweepAt } = applied.check;
    checks.push({ id: before.id, version: before.version, slug, nPings, state, sweepAt });
  }
  return writePingBatchQuery({ pings, checks, flips });
}

/**
 * Writes pings to checks this process knows, without reading them: one
 * statement, one round trip. Returns the new version of each check written;
 * a check missing from the answer had changed since it was known, and none
 * of its pings were stored.
 */
export async function writeToKnownChecks(database: Database, writes: readonly PlannedWrite[]): Promise<Map<string, string>> {
  const written = await runStatement<WrittenCheck>(database, writeQuery(writes));
  return new Map(written.map((check) => [check.id, check.version]));
}

/**
 * Records a batch of pings in one transaction that first locks and reads
 * their checks, for checks this process does not know (or knew wrongly).
 * Returns one result per ping, in order, and the checks as written. Costs two
 * round trips on Postgres whatever the batch size (one more for each run end
 * whose start is not on the check row).
 */
export async function recordLockedBatch(
  database: Database,
  batch: readonly ReceivedPing[],
): Promise<{ results: PingResult[]; checks: KnownCheck[] }> {
  return pipelinedTransaction(database, async (tx) => {
    const codes = new Set<string>();
    const slugs = new Map<string, SlugRef>();
    for (const ping of batch) {
      if ('pingCode' in ping.target) codes.add(ping.target.pingCode);
      else slugs.set(slugKey(ping.target.slug), ping.target.slug);
    }
    const locked = lockedChecks(await tx.first<LockedCheckRecord>(lockChecksForPingsQuery([...codes], [...slugs.values()])));

    const byId = new Map<string, KnownCheck>();
    const idBySlug = new Map<string, string>();
    const idByCode = new Map<string, string>();
    for (const row of locked) {
      const slug = row.slug === null ? null : { pingKey: row.pingKey, slug: row.slug };
      byId.set(row.id, {
        id: row.id,
        pingCode: row.pingCode,
        version: row.version,
        slug,
        nPings: row.nPings,
        state: toCheckState(row),
        sweepAt: row.sweepAt,
        runStarts: new Map(),
        methods: row.methods,
      });
      if (slug) idBySlug.set(slugKey(slug), row.id);
      idByCode.set(row.pingCode, row.id);
    }

    const results: PingResult[] = [];
    const pingsByCheck = new Map<string, ReceivedPing[]>();
    for (const ping of batch) {
      const id = 'pingCode' in ping.target ? idByCode.get(ping.target.pingCode) : idBySlug.get(slugKey(ping.target.slug));
      if (id === undefined || !byId.has(id)) {
        results.push({ recorded: false, reason: 'not-found' });
        continue;
      }
      const pings = pingsByCheck.get(id);
      if (pings) pings.push(ping);
      else pingsByCheck.set(id, [ping]);
      results.push({ recorded: true, checkId: id });
    }

    const writes: PlannedWrite[] = [];
    for (const [id, pings] of pingsByCheck) {
      let before = byId.get(id)!;
      let applied = applyReceivedPings(before, pings);
      while (!applied.ok) {
        const start = runStartOf(await tx.query(runStartQuery(id, applied.unknownRun)));
        before = { ...before, runStarts: withRunStart(before.runStarts, applied.unknownRun, start) };
        applied = applyReceivedPings(before, pings);
      }
      writes.push({ before, applied, slug: null });
    }

    // Always run, even with nothing to write: it is what commits.
    const written = await tx.last<WrittenCheck>(writeQuery(writes));
    const versions = new Map(written.map((check) => [check.id, check.version]));
    const checks = writes.map(({ applied }) => {
      const version = versions.get(applied.check.id);
      // The rows are locked by this transaction, so their versions cannot have moved.
      if (version === undefined) throw new Error(`check ${applied.check.id} changed while locked`);
      return { ...applied.check, version };
    });
    return { results, checks };
  });
}
