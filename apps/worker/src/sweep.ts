/**
 * The sweep: what time alone does to checks, then the flip outbox turned
 * into notifications, and reminders for checks that stay down; and when it
 * has something to do next. Both drivers (BullMQ, in-process) run this
 * function, in every worker process at once if need be: each claims with
 * SKIP LOCKED.
 */
import { type AlertVerdict, evaluate, FlipReason, isAlerting, Status } from '@cronbeat/core';
import {
  applyTransitions,
  claimDueChecks,
  claimPendingFlips,
  type Db,
  followUpDependents,
  groupAlerts,
  postponeSweep,
  type SweepAgenda,
  type SweepTransition,
  settleFlips,
  sweepAgenda,
  toCheckState,
} from '@cronbeat/db';
import { decideAlerts, followUpDueChecks } from './alert-holds';
import type { WorkerOptions } from './options';

export interface SweepResult {
  /** Flips the sweep wrote (to late or down). */
  flips: number;
  /** Notifications created (reminders too), due at once. */
  notificationIds: string[];
  /** When the sweep has something to do next (a `sweep_at` or `remind_at`, or now for flips in the outbox); null: nothing scheduled. */
  nextAt: Date | null;
  /** What it has to do, as read at the end of this pass: give it to the next pass to save it a look. */
  agenda: SweepAgenda;
}

export type SweepOptions = Pick<WorkerOptions, 'batchSize'> & {
  /** The clock; tests move it. Default: the system clock. */
  now?: () => Date;
  /** Told after each committed batch that made notifications, so they can be sent while the sweep goes on. */
  notified?: (notificationIds: string[]) => void;
  /** The previous pass's agenda; used only when it says something is due by now, else the sweep looks again. */
  agenda?: SweepAgenda;
};

/** Whether an agenda has anything due at `now`. */
const dueBy = (agenda: SweepAgenda, now: Date): boolean =>
  agenda.outbox || (agenda.sweepAt !== null && agenda.sweepAt <= now) || (agenda.remindAt !== null && agenda.remindAt <= now);

/** When an agenda has something due next. */
const nextOf = (agenda: SweepAgenda, now: Date): Date | null => {
  if (agenda.outbox) return now;
  const times = [agenda.sweepAt, agenda.remindAt].filter((at): at is Date => at !== null);
  return times.length === 0 ? null : new Date(Math.min(...times.map((at) => at.getTime())));
};

export async function sweep(db: Db, options: SweepOptions): Promise<SweepResult> {
  const clock = options.now ?? (() => new Date());
  const notificationIds: string[] = [];
  const notified = (ids: string[]) => {
    if (ids.length === 0) return;
    notificationIds.push(...ids);
    options.notified?.(ids);
  };
  // Only the parts that are due: a pass with nothing to do costs one look at the agenda.
  const now = clock();
  const agenda = options.agenda && dueBy(options.agenda, now) ? options.agenda : await sweepAgenda(db);
  if (!dueBy(agenda, now)) return { flips: 0, notificationIds, nextAt: nextOf(agenda, now), agenda };
  const flips = agenda.sweepAt && agenda.sweepAt <= now ? await flipDueChecks(db, clock, options.batchSize, notified) : 0;
  if (agenda.outbox) await processFlipOutbox(db, clock(), options.batchSize, notified);
  if (agenda.remindAt && agenda.remindAt <= now) await makeDueReminders(db, clock, options.batchSize, notified);
  const after = await sweepAgenda(db);
  return { flips, notificationIds, nextAt: nextOf(after, clock()), agenda: after };
}

/** Whether a flip alerts: to down and back up always, to late when the check asks for it. */
const alerts = (flip: { from: Status; to: Status }, alertOnLate: boolean): boolean =>
  isAlerting(flip) || (flip.to === Status.late && alertOnLate);

/** A flip from down back up: the dependents held for it are looked at again. */
const isRecovery = (flip: { fromStatus: Status; toStatus: Status }) => flip.fromStatus === Status.down && flip.toStatus === Status.up;

/** A transition as its alert verdict says: sent now, or held (a check held for its parent is down for `dependency`). */
function applyVerdict(swept: SweepTransition, verdict: AlertVerdict): void {
  swept.alert = verdict.send;
  swept.hold = verdict.send ? null : verdict.hold;
  if (swept.hold?.kind === 'dependency' && swept.flip) swept.flip = { ...swept.flip, reason: FlipReason.dependency };
}

/**
 * Claims due checks batch after batch until none is left, so a burst of
 * deadlines drains in one tick. Each batch writes its flips and their
 * notifications in one statement, so they can be enqueued on this same tick;
 * checks that time did not change (pings moved their deadline since) get
 * their next `sweep_at` instead.
 */
async function flipDueChecks(db: Db, clock: () => Date, batchSize: number, notified: (ids: string[]) => void): Promise<number> {
  let total = 0;
  for (;;) {
    const now = clock();
    const { claimed, changed, flips, folded } = await db.transaction(async (tx) => {
      const due = await claimDueChecks(tx, now, batchSize);
      const transitions: SweepTransition[] = [];
      const alerting: SweepTransition[] = [];
      const unchanged = [];
      for (const row of due) {
        const check = toCheckState(row);
        const transition = evaluate(check, now);
        if (!transition) {
          unchanged.push({ checkId: row.id, check });
          continue;
        }
        const swept: SweepTransition = { checkId: row.id, alert: false, ...transition };
        transitions.push(swept);
        if (transition.flip && alerts(transition.flip, row.alertOnLate)) alerting.push(swept);
      }
      const { verdicts, grouped, facts } = await decideAlerts(
        tx,
        alerting.map((swept) => ({ checkId: swept.checkId, flip: swept.flip! })),
      );
      alerting.forEach((swept, i) => {
        applyVerdict(swept, verdicts[i]!);
      });
      const flips = await applyTransitions(tx, transitions);
      const groupedDowns = flips.filter(
        (flip) => flip.toStatus === Status.down && grouped.has(facts.checks.get(flip.checkId)?.projectId ?? ''),
      );
      const folded = new Set(
        await groupAlerts(
          tx,
          groupedDowns.map((flip) => flip.id),
        ),
      );
      await followUpDependents(
        tx,
        flips.filter(isRecovery).map((flip) => flip.checkId),
      );
      const postponed = await postponeSweep(tx, unchanged);
      return { claimed: due.length, changed: transitions.length + postponed, flips, folded };
    });
    notified(flips.flatMap((flip) => flip.notificationIds.filter((id) => !folded.has(id))));
    total += flips.length;
    // A full batch that changed nothing would be claimed again forever; stop instead.
    if (claimed < batchSize || changed === 0) return total;
  }
}

/** Turns pending flips (the pings'; the sweep's are born processed) into notifications, marking each flip processed. */
async function processFlipOutbox(db: Db, now: Date, batchSize: number, notified: (ids: string[]) => void): Promise<void> {
  for (;;) {
    const created: string[] = [];
    const claimed = await db.transaction(async (tx) => {
      const pending = await claimPendingFlips(tx, batchSize);
      if (pending.length === 0) return 0;
      const alerting = pending.filter((flip) => alerts({ from: flip.fromStatus, to: flip.toStatus }, flip.alertOnLate));
      const { verdicts } = await decideAlerts(
        tx,
        alerting.map((flip) => ({ checkId: flip.checkId, flip: { from: flip.fromStatus, to: flip.toStatus, at: flip.at } })),
      );
      const verdictOf = new Map(alerting.map((flip, i) => [flip.id, verdicts[i]!]));
      const settled = pending.map((flip) => {
        const verdict = verdictOf.get(flip.id);
        const hold = verdict && !verdict.send ? verdict.hold : null;
        return {
          id: flip.id,
          alert: verdict?.send ?? false,
          hold,
          reason: hold?.kind === 'dependency' ? FlipReason.dependency : undefined,
        };
      });
      created.push(...(await settleFlips(tx, settled, now)));
      await followUpDependents(
        tx,
        pending.filter((flip) => isRecovery({ fromStatus: flip.fromStatus, toStatus: flip.toStatus })).map((flip) => flip.checkId),
      );
      return pending.length;
    });
    notified(created);
    if (claimed < batchSize) return;
  }
}

/**
 * Follows up the checks whose `remind_at` has come (held alerts, then
 * reminders), batch after batch: their cost follows what is due, not the
 * checks down.
 */
async function makeDueReminders(db: Db, clock: () => Date, batchSize: number, notified: (ids: string[]) => void): Promise<void> {
  for (;;) {
    const { claimed, notificationIds } = await followUpDueChecks(db, clock(), batchSize);
    notified(notificationIds);
    if (claimed < batchSize) return;
  }
}
