import type { Delivery } from '@cronbeat/db';
import { flipRunsFromJson, scheduleOf } from '@cronbeat/db';
import type { Alert } from '@cronbeat/notify';

/** The message-facing view of a stored delivery. */
export function alertOf(delivery: Delivery, baseUrl: string): Alert {
  const { check, flip } = delivery;
  return {
    deliveryId: delivery.notification.id,
    check: {
      id: check.id,
      name: check.name,
      slug: check.slug,
      projectName: delivery.projectName,
      schedule: scheduleOf(check),
      grace: check.grace,
      maxRuntime: check.maxRuntime,
      lastPing: check.lastPing,
      lastStart: check.lastStart,
      url: `${baseUrl}/checks/${check.id}`,
      // Period checks carry a tz too (UTC unless set): messages show times on the check's clocks.
      tz: check.tz,
      tags: check.tags,
      maxConcurrentRuns: check.maxConcurrentRuns,
    },
    flip: {
      id: flip.id,
      from: flip.fromStatus,
      to: flip.toStatus,
      reason: flip.reason,
      at: flip.createdAt,
      exitStatus: flip.exitStatus,
      runs: flipRunsFromJson(flip.runs),
    },
    ping: delivery.ping,
    downSince: delivery.downSince,
    reminderAt: delivery.notification.reminder > 0 ? delivery.notification.createdAt : null,
  };
}
