/**
 * Which of a batch's alerting flips go out now, which are held (a
 * maintenance window, a parent already down) and which never go out, by
 * core's `alertVerdict`; which projects' flips to down are many enough to
 * be told in one message per channel; and the follow-ups of held alerts
 * and reminders, by core's `followUp`.
 */
import { type AlertVerdict, alertVerdict, type Flip, followUp, groupedProjects, maintenanceAt, Status } from '@cronbeat/core';
import {
  type AlertFacts,
  alertFactsOf,
  claimDueFollowUps,
  type Db,
  type FollowUpWrites,
  windowsOfProjects,
  writeFollowUps,
} from '@cronbeat/db';

export interface AlertingFlip {
  checkId: string;
  flip: Pick<Flip, 'from' | 'to' | 'at'>;
}

const NEVER: AlertVerdict = { send: false, hold: null };

/**
 * Verdicts for `flips`, in order. A parent going down in the same batch
 * counts as down, and a recovery whose incident's alert this batch sends
 * counts as told.
 */
export function alertVerdicts(flips: readonly AlertingFlip[], facts: AlertFacts): AlertVerdict[] {
  const downInBatch = new Set(flips.filter(({ flip }) => flip.to === Status.down).map(({ checkId }) => checkId));
  const toldInBatch = new Set<string>();
  return flips.map(({ checkId, flip }) => {
    const check = facts.checks.get(checkId);
    // A check deleted since it was claimed has nobody to tell.
    if (!check) return NEVER;
    const occurrence = maintenanceAt(facts.windows.get(check.projectId) ?? [], { id: checkId, tags: check.tags }, flip.at);
    const verdict = alertVerdict(flip, {
      maintenance: occurrence && { windowId: occurrence.windowId, end: occurrence.end },
      downParents: check.parents.filter((parent) => parent.status === Status.down || downInBatch.has(parent.id)).map((parent) => parent.id),
      incidentAlerted: check.incidentAlerted || toldInBatch.has(checkId),
    });
    if (verdict.send && flip.to === Status.down) toldInBatch.add(checkId);
    return verdict;
  });
}

/** Projects whose flips to down told now in this batch are more than their `groupAlertsAbove` (core's `groupedProjects`). */
function groupedOf(flips: readonly AlertingFlip[], verdicts: readonly AlertVerdict[], facts: AlertFacts): Set<string> {
  const downs = flips.flatMap(({ checkId, flip }, i) => {
    const check = facts.checks.get(checkId);
    return check && verdicts[i]!.send && flip.to === Status.down ? [check.projectId] : [];
  });
  const above = new Map([...facts.checks.values()].map((check) => [check.projectId, check.groupAlertsAbove]));
  return groupedProjects(downs, (projectId) => above.get(projectId) ?? null);
}

/** The verdicts of a batch's alerting flips, the facts read once for them, and the projects whose downs are grouped. */
export async function decideAlerts(
  tx: Db,
  flips: readonly AlertingFlip[],
): Promise<{ verdicts: AlertVerdict[]; grouped: Set<string>; facts: AlertFacts }> {
  const ids = (keep: (flip: AlertingFlip) => boolean) => [...new Set(flips.filter(keep).map((flip) => flip.checkId))];
  const facts = await alertFactsOf(tx, {
    checkIds: ids(() => true),
    goingDown: ids(({ flip }) => flip.to === Status.down),
    recovering: ids(({ flip }) => flip.from === Status.down && flip.to === Status.up),
  });
  const verdicts = alertVerdicts(flips, facts);
  return { verdicts, grouped: groupedOf(flips, verdicts, facts), facts };
}

/**
 * Follows up the checks whose `remind_at` has come, one batch: held alerts
 * released or held on, reminders made (core's `followUp`), and when to look
 * again. Returns how many were claimed and the notifications made.
 */
export async function followUpDueChecks(db: Db, now: Date, limit: number): Promise<{ claimed: number; notificationIds: string[] }> {
  return db.transaction(async (tx) => {
    const due = await claimDueFollowUps(tx, now, limit);
    if (due.length === 0) return { claimed: 0, notificationIds: [] };
    const windows = await windowsOfProjects(tx, [...new Set(due.map((check) => check.projectId))]);
    const writes: { notify: FollowUpWrites['notify'][number][]; unheld: number[]; remindAt: FollowUpWrites['remindAt'][number][] } = {
      notify: [],
      unheld: [],
      remindAt: [],
    };
    for (const check of due) {
      const occurrence = maintenanceAt(windows.get(check.projectId) ?? [], { id: check.checkId, tags: check.tags }, now);
      const decided = followUp(
        {
          status: check.status,
          remindEvery: check.remindEvery,
          latest: check.latest && { to: check.latest.to, held: check.latest.held !== null, told: check.latest.told },
          down: check.down,
          maintenance: occurrence && { windowId: occurrence.windowId, end: occurrence.end },
          downParents: check.parents.filter((parent) => parent.status === Status.down).map((parent) => parent.id),
        },
        now,
      );
      if (decided.release && check.latest) writes.notify.push({ flipId: check.latest.id, checkId: check.checkId, reminder: 0 });
      if (decided.drop && check.latest) writes.unheld.push(check.latest.id);
      if (decided.reminder !== null && check.down)
        writes.notify.push({ flipId: check.down.id, checkId: check.checkId, reminder: decided.reminder });
      writes.remindAt.push({ checkId: check.checkId, at: decided.remindAt });
    }
    return { claimed: due.length, notificationIds: await writeFollowUps(tx, writes, now) };
  });
}
