/**
 * The maintenance job: retention. Keeps the newest pings of every check and
 * the flips (with their notifications) of the last days, drops expired sessions, deleting in bounded
 * batches so it can run beside the sweep and the ping traffic. Both drivers
 * schedule it; running it twice at once is harmless, only wasteful.
 */
import type { Config } from '@cronbeat/config';
import { type Db, deleteExpiredSessions, pruneDeliveryAttempts, pruneHistory, prunePings, type RetentionBatches } from '@cronbeat/db';

export type RetentionPolicy = Pick<Config, 'pingRetention' | 'historyDays'>;

export interface MaintenanceResult {
  /** Pings deleted beyond each check's newest `pingRetention`. */
  pings: number;
  /** Flips older than `historyDays` deleted, their notifications with them. */
  flips: number;
  /** Expired sign-in sessions deleted (they are already refused; this keeps the table small). */
  sessions: number;
  /** Delivery log rows older than `DELIVERY_LOG_DAYS` (or `historyDays`, if fewer) deleted. */
  deliveryAttempts: number;
}

const DAY_MS = 86_400_000;
/** The delivery log answers "why did this alert not arrive?": a month of it is enough, and every attempt adds a row. */
export const DELIVERY_LOG_DAYS = 30;

export async function maintenance(
  db: Db,
  policy: RetentionPolicy,
  options: RetentionBatches & { now?: Date } = {},
): Promise<MaintenanceResult> {
  const now = options.now ?? new Date();
  const pings = await prunePings(db, policy.pingRetention, options);
  const flips = await pruneHistory(db, new Date(now.getTime() - policy.historyDays * DAY_MS), options);
  const sessions = await deleteExpiredSessions(db, now);
  const logDays = Math.min(DELIVERY_LOG_DAYS, policy.historyDays);
  const deliveryAttempts = await pruneDeliveryAttempts(db, new Date(now.getTime() - logDays * DAY_MS), options);
  return { pings, flips, sessions, deliveryAttempts };
}
