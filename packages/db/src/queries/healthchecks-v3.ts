/**
 * What Healthchecks' Management API v3 (/api/v3, apps/server routes/api-v3)
 * needs beyond the /api/v1 queries: its `methods` setting, and flips in
 * Healthchecks' half-open time range.
 */
import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { checks, flips } from '../schema';
import type { FlipRow } from './check-history';
import type { CheckRow } from './checks';

/** Sets which requests ping a check of `projectId` ('' any, 'POST' only POST); null when the check is not there. */
export async function setCheckMethods(db: Db, projectId: string, id: string, methods: '' | 'POST'): Promise<CheckRow | null> {
  const [row] = await db
    .update(checks)
    .set({ methods, updatedAt: new Date() })
    .where(and(eq(checks.projectId, projectId), eq(checks.id, id)))
    .returning();
  return row ?? null;
}

/**
 * A check's flips, newest first, from `from` (inclusive) to `before`
 * (exclusive), at most `limit`. The caller has checked the check's project.
 */
export async function flipsInRange(db: Db, checkId: string, range: { from?: Date; before?: Date; limit: number }): Promise<FlipRow[]> {
  const conditions: SQL[] = [eq(flips.checkId, checkId)];
  if (range.from) conditions.push(gte(flips.createdAt, range.from));
  if (range.before) conditions.push(lt(flips.createdAt, range.before));
  return db
    .select()
    .from(flips)
    .where(and(...conditions))
    .orderBy(desc(flips.createdAt), desc(flips.id))
    .limit(range.limit);
}
