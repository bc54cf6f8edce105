/** Notifications: one per flip × channel, and the record of every delivery attempt. */
import { and, desc, eq, inArray, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { queryRows } from '../rows';
import { channels, checks, flips, notifications, pings, projects } from '../schema';
import { recordChannelOutcome } from './channels';
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
        on conflict (flip_id, channel_id) do nothing
        returning id`,
  );
  return rows.map((row) => row.id);
}

/**
 * Pending notifications untouched since `before`: their delivery job may
 * have been lost (a crash between commit and enqueue). Oldest first.
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

export async function loadDelivery(db: Db, notificationId: string): Promise<Delivery | null> {
  const [row] = await db
    .select({
      notification: notifications,
      channel: { id: channels.id, kind: channels.kind, config: channels.config },
      flip: flips,
      check: checks,
      projectName: projects.name,
    })
    .from(notifications)
    .innerJoin(channels, eq(channels.id, notifications.channelId))
    .innerJoin(flips, eq(flips.id, notifications.flipId))
    .innerJoin(checks, eq(checks.id, flips.checkId))
    .innerJoin(projects, eq(projects.id, checks.projectId))
    .where(eq(notifications.id, notificationId));
  if (!row) return null;
  const [ping] = await db
    .select({
      at: pings.createdAt,
      kind: pings.kind,
      exitStatus: pings.exitStatus,
      bodyTail: sql<
        string | null
      >`case when ${pings.bodyRaw} is not null then '(binary output not shown)' else right(${pings.body}, 4096) end`,
    })
    .from(pings)
    .where(and(eq(pings.checkId, row.check.id), lte(pings.createdAt, row.flip.createdAt)))
    .orderBy(desc(pings.n))
    .limit(1);
  let downSince: Date | null = null;
  if (row.flip.fromStatus === 'down') {
    const [down] = await db
      .select({ at: flips.createdAt })
      .from(flips)
      .where(and(eq(flips.checkId, row.check.id), eq(flips.toStatus, 'down'), lt(flips.id, row.flip.id)))
      .orderBy(desc(flips.id))
      .limit(1);
    downSince = down?.at ?? null;
  }
  return { ...row, ping: ping ?? null, downSince };
}

/** One delivery attempt's outcome. `final` marks a failure that will not be retried. */
export type DeliveryOutcome = { ok: true; at: Date } | { ok: false; at: Date; error: string; final: boolean };

/** Records an attempt on the notification and keeps the channel's latest outcome. */
export async function recordDeliveryAttempt(
  db: Db,
  notification: { id: string; channelId: string },
  outcome: DeliveryOutcome,
): Promise<void> {
  await db
    .update(notifications)
    .set({
      attempts: sql`${notifications.attempts} + 1`,
      lastAttemptAt: outcome.at,
      ...(outcome.ok
        ? { status: 'sent', sentAt: outcome.at, error: null }
        : { error: outcome.error, ...(outcome.final ? { status: 'failed' as const } : {}) }),
    })
    .where(eq(notifications.id, notification.id));
  await recordChannelOutcome(db, notification.channelId, outcome.at, outcome.ok ? null : outcome.error);
}

/** Notifications by id, for tests and the dashboard. */
export function getNotifications(db: Db, ids: string[]): Promise<NotificationRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.select().from(notifications).where(inArray(notifications.id, ids));
}
