import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { channels } from './channels';
import { flips } from './flips';

export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * One per flip × channel, and one more per reminder while a check stays
 * down; the unique key is what makes "alert once" hold across workers.
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
     * While in the future, one worker holds this pending notification and is
     * sending it; others leave it alone, so any number of workers (with or
     * without Redis) send it at most once at a time. Cleared after each attempt.
     */
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('notifications_flip_channel_reminder_key').on(table.flipId, table.channelId, table.reminder),
    index('notifications_channel_idx').on(table.channelId, table.createdAt),
    // The sweep re-enqueues deliveries lost in a crash; this keeps that O(pending), not O(history).
    index('notifications_pending_idx').on(table.createdAt).where(sql`${table.status} = 'pending'`),
  ],
);
