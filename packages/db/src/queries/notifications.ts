/** Notifications: one per flip × channel, and the record of every delivery attempt. */
import { eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { notifications } from '../schema';

export type NotificationRow = typeof notifications.$inferSelect;

/**
 * The one statement that makes notifications, as a fragment each writer
 * embeds (the sweep's flips and follow-ups, the flip outbox): one row per
 * channel attached to the check of each `source` row, which has columns
 * `flip_id`, `check_id`, `to_status` (the flip's), `reminder` and
 * `created_at`, and that takes the event the row tells (`channels.events`).
 * Each is due at once. The unique (flip, channel, reminder) key makes a
 * repeat a no-op; only the rows made now are returned (`id`, `flip_id`).
 */
export function insertNotifications(source: SQL): SQL {
  // The event as notify's alertEvent names it: a reminder is still_down, else the status flipped to. The source
  // carries the status because the sweep's flips are inserted by the same statement, where a join would not see them.
  return sql`insert into notifications (flip_id, channel_id, reminder, created_at, next_attempt_at)
             select source.flip_id, check_channels.channel_id, source.reminder, source.created_at, now()
               from (${source}) as source
               join check_channels on check_channels.check_id = source.check_id
               join channels on channels.id = check_channels.channel_id
              where (case when source.reminder > 0 then 'still_down'
                          when source.to_status in ('down', 'late') then source.to_status
                          else 'up' end) = any(channels.events)
             on conflict (flip_id, channel_id, reminder) do nothing
             returning id, flip_id`;
}

/** When the next pending notification is due (or a lease on one ends); null when none is pending. */
export async function nextDeliveryAt(db: Db): Promise<Date | null> {
  const [row] = await db
    .select({ at: sql<Date | null>`min(${notifications.nextAttemptAt})`.mapWith(notifications.nextAttemptAt) })
    .from(notifications)
    .where(eq(notifications.status, 'pending'));
  return row?.at ?? null;
}

/**
 * One delivery attempt's outcome: sent, or failed with the time of the next
 * attempt (the retry policy's `nextAttemptAt`), null when it failed for good.
 */
export type DeliveryOutcome = ({ ok: true; at: Date } | { ok: false; at: Date; error: string; nextAttemptAt: Date | null }) & {
  /** The receiver's HTTP status, when it answered one (for the delivery log). */
  statusCode?: number | null;
  /** The SMTP server's reply line, for email. */
  reply?: string | null;
};

/** An attempt to record: the notification, the attempt its claim counted (the claimed row's `attempts`), and its outcome. */
export interface DeliveryAttempt {
  id: string;
  channelId: string;
  attempt: number;
  outcome: DeliveryOutcome;
}

/**
 * Records the outcomes of attempts, in one statement for any number of
 * them (a worker records what its sends finished while the previous
 * statement ran), and keeps each channel's latest outcome. A worker whose
 * lease ran out while it was sending, so that another claimed the
 * notification since, records nothing: the row is the newer attempt's
 * (`attempts` no longer the claim's). The channel row is shared by every
 * delivery to it, so it is written at most about once a second per
 * outcome: a burst of deliveries then does not queue on that one row lock.
 * Every attempt, that one too (it did go out), is added to the delivery log
 * (`delivery_attempts`) by the same statement.
 */
export async function recordDeliveryAttempts(db: Db, attempts: readonly DeliveryAttempt[]): Promise<void> {
  if (attempts.length === 0) return;
  const outcomes = JSON.stringify(
    attempts.map(({ id, channelId, attempt, outcome }) => ({
      id,
      channel_id: channelId,
      attempt,
      at: outcome.at.toISOString(),
      sent: outcome.ok,
      status: outcome.ok ? 'sent' : outcome.nextAttemptAt ? 'pending' : 'failed',
      error: outcome.ok ? null : outcome.error,
      next_attempt_at: outcome.ok ? null : (outcome.nextAttemptAt?.toISOString() ?? null),
      status_code: outcome.statusCode ?? null,
      reply: outcome.reply ?? null,
    })),
  );
  await db.execute(sql`
    with outcome as (
      select * from jsonb_to_recordset(${outcomes}::jsonb)
        as o(id uuid, channel_id uuid, attempt integer, at timestamptz, sent boolean, status text, error text, next_attempt_at timestamptz,
             status_code integer, reply text)
    ), logged as (
      insert into delivery_attempts (notification_id, channel_id, attempted_at, outcome, status_code, reply, error, next_attempt_at)
      select outcome.id, outcome.channel_id, outcome.at,
             case when outcome.sent then 'sent' when outcome.next_attempt_at is not null then 'retrying' else 'failed' end,
             outcome.status_code, outcome.reply, outcome.error, outcome.next_attempt_at
        from outcome
       where exists (select 1 from notifications where notifications.id = outcome.id)
    ), recorded as (
      update notifications
         set last_attempt_at = outcome.at, next_attempt_at = outcome.next_attempt_at,
             status = outcome.status, error = outcome.error,
             sent_at = case when outcome.sent then outcome.at else notifications.sent_at end
        from outcome
       where notifications.id = outcome.id and notifications.status = 'pending' and notifications.attempts = outcome.attempt
    ), delivered as (
      update channels set last_delivered_at = latest.at
        from (select channel_id, max(at) as at from outcome where sent group by channel_id) latest
       where channels.id = latest.channel_id
         and (channels.last_delivered_at is null or channels.last_delivered_at < latest.at - interval '1 second')
    )
    update channels set last_error = latest.error, last_error_at = latest.at
      from (select distinct on (channel_id) channel_id, error, at from outcome where not sent order by channel_id, at desc) latest
     where channels.id = latest.channel_id
       and (channels.last_error_at is null or channels.last_error_at < latest.at - interval '1 second')`);
}

/** Notifications by id, for tests and the dashboard. */
export function getNotifications(db: Db, ids: string[]): Promise<NotificationRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.select().from(notifications).where(inArray(notifications.id, ids));
}
