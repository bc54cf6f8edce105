/**
 * The sweep job: what time alone does to checks, then the flip outbox turned
 * into notifications. Both drivers (BullMQ, in-process) run this function.
 */
import { evaluate, isAlerting, Status } from '@cronbeat/core';
import {
  applyTransitions,
  claimDueChecks,
  claimPendingFlips,
  createNotifications,
  type Db,
  markFlipsProcessed,
  stalePendingNotifications,
  toCheckState,
} from '@cronbeat/db';
import type { WorkerOptions } from './options';

export interface SweepResult {
  /** Flips the sweep wrote (to late or down). */
  flips: number;
  /** Notifications to enqueue: created now, or pending so long their job may be lost. */
  notificationIds: string[];
}

export type SweepOptions = Pick<WorkerOptions, 'batchSize' | 'redeliverAfterMs'> & {
  /** The clock; tests move it. Default: the system clock. */
  now?: () => Date;
};

export async function sweep(db: Db, options: SweepOptions): Promise<SweepResult> {
  const clock = options.now ?? (() => new Date());
  const flips = await flipDueChecks(db, clock, options.batchSize);
  const created = await processFlipOutbox(db, clock(), options.batchSize);
  const stale = await stalePendingNotifications(db, new Date(clock().getTime() - options.redeliverAfterMs), options.batchSize);
  return { flips, notificationIds: [...new Set([...created, ...stale])] };
}

/** Claims due checks batch after batch until none is left, so a burst of deadlines drains in one tick. */
async function flipDueChecks(db: Db, clock: () => Date, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const now = clock();
    const { claimed, flipped } = await db.transaction(async (tx) => {
      const due = await claimDueChecks(tx, now, batchSize);
      const transitions = due.flatMap((row) => {
        const transition = evaluate(toCheckState(row), now);
        return transition ? [{ checkId: row.id, ...transition }] : [];
      });
      const flips = await applyTransitions(tx, transitions);
      return { claimed: due.length, flipped: flips.length };
    });
    total += flipped;
    // A full batch that changed nothing would be claimed again forever; stop instead.
    if (claimed < batchSize || flipped === 0) return total;
  }
}

/** Turns pending flips (the sweep's and the pings') into notifications, marking each flip processed. */
async function processFlipOutbox(db: Db, now: Date, batchSize: number): Promise<string[]> {
  const created: string[] = [];
  for (;;) {
    const claimed = await db.transaction(async (tx) => {
      const pending = await claimPendingFlips(tx, batchSize);
      const alerting = pending.filter(
        (flip) => isAlerting({ from: flip.fromStatus, to: flip.toStatus }) || (flip.toStatus === Status.late && flip.alertOnLate),
      );
      created.push(
        ...(await createNotifications(
          tx,
          alerting.map((flip) => flip.id),
        )),
      );
      await markFlipsProcessed(
        tx,
        pending.map((flip) => flip.id),
        now,
      );
      return pending.length;
    });
    if (claimed < batchSize) return created;
  }
}
