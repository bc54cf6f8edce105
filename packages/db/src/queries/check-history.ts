import { and, desc, eq, getTableColumns, gte, lt, lte, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { flips, pings } from '../schema';

export type PingRow = typeof pings.$inferSelect;
export type FlipRow = typeof flips.$inferSelect;

/**
 * A check's pings, newest first, numbered below `before` and received at or before `until` when given. The
 * caller has checked the check's project.
 */
export async function listPings(
  db: Db,
  checkId: string,
  page: { limit: number; before?: number; until?: Date },
): Promise<Omit<PingRow, 'body' | 'bodyRaw'>[]> {
  const conditions: SQL[] = [eq(pings.checkId, checkId)];
  if (page.before !== undefined) conditions.push(lt(pings.n, page.before));
  if (page.until !== undefined) conditions.push(lte(pings.createdAt, page.until));
  const { body: _body, bodyRaw: _bodyRaw, ...columns } = getTableColumns(pings);
  return db
    .select(columns)
    .from(pings)
    .where(and(...conditions))
    .orderBy(desc(pings.n))
    .limit(page.limit);
}

export async function pingBody(db: Db, checkId: string, n: number): Promise<Pick<PingRow, 'body' | 'bodyRaw'> | null> {
  const [row] = await db
    .select({ body: pings.body, bodyRaw: pings.bodyRaw })
    .from(pings)
    .where(and(eq(pings.checkId, checkId), eq(pings.n, n)));
  return row ?? null;
}

/**
 * A check's flips, newest first, from `since` on, up to `until` inclusive
 * or before `before` (Healthchecks' API v3 reads `end` as exclusive).
 */
export async function listFlips(
  db: Db,
  checkId: string,
  range: { since?: Date | undefined; until?: Date | undefined; before?: Date | undefined; limit: number },
): Promise<FlipRow[]> {
  const conditions: SQL[] = [eq(flips.checkId, checkId)];
  if (range.since) conditions.push(gte(flips.createdAt, range.since));
  if (range.until) conditions.push(lte(flips.createdAt, range.until));
  if (range.before) conditions.push(lt(flips.createdAt, range.before));
  return db
    .select()
    .from(flips)
    .where(and(...conditions))
    .orderBy(desc(flips.createdAt), desc(flips.id))
    .limit(range.limit);
}
