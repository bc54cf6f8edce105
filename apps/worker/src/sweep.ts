/**
 * The sweep job: what time alone does to checks, then the flip outbox turned
 * into notifications, and reminders for checks that stay down. Both drivers
 * (BullMQ, in-process) run this function.
 */
import { evaluate, isAlerting, Status } from '@cronbeat/core';
import {
  applyTransitions,
  claimDueChecks,
  claimPendingFlips,
  createNotifications,
  createReminders,
  type Db,
  hasPendingFlips,
  markFlipsProcessed,
  postponeSweep,
  stalePendingNotifications,
  toCheckState,
} from '@cronbeat/db';
import type { WorkerOptions } from './options';

export interface SweepResult {
  /** Flips the sweep wrote (to late or down). */
  flips: number;
  /** Notifications to enqueue: created now (reminders too), or pending so long their job may be lost. */
  notificationIds: string[];
}

export type SweepOptions = Pick<WorkerOptions, 'batchSize' | 'redeliverAfterMs'> & {
  /** The clock; tests move it. Default: the system clock. */
  now?: () => Date;
};

export async function sweep(db: Db, options: SweepOptions): Promise<SweepResult> {
  const clock = options.now ?? (() => new Date());
  const swept = await flipDueChecks(db, clock, options.batchSize);
  const created = await processFlipOutbox(db, clock(), options.batchSize);
  const reminders = await createReminders(db, clock(), options.batchSize);
  const stale = await stalePendingNotifications(db, new Date(clock().getTime() - options.redeliverAfterMs), options.batchSize);
  return { flips: swept.flips, notificationIds: [...new Set([...swept.notificationIds, ...created, ...reminders, ...stale])] };
}

/** Whether a flip alerts: to down and back up always, to late when the check asks for it. */
const alerts = (flip: { from: Status; to: Status }, alertOnLate: boolean): boolean =>
  isAlerting(flip) || (flip.to === Status.late && alertOnLate);

/**
 * Claims due checks batch after batch until none is left, so a burst of
 * deadlines drains in one tick. Each batch writes its flips and their
 * notifications in one statement, so they can be enqueued on this same tick;
 * checks that time did not change (pings moved their deadline since) get
 * their next `sweep_at` instead.
 */
async function flipDueChecks(db: Db, clock: () => Date, batchSize: number): Promise<{ flips: number; notificationIds: string[] }> {
  let total = 0;
  const notificationIds: string[] = [];
  for (;;) {
    const now = clock();
    const { claimed, changed, flips } = await db.transaction(async (tx) => {
      const due = await claimDueChecks(tx, now, batchSize);
      const transitions = [];
      const unchanged = [];
      for (const row of due) {
        const check = toCheckState(row);
        const transition = evaluate(check, now);
        if (transition) transitions.push({ checkId: row.id, alert: alerts(transition.flip, row.alertOnLate), ...transition });
        else unchanged.push({ checkId: row.id, check });
      }
      const flips = await applyTransitions(tx, transitions);
      const postponed = await postponeSweep(tx, unchanged);
      return { claimed: due.length, changed: flips.length + postponed, flips };
    });
    // Only after the commit: a job for a notification that was rolled back would find nothing to send.
    for (const flip of flips) notificationIds.push(...flip.notificationIds);
    total += flips.length;
    // A full batch that changed nothing would be claimed again forever; stop instead.
    if (claimed < batchSize || changed === 0) return { flips: total, notificationIds };
  }
}

/** Turns pending flips (the pings'; the sweep's are born processed) into notifications, marking each flip processed. */
async function processFlipOutbox(db: Db, now: Date, batchSize: number): Promise<string[]> {
  const created: string[] = [];
  if (!(await hasPendingFlips(db))) return created;
  for (;;) {
    const claimed = await db.transaction(async (tx) => {
      const pending = await claimPendingFlips(tx, batchSize);
      if (pending.length === 0) return 0;
      const alerting = pending.filter((flip) => alerts({ from: flip.fromStatus, to: flip.toStatus }, flip.alertOnLate));
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
