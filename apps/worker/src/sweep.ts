/**
 * The sweep: what time alone does to checks, then the flip outbox turned
 * into notifications, and reminders for checks that stay down; and when it
 * has something to do next. Both drivers (BullMQ, in-process) run this
 * function, in every worker process at once if need be: each claims with
 * SKIP LOCKED.
 */
import { evaluate, isAlerting, Status } from '@cronbeat/core';
import {
  applyTransitions,
  claimDueChecks,
  claimPendingFlips,
  createReminders,
  type Db,
  hasPendingFlips,
  nextSweepAt,
  postponeSweep,
  settleFlips,
  toCheckState,
} from '@cronbeat/db';
import type { WorkerOptions } from './options';

export interface SweepResult {
  /** Flips the sweep wrote (to late or down). */
  flips: number;
  /** Notifications created (reminders too), due at once. */
  notificationIds: string[];
  /** When the sweep has something to do next (a `sweep_at`, or now for flips in the outbox); null: nothing scheduled. */
  nextAt: Date | null;
}

export type SweepOptions = Pick<WorkerOptions, 'batchSize'> & {
  /** The clock; tests move it. Default: the system clock. */
  now?: () => Date;
};

export async function sweep(db: Db, options: SweepOptions): Promise<SweepResult> {
  const clock = options.now ?? (() => new Date());
  const swept = await flipDueChecks(db, clock, options.batchSize);
  const created = await processFlipOutbox(db, clock(), options.batchSize);
  const reminders = await createReminders(db, clock(), options.batchSize);
  const nextAt = await nextSweepAt(db, clock());
  return { flips: swept.flips, notificationIds: [...swept.notificationIds, ...created, ...reminders], nextAt };
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
      const settled = pending.map((flip) => ({
        id: flip.id,
        alert: alerts({ from: flip.fromStatus, to: flip.toStatus }, flip.alertOnLate),
      }));
      created.push(...(await settleFlips(tx, settled, now)));
      return pending.length;
    });
    if (claimed < batchSize) return created;
  }
}
