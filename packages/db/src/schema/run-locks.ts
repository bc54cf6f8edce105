import { bigint, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { checks } from './checks';

/**
 * The run lock of a check (`cronbeat run --lock`): which runner may run the
 * job now. One row per check that was ever locked; it stays after release
 * so `token`, the fencing token, keeps increasing with every grant.
 */
export const runLocks = pgTable('run_locks', {
  checkId: uuid('check_id')
    .primaryKey()
    .references(() => checks.id, { onDelete: 'cascade' }),
  /** Increases by one with every grant, so a stale holder's writes can be refused by what it fences. */
  token: bigint('token', { mode: 'number' }).notNull().default(0),
  /** The holder's own random id, which renews and releases; null while free. */
  holderId: text('holder_id'),
  holderHost: text('holder_host'),
  holderPid: integer('holder_pid'),
  acquiredAt: timestamp('acquired_at', { withTimezone: true }),
  /** When the lease lapses unless renewed; null or past: free. */
  expiresAt: timestamp('expires_at', { withTimezone: true }),
});

export type RunLockRow = typeof runLocks.$inferSelect;
