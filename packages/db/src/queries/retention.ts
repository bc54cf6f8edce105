/**
 * Retention: the maintenance job keeps the newest pings of each check and a
 * window of history. Every statement deletes a bounded batch and commits on
 * its own, so no lock is held for long and pings keep flowing meanwhile.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../client';
import { queryRows } from '../rows';

export interface RetentionBatches {
  /** Rows deleted per statement. Default: 5,000. */
  batchSize?: number;
  /** Checks looked at per page while pruning pings. Default: 1,000. */
  checksPerPage?: number;
}

const FIRST_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Deletes all but the newest `keep` pings of every check. A ping's `n` is its
 * number within the check and `checks.n_pings` the last one given, so the pings
 * to go are exactly `n <= n_pings - keep`, found through the (check_id, n)
 * index. Checks are walked in id pages so a run never rescans pruned ones.
 * Returns the number of pings deleted.
 */
export async function prunePings(db: Db, keep: number, batches: RetentionBatches = {}): Promise<number> {
  const batchSize = batches.batchSize ?? 5000;
  const checksPerPage = batches.checksPerPage ?? 1000;
  let after = FIRST_UUID;
  let deleted = 0;
  for (;;) {
    const page = await queryRows<{ id: string }>(
      db,
      sql`select id from checks where n_pings > ${keep} and id > ${after}::uuid order by id limit ${checksPerPage}`,
    );
    const last = page.at(-1)?.id;
    if (!last) return deleted;
    for (;;) {
      const rows = await queryRows<{ id: string }>(
        db,
        sql`delete from pings where id in (
              select p.id from checks c join pings p on p.check_id = c.id and p.n <= c.n_pings - ${keep}
               where c.n_pings > ${keep} and c.id > ${after}::uuid and c.id <= ${last}::uuid
               limit ${batchSize})
            returning id`,
      );
      deleted += rows.length;
      if (rows.length < batchSize) break;
    }
    if (page.length < checksPerPage) return deleted;
    after = last;
  }
}

/**
 * Deletes flips older than `before`, oldest first, and with them (by the
 * foreign key's cascade) their notifications. A flip still waiting in the
 * outbox is kept whatever its age: its alert has not gone out yet. So is
 * the flip that took a check that is still down there: reminders and the
 * recovery's "down for" count from it. A
 * notification is made right after its flip, so it goes with it: no scan of
 * the notifications table is needed. Flip ids
 * grow with time, so each statement looks only at the oldest batch by
 * primary key and the run stops at the first batch that is not all old.
 * Returns the number of flips deleted.
 */
export async function pruneHistory(db: Db, before: Date, batches: Pick<RetentionBatches, 'batchSize'> = {}): Promise<number> {
  // Smaller than the ping batch: each flip takes its notifications with it.
  const batchSize = Math.max(1, Math.floor((batches.batchSize ?? 5000) / 5));
  let deleted = 0;
  for (;;) {
    const rows = await queryRows<{ id: string }>(
      db,
      sql`with head as (
            select id, created_at from flips
             where processed_at is not null
               and not (exists (select 1 from checks where checks.id = flips.check_id and checks.status = 'down')
                        and not exists (select 1 from flips later where later.check_id = flips.check_id and later.id > flips.id))
             order by id limit ${batchSize})
          delete from flips where id in (select id from head where created_at < ${before.toISOString()}::timestamptz)
          returning id`,
    );
    deleted += rows.length;
    if (rows.length < batchSize) return deleted;
  }
}

/**
 * Deletes delivery log rows (`delivery_attempts`) older than `before`, in
 * bounded batches through the primary key: ids grow with time, so each
 * statement looks at the oldest batch only and the run stops at the first
 * batch that is not all old. Returns the number deleted.
 */
export async function pruneDeliveryAttempts(db: Db, before: Date, batches: Pick<RetentionBatches, 'batchSize'> = {}): Promise<number> {
  const batchSize = batches.batchSize ?? 5000;
  let deleted = 0;
  for (;;) {
    const rows = await queryRows<{ id: string }>(
      db,
      sql`with head as (select id, attempted_at from delivery_attempts order by id limit ${batchSize})
          delete from delivery_attempts where id in (select id from head where attempted_at < ${before.toISOString()}::timestamptz)
          returning id`,
    );
    deleted += rows.length;
    if (rows.length < batchSize) return deleted;
  }
}

/**
 * How far the sweep is behind: the oldest `sweep_at` that has come, and how
 * many checks are past theirs. Served by the partial index the sweep itself
 * uses.
 */
export async function sweepBacklog(db: Db, now: Date): Promise<{ oldest: Date | null; due: number }> {
  const [row] = await queryRows<{ oldest: string | Date | null; due: number | string }>(
    db,
    sql`select min(sweep_at) as oldest, count(*) as due from checks where sweep_at <= ${now.toISOString()}::timestamptz`,
  );
  return { oldest: row?.oldest ? new Date(row.oldest) : null, due: Number(row?.due ?? 0) };
}
