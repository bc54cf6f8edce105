import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { channels } from './channels';
import { notifications } from './notifications';

/** `retrying`: failed, and the notification has a next attempt; `failed`: failed for good. */
export const DELIVERY_OUTCOMES = ['sent', 'retrying', 'failed'] as const;
export type DeliveryAttemptOutcome = (typeof DELIVERY_OUTCOMES)[number];

/**
 * The delivery log: one row per attempt to send a notification, so a person
 * can see why an alert did not arrive. The notification row keeps only the
 * latest outcome; this keeps each. `channel_id` repeats the notification's
 * so a channel's log is one index range.
 */
export const deliveryAttempts = pgTable(
  'delivery_attempts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    notificationId: uuid('notification_id')
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull(),
    outcome: text('outcome', { enum: DELIVERY_OUTCOMES }).notNull(),
    /** The receiver's HTTP status, when it answered one. */
    statusCode: integer('status_code'),
    /** The SMTP server's reply line, for email. */
    reply: text('reply'),
    error: text('error'),
    /** For `retrying`: when the next attempt is due. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
  },
  (table) => [
    index('delivery_attempts_channel_idx').on(table.channelId, table.attemptedAt.desc()),
    index('delivery_attempts_notification_idx').on(table.notificationId),
    check('delivery_attempts_outcome_check', sql`${table.outcome} in ('sent', 'retrying', 'failed')`),
  ],
);
