/** The flip outbox: flips not yet turned into notifications. */
import type { FlipReason, Status } from '@cronbeat/core';
import { eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../client';
import { checks, flips } from '../schema';

export interface PendingFlip {
  id: number;
  checkId: string;
  /** When the status changed. */
  at: Date;
  fromStatus: Status;
  toStatus: Status;
  reason: FlipReason;
  /** The check's per-check option: alert when it turns late too. */
  alertOnLate: boolean;
}

/**
 * Whether any flip waits for its notifications: one index-only probe, so a
 * sweep with nothing pending (the usual case: the sweep's own flips are born
 * processed) costs one round trip instead of a transaction.
 */
export async function hasPendingFlips(db: Db): Promise<boolean> {
  const rows = await db.select({ id: flips.id }).from(flips).where(isNull(flips.processedAt)).limit(1);
  return rows.length > 0;
}

/** Locks up to `limit` unprocessed flips, oldest first, skipping those another worker holds. */
export function claimPendingFlips(tx: Db, limit: number): Promise<PendingFlip[]> {
  return tx
    .select({
      id: flips.id,
      checkId: flips.checkId,
      at: flips.createdAt,
      fromStatus: flips.fromStatus,
      toStatus: flips.toStatus,
      reason: flips.reason,
      alertOnLate: checks.alertOnLate,
    })
    .from(flips)
    .innerJoin(checks, eq(checks.id, flips.checkId))
    .where(isNull(flips.processedAt))
    .orderBy(flips.id)
    .limit(limit)
    .for('update', { of: flips, skipLocked: true });
}

/** Marks flips as done: their notifications exist (or they needed none). */
export async function markFlipsProcessed(tx: Db, ids: number[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx.update(flips).set({ processedAt: at }).where(inArray(flips.id, ids));
}
