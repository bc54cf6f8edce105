/** Notifications: one per flip × channel, and the record of every delivery attempt. */
import { and, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { queryRows } from '../rows';
import { channels, checks, flips, notifications, projects } from '../schema';
import type { CheckRow } from './checks';

export type NotificationRow = typeof notifications.$inferSelect;

/**
 * Creates one notification per channel attached to each flip's check. The
 * unique (flip, channel) key makes a second call a no-op; only rows created
 * now are returned, so only their creator enqueues them.
 */
export async function createNotifications(tx: Db, flipIds: number[]): Promise<string[]> {
  if (flipIds.length === 0) return [];
  const ids = sql.join(
    flipIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`insert into notifications (flip_id, channel_id)
        select flips.id, check_channels.channel_id
          from flips join check_channels on check_channels.check_id = flips.check_id
         where flips.id in (${ids})
        on conflict (flip_id, channel_id, reminder) do nothing
        returning id`,
  );
  return rows.map((row) => row.id);
}

/**
 * Reminders that are due at `now`: for each down check with `remind_every`,
 * the n-th reminder of its incident once n × remind_every has passed since
 * it went down, one per channel. Only the latest n is created: a worker that
 * was stopped for a day sends one reminder, not a day's worth. The unique
 * (flip, channel, reminder) key makes a second call, by this worker or
 * another, a no-op; only rows created now are returned, to be enqueued.
 * A reminder is dated `now`: its message says how long the check has been
 * down by then.
 */
export async function createReminders(db: Db, now: Date, limit: number): Promise<string[]> {
  const at = now.toISOString();
  const rows = await queryRows<{ id: string }>(
    db,
    sql`with due as (
          select incident.id as flip_id, check_channels.channel_id,
                 floor(extract(epoch from ${at}::timestamptz - incident.created_at) / checks.remind_every)::int as reminder
            from checks
           cross join lateral (
                 select flips.id, flips.created_at from flips
                  where flips.check_id = checks.id and flips.to_status = 'down'
                  order by flips.id desc limit 1) incident
            join check_channels on check_channels.check_id = checks.id
           where checks.status = 'down' and checks.remind_every is not null
             and incident.created_at <= ${at}::timestamptz - checks.remind_every * interval '1 second')
        insert into notifications (flip_id, channel_id, reminder, created_at)
        select due.flip_id, due.channel_id, due.reminder, ${at}::timestamptz from due
         where not exists (
               select 1 from notifications sent
                where sent.flip_id = due.flip_id and sent.channel_id = due.channel_id and sent.reminder = due.reminder)
         limit ${limit}
        on conflict (flip_id, channel_id, reminder) do nothing
        returning id`,
  );
  return rows.map((row) => row.id);
}

/**
 * Pending notifications untouched since `before` and claimed by no live
 * worker: their delivery job may have been lost (a crash between commit and
 * enqueue, or a worker killed mid-send). Oldest first.
 */
export async function stalePendingNotifications(db: Db, before: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: notifications.id })
    .from(notifications)
    .where(
      and(
        eq(notifications.status, 'pending'),
        lte(notifications.createdAt, before),
        sql`coalesce(${notifications.lastAttemptAt}, ${notifications.createdAt}) <= ${before.toISOString()}::timestamptz`,
        or(isNull(notifications.claimedUntil), lt(notifications.claimedUntil, sql`now()`)),
      ),
    )
    .orderBy(notifications.createdAt)
    .limit(limit);
  return rows.map((row) => row.id);
}

/** All a delivery needs to say what happened. */
export interface Delivery {
  notification: NotificationRow;
  channel: Pick<typeof channels.$inferSelect, 'id' | 'kind' | 'config'>;
  flip: typeof flips.$inferSelect;
  check: CheckRow;
  projectName: string;
  /** The check's latest ping at the flip, with up to the last 4 KB of its body. */
  ping: { at: Date; kind: string; exitStatus: number | null; bodyTail: string | null } | null;
  /** When the incident a recovery ends began. */
  downSince: Date | null;
}

/** What claiming a notification for delivery found: it, or why not. */
export type DeliveryClaim = { claimed: Delivery } | { claimed: null; reason: 'done' | 'busy' };

type PingTail = { at: string | Date; kind: string; exitStatus: number | null; bodyTail: string | null } | null;

/**
 * The claim-and-load statement, built and prepared once per database: it is
 * the one query of every delivery, and building it anew cost more CPU than
 * Postgres spent running it.
 */
function buildClaimStatement(db: Db) {
  const claimed = db.$with('claimed').as(
    db
      .update(notifications)
      // The attempt is counted as it is claimed, before anything is sent: a worker that dies mid-send leaves it on record.
      .set({
        claimedUntil: sql`now() + ${sql.placeholder('leaseMs')} * interval '1 millisecond'`,
        attempts: sql`${notifications.attempts} + 1`,
        lastAttemptAt: sql`now()`,
      })
      .where(
        and(
          eq(notifications.id, sql.placeholder('notificationId')),
          eq(notifications.status, 'pending'),
          or(isNull(notifications.claimedUntil), lt(notifications.claimedUntil, sql`now()`)),
        ),
      )
      .returning(),
  );
  return db
    .with(claimed)
    .select({
      notification: {
        id: claimed.id,
        flipId: claimed.flipId,
        channelId: claimed.channelId,
        status: claimed.status,
        attempts: claimed.attempts,
        error: claimed.error,
        createdAt: claimed.createdAt,
        lastAttemptAt: claimed.lastAttemptAt,
        sentAt: claimed.sentAt,
        claimedUntil: claimed.claimedUntil,
        reminder: claimed.reminder,
      },
      channel: { id: channels.id, kind: channels.kind, config: channels.config },
      flip: flips,
      check: checks,
      projectName: projects.name,
      // Latest ping at the flip: the failing run's output for a failure, the last sign of life for a miss.
      ping: sql<PingTail>`(
        select json_build_object('at', p.created_at, 'kind', p.kind, 'exitStatus', p.exit_status, 'bodyTail',
                 case when p.body_raw is not null then '(binary output not shown)' else right(p.body, 4096) end)
          from pings p
         where p.check_id = ${checks.id} and p.created_at <= ${flips.createdAt}
         order by p.n desc limit 1)`,
      downSince: sql<Date | null>`case when ${flips.fromStatus} = 'down' then (
        select f.created_at from flips f
         where f.check_id = ${checks.id} and f.to_status = 'down' and f.id < ${flips.id}
         order by f.id desc limit 1) end`.mapWith(flips.createdAt),
    })
    .from(claimed)
    .innerJoin(channels, eq(channels.id, claimed.channelId))
    .innerJoin(flips, eq(flips.id, claimed.flipId))
    .innerJoin(checks, eq(checks.id, flips.checkId))
    .innerJoin(projects, eq(projects.id, checks.projectId))
    .prepare('claim_delivery');
}

const claimStatements = new WeakMap<Db, ReturnType<typeof buildClaimStatement>>();

function claimStatement(db: Db): ReturnType<typeof buildClaimStatement> {
  let statement = claimStatements.get(db);
  if (!statement) {
    statement = buildClaimStatement(db);
    claimStatements.set(db, statement);
  }
  return statement;
}

/**
 * Claims a pending notification for `leaseMs`, counts the attempt, and loads
 * everything its message needs, in one statement (one round trip per
 * delivery matters when a burst of deadlines fans out into thousands of
 * them). The statement commits before the caller sends anything, so an
 * attempt that dies mid-send is on record (`attempts`, `last_attempt_at`).
 * Another worker's live claim answers 'busy'; sent, failed or deleted
 * answers 'done'.
 */
export async function claimDelivery(db: Db, notificationId: string, leaseMs: number): Promise<DeliveryClaim> {
  const [row] = await claimStatement(db).execute({ notificationId, leaseMs });
  if (!row) {
    const [current] = await db.select({ status: notifications.status }).from(notifications).where(eq(notifications.id, notificationId));
    return { claimed: null, reason: current?.status === 'pending' ? 'busy' : 'done' };
  }
  const ping = typeof row.ping === 'string' ? (JSON.parse(row.ping) as PingTail) : row.ping;
  return {
    claimed: {
      ...row,
      ping: ping && { ...ping, at: new Date(ping.at) },
    },
  };
}

/** One delivery attempt's outcome. `final` marks a failure that will not be retried. */
export type DeliveryOutcome = { ok: true; at: Date } | { ok: false; at: Date; error: string; final: boolean };

/**
 * Records the outcome of the attempt its claim counted, releases the claim
 * and keeps the channel's latest outcome, in one statement. The channel row is shared by
 * every delivery to it, so it is written at most about once a second per
 * outcome: a burst of deliveries then does not queue on that one row lock.
 */
export async function recordDeliveryAttempt(
  db: Db,
  notification: { id: string; channelId: string },
  outcome: DeliveryOutcome,
): Promise<void> {
  const at = outcome.at.toISOString();
  const status = outcome.ok ? 'sent' : outcome.final ? 'failed' : 'pending';
  const error = outcome.ok ? null : outcome.error;
  const channelUpdate = outcome.ok
    ? sql`update channels set last_delivered_at = ${at}::timestamptz
           where id = ${notification.channelId}::uuid
             and (last_delivered_at is null or last_delivered_at < ${at}::timestamptz - interval '1 second')`
    : sql`update channels set last_error = ${error}, last_error_at = ${at}::timestamptz
           where id = ${notification.channelId}::uuid
             and (last_error_at is null or last_error_at < ${at}::timestamptz - interval '1 second')`;
  await db.execute(sql`
    with attempt as (
      update notifications
         set last_attempt_at = ${at}::timestamptz, claimed_until = null,
             status = ${status}, error = ${error},
             sent_at = case when ${outcome.ok} then ${at}::timestamptz else sent_at end
       where id = ${notification.id}::uuid
    )
    ${channelUpdate}`);
}

/** Notifications by id, for tests and the dashboard. */
export function getNotifications(db: Db, ids: string[]): Promise<NotificationRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.select().from(notifications).where(inArray(notifications.id, ids));
}
