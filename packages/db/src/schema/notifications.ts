import { sql } from 'drizzle-orm';
import { type AnyPgColumn, bigint, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { channels } from './channels';
import { flips } from './flips';

/** `grouped`: folded into the notification `group_id`, which tells its flip with others of one sweep batch; never sent itself. */
export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed', 'grouped'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * One per flip × channel, and one more per reminder while a check stays
 * down; the unique key is what makes "alert once" hold across workers. The
 * row is the delivery queue's item: its status, attempts and next attempt
 * are the whole of its retry state.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    flipId: bigint('flip_id', { mode: 'number' })
      .notNull()
      .references(() => flips.id, { onDelete: 'cascade' }),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    /** 0: the alert of the flip itself; n: the n-th reminder that the check is still down (n × remind_every after the flip). */
    reminder: integer('reminder').notNull().default(0),
    status: text('status', { enum: NOTIFICATION_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /**
     * While pending, when a worker may next take it: at creation, after a
     * failed attempt's backoff (core's `nextAttemptAt`), or, while a worker
     * is sending it, when that worker's lease ends, so a worker that died
     * mid-send leaves it for another. Null once sent or failed for good.
     */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).defaultNow(),
    /** For a `grouped` notification: the one that tells its flip, with the others of its group. */
    groupId: uuid('group_id').references((): AnyPgColumn => notifications.id, { onDelete: 'cascade' }),
  },
  (table) => [
    uniqueIndex('notifications_flip_channel_reminder_key').on(table.flipId, table.channelId, table.reminder),
    index('notifications_channel_idx').on(table.channelId, table.createdAt),
    // Workers claim the pending notifications that are due: O(due), not O(history).
    index('notifications_group_idx').on(table.groupId).where(sql`${table.groupId} is not null`),
    index('notifications_due_idx').on(table.nextAttemptAt).where(sql`${table.status} = 'pending'`),
  ],
);
