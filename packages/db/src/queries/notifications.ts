/** Notifications: one per flip × channel, and the record of every delivery attempt. */
import { eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { channels, checks, flips, notifications, projects } from '../schema';
import type { CheckRow } from './checks';

export type NotificationRow = typeof notifications.$inferSelect;

/**
 * The one statement that makes notifications, as a fragment each writer
 * embeds (the sweep's flips and reminders, the flip outbox): one row per
 * channel attached to the check of each `source` row, which has columns
 * `flip_id`, `check_id`, `reminder` and `created_at`. Each is due at once.
 * The unique (flip, channel, reminder) key makes a repeat a no-op; only the
 * rows made now are returned (`id`, `flip_id`).
 */
export function insertNotifications(source: SQL): SQL {
  return sql`insert into notifications (flip_id, channel_id, reminder, created_at, next_attempt_at)
             select source.flip_id, check_channels.channel_id, source.reminder, source.created_at, now()
               from (${source}) as source
               join check_channels on check_channels.check_id = source.check_id
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
      // The lease is the next attempt's time: if this worker dies, another takes the notification once it ends.
      .set({
        nextAttemptAt: sql`now() + ${sql.placeholder('leaseMs')} * interval '1 millisecond'`,
        attempts: sql`${notifications.attempts} + 1`,
        lastAttemptAt: sql`now()`,
      })
      .where(
        sql`${notifications.id} = any(array(
              select due.id from ${notifications} as due
               where due.status = 'pending' and due.next_attempt_at <= now()
               order by due.next_attempt_at
               limit ${sql.placeholder('limit')}
                 for update skip locked))`,
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
        nextAttemptAt: claimed.nextAttemptAt,
        reminder: claimed.reminder,
        groupId: claimed.groupId,
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
    .prepare('claim_deliveries');
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
 * Claims up to `limit` due notifications for `leaseMs`, oldest due first,
 * skipping rows another worker is claiming; counts each attempt and loads
 * everything its message needs, in one statement (one round trip per batch
 * matters when a burst of deadlines fans out into thousands of deliveries).
 * The statement commits before the caller sends anything, so an attempt
 * that dies mid-send is on record (`attempts`, `last_attempt_at`), and
 * another worker takes the notification when the lease ends.
 */
export async function claimDeliveries(db: Db, limit: number, leaseMs: number): Promise<Delivery[]> {
  if (limit <= 0) return [];
  const rows = await claimStatement(db).execute({ limit, leaseMs });
  return rows.map((row) => {
    const ping = typeof row.ping === 'string' ? (JSON.parse(row.ping) as PingTail) : row.ping;
    return { ...row, ping: ping && { ...ping, at: new Date(ping.at) } };
  });
}

/**
 * One delivery attempt's outcome: sent, or failed with the time of the next
 * attempt (the retry policy's `nextAttemptAt`), null when it failed for good.
 */
export type DeliveryOutcome = { ok: true; at: Date } | { ok: false; at: Date; error: string; nextAttemptAt: Date | null };

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
    })),
  );
  await db.execute(sql`
    with outcome as (
      select * from jsonb_to_recordset(${outcomes}::jsonb)
        as o(id uuid, channel_id uuid, attempt integer, at timestamptz, sent boolean, status text, error text, next_attempt_at timestamptz)
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
