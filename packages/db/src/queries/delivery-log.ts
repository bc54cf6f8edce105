/**
 * The delivery log as the API reads it: a channel's attempts newest first in
 * pages, and the attempts of one flip's notifications. Every read is scoped
 * by project through the channel or the check.
 */
import { and, desc, eq, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { channels, checks, deliveryAttempts, flips, notifications } from '../schema';

export interface DeliveryLogRow {
  id: number;
  notificationId: string;
  channelId: string;
  channelName: string;
  channelKind: string;
  flipId: number;
  checkId: string;
  /** 0: the flip's own alert; n: the n-th still-down reminder. */
  reminder: number;
  attemptedAt: Date;
  outcome: 'sent' | 'retrying' | 'failed';
  statusCode: number | null;
  reply: string | null;
  error: string | null;
  nextAttemptAt: Date | null;
}

const columns = {
  id: deliveryAttempts.id,
  notificationId: deliveryAttempts.notificationId,
  channelId: deliveryAttempts.channelId,
  channelName: channels.name,
  channelKind: channels.kind,
  flipId: notifications.flipId,
  checkId: flips.checkId,
  reminder: notifications.reminder,
  attemptedAt: deliveryAttempts.attemptedAt,
  outcome: deliveryAttempts.outcome,
  statusCode: deliveryAttempts.statusCode,
  reply: deliveryAttempts.reply,
  error: deliveryAttempts.error,
  nextAttemptAt: deliveryAttempts.nextAttemptAt,
};

/**
 * A page of a channel's attempts, newest first (`attempted_at`, then id, on
 * the (channel_id, attempted_at desc) index); `before` is the id of the last
 * attempt of the previous page. Null when the channel is not in the project.
 */
export async function pageChannelDeliveries(
  db: Db,
  projectId: string,
  channelId: string,
  page: { limit: number; before?: number },
): Promise<{ rows: DeliveryLogRow[]; next: number | null } | null> {
  const [channel] = await db
    .select({ id: channels.id })
    .from(channels)
    .where(and(eq(channels.id, channelId), eq(channels.projectId, projectId)));
  if (!channel) return null;
  const conditions: SQL[] = [eq(deliveryAttempts.channelId, channel.id)];
  if (page.before !== undefined) {
    // A cursor whose attempt is gone (pruned) starts over at nothing older than nothing: the page is empty.
    const previous = sql`(select a.attempted_at from delivery_attempts a where a.id = ${page.before} and a.channel_id = ${channel.id})`;
    conditions.push(
      or(
        lt(deliveryAttempts.attemptedAt, previous),
        and(eq(deliveryAttempts.attemptedAt, previous), lt(deliveryAttempts.id, page.before)),
      )!,
    );
  }
  const rows = await db
    .select(columns)
    .from(deliveryAttempts)
    .innerJoin(channels, eq(channels.id, deliveryAttempts.channelId))
    .innerJoin(notifications, eq(notifications.id, deliveryAttempts.notificationId))
    .innerJoin(flips, eq(flips.id, notifications.flipId))
    .where(and(...conditions))
    .orderBy(desc(deliveryAttempts.attemptedAt), desc(deliveryAttempts.id))
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  return { rows: shown, next: more ? (shown.at(-1)?.id ?? null) : null };
}

/**
 * The attempts of a flip's notifications (its alert and reminders, on every
 * channel), newest first. Null when the flip is not of that check in the project.
 */
export async function listFlipDeliveries(db: Db, projectId: string, checkId: string, flipId: number): Promise<DeliveryLogRow[] | null> {
  const [flip] = await db
    .select({ id: flips.id })
    .from(flips)
    .innerJoin(checks, eq(checks.id, flips.checkId))
    .where(and(eq(flips.id, flipId), eq(flips.checkId, checkId), eq(checks.projectId, projectId)));
  if (!flip) return null;
  return db
    .select(columns)
    .from(deliveryAttempts)
    .innerJoin(notifications, eq(notifications.id, deliveryAttempts.notificationId))
    .innerJoin(channels, eq(channels.id, deliveryAttempts.channelId))
    .innerJoin(flips, eq(flips.id, notifications.flipId))
    .where(eq(notifications.flipId, flip.id))
    .orderBy(desc(deliveryAttempts.attemptedAt), desc(deliveryAttempts.id))
    .limit(1000);
}
