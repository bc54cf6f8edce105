import { applyPing, sweepAtAfterPing } from '@cronbeat/core';
import type { FlipToRecord, NewPing } from '@cronbeat/db';
import type { ReceivedPing } from './batch';
import type { KnownCheck } from './known-checks';

export type Applied =
  | { ok: true; check: KnownCheck; pings: NewPing[]; flips: FlipToRecord[] }
  /** A ping ends run `rid`, whose start is neither the check's current run nor among its known run starts. */
  | { ok: false; unknownRun: string };

/**
 * What a check's pings, in arrival order, do to it: the domain's `applyPing`
 * one after the other, giving the rows to store and the check after them.
 * Pure; the check's version is left as read, for the write to compare.
 */
export function applyPings(check: KnownCheck, received: readonly ReceivedPing[]): Applied {
  let { state, nPings } = check;
  // Copied on the first start that adds to it; most batches have none.
  let runStarts = check.runStarts;
  const pings: NewPing[] = [];
  const flips: FlipToRecord[] = [];
  for (const ping of received) {
    let runStartedAt: Date | null = null;
    // An end of a run that is not the one the check row remembers: overlapping runs carry their own run ids.
    if ((ping.kind === 'success' || ping.kind === 'fail') && ping.rid !== null && ping.rid !== state.lastStartRid) {
      const start = runStarts.get(ping.rid);
      if (start === undefined) return { ok: false, unknownRun: ping.rid };
      runStartedAt = start;
    }
    const outcome = applyPing(state, { kind: ping.kind, at: ping.at, rid: ping.rid, exitStatus: ping.exitStatus, runStartedAt });
    if (ping.kind === 'start' && ping.rid !== null && outcome.stored.kind === 'start') {
      const added = new Map(runStarts);
      added.delete(ping.rid); // re-inserted last: newest runs last
      runStarts = added.set(ping.rid, ping.at);
    }
    state = outcome.check;
    nPings += 1;
    pings.push({
      checkId: check.id,
      n: nPings,
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
  }
  const sweepAt = sweepAtAfterPing(check.sweepAt, state, received[received.length - 1]!.at);
  return { ok: true, check: { ...check, state, nPings, sweepAt, runStarts }, pings, flips };
}
