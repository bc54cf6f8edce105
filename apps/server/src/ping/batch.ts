import { applyPing, type CheckState, type PingKind } from '@cronbeat/core';
import {
  type CheckAfterPings,
  type Database,
  type FlipToRecord,
  type LockedCheckRecord,
  lockChecksForPingsQuery,
  lockedChecks,
  type NewPing,
  type PipelinedTransaction,
  pipelinedTransaction,
  runStartOf,
  runStartQuery,
  type SlugRef,
  toCheckState,
  writePingBatchQuery,
} from '@cronbeat/db';
import type { StoredBody } from './body';

/** A ping as received, before it is applied to its check. */
export interface ReceivedPing extends StoredBody {
  /** By id, or by ping key and slug (already created when `?create=1` asked for it). */
  target: { checkId: string } | { slug: SlugRef };
  kind: PingKind;
  exitStatus: number | null;
  rid: string | null;
  /** When the request arrived. */
  at: Date;
  method: string;
  scheme: string;
  remoteAddr: string | null;
  userAgent: string | null;
}

/** What became of one ping of a batch. */
export type PingResult = { recorded: true; checkId: string } | { recorded: false; reason: 'not-found' };

const slugKey = (ref: SlugRef) => `${ref.pingKey}\u0000${ref.slug}`;

/** A locked check and what the batch has done to it so far. */
interface CheckProgress {
  id: string;
  state: CheckState;
  nPings: number;
  /** Starts seen earlier in this batch, by run id: not yet in the pings table. */
  startsByRid: Map<string, Date>;
}

/**
 * Records a batch of pings in one transaction: locks their checks, applies
 * each ping in arrival order with the domain's `applyPing`, then writes
 * pings, check state and flips in one statement. Returns one result per
 * ping, in order. Costs two round trips on Postgres whatever the batch size
 * (one more for each run end whose start the check row no longer holds).
 */
export async function recordPingBatch(database: Database, batch: readonly ReceivedPing[]): Promise<PingResult[]> {
  return pipelinedTransaction(database, async (tx) => {
    const ids = new Set<string>();
    const slugs = new Map<string, SlugRef>();
    for (const ping of batch) {
      if ('checkId' in ping.target) ids.add(ping.target.checkId);
      else slugs.set(slugKey(ping.target.slug), ping.target.slug);
    }
    const locked = lockedChecks(await tx.first<LockedCheckRecord>(lockChecksForPingsQuery([...ids], [...slugs.values()])));

    const byId = new Map<string, CheckProgress>();
    const bySlug = new Map<string, CheckProgress>();
    for (const row of locked) {
      const progress: CheckProgress = { id: row.id, state: toCheckState(row), nPings: row.nPings, startsByRid: new Map() };
      byId.set(row.id, progress);
      if (row.slug !== null) bySlug.set(slugKey({ pingKey: row.pingKey, slug: row.slug }), progress);
    }

    const results: PingResult[] = [];
    const pings: NewPing[] = [];
    const flips: FlipToRecord[] = [];
    for (const ping of batch) {
      const check = 'checkId' in ping.target ? byId.get(ping.target.checkId) : bySlug.get(slugKey(ping.target.slug));
      if (!check) {
        results.push({ recorded: false, reason: 'not-found' });
        continue;
      }
      const outcome = applyPing(check.state, {
        kind: ping.kind,
        at: ping.at,
        rid: ping.rid,
        exitStatus: ping.exitStatus,
        runStartedAt: await startOfOverlappingRun(tx, check, ping),
      });
      if (ping.kind === 'start' && ping.rid !== null && outcome.stored.kind === 'start') check.startsByRid.set(ping.rid, ping.at);
      check.state = outcome.check;
      check.nPings += 1;
      pings.push({
        checkId: check.id,
        n: check.nPings,
        kind: outcome.stored.kind,
        at: ping.at,
        exitStatus: ping.exitStatus,
        rid: ping.rid,
        method: ping.method,
        scheme: ping.scheme,
        remoteAddr: ping.remoteAddr,
        userAgent: ping.userAgent,
        body: ping.body,
        bodyRaw: ping.bodyRaw,
        bodySize: ping.bodySize,
        duration: outcome.stored.duration,
      });
      if (outcome.flip) flips.push({ ...outcome.flip, checkId: check.id });
      results.push({ recorded: true, checkId: check.id });
    }

    // Always called, even with nothing to write: it is what commits.
    const checks: CheckAfterPings[] = [...byId.values()].map(({ id, nPings, state }) => ({ id, nPings, state }));
    await tx.last(writePingBatchQuery({ pings, checks, flips }));
    return results;
  });
}

/**
 * The start of the run a success or fail ping ends, when it is not the run
 * the check row remembers: overlapping runs each carry their own run id.
 * Only then does this cost a query.
 */
async function startOfOverlappingRun(tx: PipelinedTransaction, check: CheckProgress, ping: ReceivedPing): Promise<Date | null> {
  const endsRun = ping.kind === 'success' || ping.kind === 'fail';
  if (!endsRun || ping.rid === null || ping.rid === check.state.lastStartRid) return null;
  return check.startsByRid.get(ping.rid) ?? runStartOf(await tx.query(runStartQuery(check.id, ping.rid)));
}
