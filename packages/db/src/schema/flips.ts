import type { FlipReason, Status } from '@cronbeat/core';
import { sql } from 'drizzle-orm';
import { bigint, check, index, jsonb, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { checks } from './checks';
import { maintenanceWindows } from './maintenance-windows';
import { users } from './users';

/** Every status change, written in the same transaction as the change: the outbox of alerting. */
export const flips = pgTable(
  'flips',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    checkId: uuid('check_id')
      .notNull()
      .references(() => checks.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    fromStatus: text('from_status').$type<Status>().notNull(),
    toStatus: text('to_status').$type<Status>().notNull(),
    reason: text('reason').$type<FlipReason>().notNull(),
    exitStatus: smallint('exit_status'),
    /**
     * The runs that caused it (core's `FlipRuns` as JSON, dates as ISO
     * strings): the failed runs in a row that took the check down, or the
     * successes that brought it back, so alerts and the API can say which
     * policy fired with what numbers. Null for flips not caused by runs.
     */
    runs: jsonb('runs'),
    /** The maintenance window the check was in when it flipped, so no alert went out then; null outside maintenance. */
    maintenanceWindowId: uuid('maintenance_window_id').references(() => maintenanceWindows.id, { onDelete: 'set null' }),
    /**
     * Why its alert is held back, until the hold ends: `maintenance` (a
     * window was in force) or `dependency` (a check it depends on was down).
     * Null when it was sent, needed none, or its hold ended without one.
     */
    held: text('held').$type<'maintenance' | 'dependency'>(),
    /** When a person acknowledged the incident this flip to down began (no more reminders for it); null until then. */
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    /** Who acknowledged it; null if not acknowledged, or their account is gone. */
    acknowledgedBy: uuid('acknowledged_by').references(() => users.id, { onDelete: 'set null' }),
    /** When its notifications were created; null while the outbox entry is pending. */
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (table) => [
    index('flips_check_created_idx').on(table.checkId, table.createdAt),
    index('flips_unprocessed_idx').on(table.id).where(sql`${table.processedAt} is null`),
    check('flips_held', sql`${table.held} is null or ${table.held} in ('maintenance', 'dependency')`),
    // Deleting an account sets its acknowledgements' reference to null; without this that reads every flip.
    index('flips_acknowledged_by_idx').on(table.acknowledgedBy).where(sql`${table.acknowledgedBy} is not null`),
    // Deleting a window sets its flips' reference to null; without this that reads every flip.
    index('flips_maintenance_window_idx').on(table.maintenanceWindowId).where(sql`${table.maintenanceWindowId} is not null`),
  ],
);
