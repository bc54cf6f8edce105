import { applyPings } from '@cronbeat/core';
import type { FlipToRecord, NewPing } from '@cronbeat/db';
import type { ReceivedPing } from './batch';
import type { KnownCheck } from './known-checks';

export type Applied =
  | { ok: true; check: KnownCheck; pings: NewPing[]; flips: FlipToRecord[] }
  /** A ping ends run `rid`, whose start is neither the check's current run nor among its known run starts. */
  | { ok: false; unknownRun: string };

/**
 * A check's pings, in arrival order, applied by the domain (`applyPings`),
 * as the rows to store and the check after them. The check's version is
 * left as read, for the write to compare.
 */
export function applyReceivedPings(check: KnownCheck, received: readonly ReceivedPing[]): Applied {
  const applied = applyPings(check, received);
  if (!applied.ok) return applied;
  const pings: NewPing[] = [];
  for (let i = 0; i < received.length; i++) {
    const ping = received[i]!;
    const { n, kind, duration, keyword } = applied.stored[i]!;
    pings.push({
      checkId: check.id,
      n,
      kind,
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
      duration,
      keyword,
    });
  }
  const flips = applied.flips.map((flip): FlipToRecord => ({ ...flip, checkId: check.id }));
  return { ok: true, check: applied.check, pings, flips };
}
