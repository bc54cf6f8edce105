import { FlipReason, Status } from '@cronbeat/core';
import type { Delivery, GroupedDelivery, DownDependent as StoredDependent } from '@cronbeat/db';
import { flipRunsFromJson, scheduleOf } from '@cronbeat/db';
import type { Alert, DownDependent, GroupedCheck } from '@cronbeat/notify';

/** The dashboard page of a check. */
const checkUrl = (baseUrl: string, checkId: string) => `${baseUrl}/checks/${checkId}`;

/** The message-facing view of a stored check: what a phrase about it needs. */
function alertCheck(check: GroupedDelivery['check'], projectName: string, baseUrl: string): Alert['check'] {
  return {
    id: check.id,
    name: check.name,
    slug: check.slug,
    projectName,
    schedule: scheduleOf(check),
    grace: check.grace,
    maxRuntime: check.maxRuntime,
    lastPing: check.lastPing,
    lastStart: check.lastStart,
    url: checkUrl(baseUrl, check.id),
    // Period checks carry a tz too (UTC unless set): messages show times on the check's clocks.
    tz: check.tz,
    tags: check.tags,
    maxConcurrentRuns: check.maxConcurrentRuns,
  };
}

function alertFlip(flip: GroupedDelivery['flip']): Alert['flip'] {
  return {
    id: flip.id,
    from: flip.fromStatus,
    to: flip.toStatus,
    reason: flip.reason,
    at: flip.createdAt,
    exitStatus: flip.exitStatus,
    runs: flipRunsFromJson(flip.runs),
  };
}

const dependentsOf = (dependents: readonly StoredDependent[], baseUrl: string): DownDependent[] =>
  dependents.map((dependent) => ({ ...dependent, url: checkUrl(baseUrl, dependent.id) }));

/**
 * Why a flip's alert was held, if it was: `flips.held` while held (and
 * after, so a deleted window is still known as one), else the window it
 * happened in or its reason `dependency`, each of which alone means its
 * alert waited.
 */
function heldBy(flip: Delivery['flip']): 'maintenance' | 'dependency' | null {
  if (flip.held) return flip.held;
  if (flip.maintenanceWindowId) return 'maintenance';
  return flip.reason === FlipReason.dependency ? 'dependency' : null;
}

/**
 * A flip's own alert (reminder 0) made later than the flip, for a flip whose
 * alert was held: the hold ended (the window is over, the parents are back)
 * and the alert was released then. Reminders say how long the check has
 * been down instead.
 */
function releasedHold(delivery: Delivery): 'maintenance' | 'dependency' | null {
  const { notification, flip } = delivery;
  if (notification.reminder !== 0 || notification.createdAt.getTime() <= flip.createdAt.getTime()) return null;
  return heldBy(flip);
}

/** The parents that were down at the flip, the ones it was held for; all of them if none is known to have been. */
function heldForParents(delivery: Delivery): NonNullable<Alert['dependency']>['parents'] {
  const down = delivery.parents.filter((parent) => parent.downAtFlip);
  return (down.length > 0 ? down : delivery.parents).map(({ id, name, status }) => ({ id, name, status }));
}

/** Every check of a carrier's group, its own first, then those grouped into it, each by when it went down. */
function groupOf(delivery: Delivery, own: GroupedCheck, baseUrl: string): GroupedCheck[] | null {
  if (delivery.group.length === 0) return null;
  const members = delivery.group.map((member) => ({
    check: alertCheck(member.check, delivery.projectName, baseUrl),
    flip: alertFlip(member.flip),
    dependents: dependentsOf(member.dependents, baseUrl),
  }));
  return [own, ...members].sort((a, b) => a.flip.at.getTime() - b.flip.at.getTime() || a.flip.id - b.flip.id);
}

/** The message-facing view of a stored delivery. */
export function alertOf(delivery: Delivery, baseUrl: string): Alert {
  const { check, flip, notification } = delivery;
  const own: GroupedCheck = {
    check: alertCheck(check, delivery.projectName, baseUrl),
    flip: alertFlip(flip),
    dependents: dependentsOf(delivery.dependents, baseUrl),
  };
  const held = releasedHold(delivery);
  const window = delivery.maintenanceWindow;
  return {
    deliveryId: notification.id,
    check: own.check,
    flip: own.flip,
    ping: delivery.ping,
    downSince: delivery.downSince,
    reminderAt: notification.reminder > 0 ? notification.createdAt : null,
    maintenance:
      held === 'maintenance'
        ? {
            windowId: flip.maintenanceWindowId,
            name: window?.id === flip.maintenanceWindowId ? window.name : null,
            releasedAt: notification.createdAt,
          }
        : null,
    dependency:
      held === 'dependency' && flip.toStatus === Status.down
        ? { parents: heldForParents(delivery), releasedAt: notification.createdAt }
        : null,
    dependents: own.dependents,
    group: groupOf(delivery, own, baseUrl),
  };
}
