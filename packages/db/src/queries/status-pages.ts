import type { Status, StatusChange } from '@cronbeat/core';
import { and, arrayOverlaps, asc, eq, gte, inArray, or } from 'drizzle-orm';
import type { Db } from '../client';
import { checks, flips, type StatusPageRow, statusPages } from '../schema';

/** What an owner or admin sets on a status page; the slug is random when not given. */
export interface StatusPageFields {
  slug?: string;
  title: string;
  description: string;
  checkIds: string[];
  tags: string[];
  publicNames: Record<string, string>;
}

/** A project's status pages, oldest first. */
export function listStatusPages(db: Db, projectId: string): Promise<StatusPageRow[]> {
  return db.select().from(statusPages).where(eq(statusPages.projectId, projectId)).orderBy(asc(statusPages.createdAt), asc(statusPages.id));
}

export async function getStatusPage(db: Db, projectId: string, id: string): Promise<StatusPageRow | null> {
  const [row] = await db
    .select()
    .from(statusPages)
    .where(and(eq(statusPages.projectId, projectId), eq(statusPages.id, id)));
  return row ?? null;
}

/** Throws a unique violation (see `isUniqueViolation`) when the slug is taken by any project. */
export async function createStatusPage(db: Db, projectId: string, fields: StatusPageFields): Promise<StatusPageRow> {
  const [row] = await db
    .insert(statusPages)
    .values({ projectId, ...fields })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

/** Null for a page not in the project; throws a unique violation when the new slug is taken. */
export async function updateStatusPage(
  db: Db,
  projectId: string,
  id: string,
  fields: Partial<StatusPageFields>,
): Promise<StatusPageRow | null> {
  const [row] = await db
    .update(statusPages)
    .set(fields)
    .where(and(eq(statusPages.projectId, projectId), eq(statusPages.id, id)))
    .returning();
  return row ?? null;
}

export async function deleteStatusPage(db: Db, projectId: string, id: string): Promise<boolean> {
  const deleted = await db
    .delete(statusPages)
    .where(and(eq(statusPages.projectId, projectId), eq(statusPages.id, id)))
    .returning({ id: statusPages.id });
  return deleted.length > 0;
}

export async function statusPageBySlug(db: Db, slug: string): Promise<StatusPageRow | null> {
  const [row] = await db.select().from(statusPages).where(eq(statusPages.slug, slug));
  return row ?? null;
}

/** A check as a status page needs it: `statusAtStart` and `changes` cover the time since `since`. */
export interface StatusPageCheck {
  id: string;
  name: string;
  tags: string[];
  status: Status;
  createdAt: Date;
  statusAtStart: Status;
  changes: StatusChange[];
}

/**
 * The checks a page lists (of its project, listed by id or carrying one of
 * its tags), by name, with their flips since `since`: the status at `since`
 * is the first of those flips' `from`, or the current status when none.
 */
export async function statusPageChecks(db: Db, page: StatusPageRow, since: Date): Promise<StatusPageCheck[]> {
  if (page.checkIds.length === 0 && page.tags.length === 0) return [];
  const listed = await db
    .select({ id: checks.id, name: checks.name, tags: checks.tags, status: checks.status, createdAt: checks.createdAt })
    .from(checks)
    .where(
      and(
        eq(checks.projectId, page.projectId),
        or(
          page.checkIds.length > 0 ? inArray(checks.id, page.checkIds) : undefined,
          page.tags.length > 0 ? arrayOverlaps(checks.tags, page.tags) : undefined,
        ),
      ),
    )
    .orderBy(asc(checks.name), asc(checks.id));
  if (listed.length === 0) return [];
  const rows = await db
    .select({ checkId: flips.checkId, at: flips.createdAt, from: flips.fromStatus, to: flips.toStatus })
    .from(flips)
    .where(
      and(
        inArray(
          flips.checkId,
          listed.map((check) => check.id),
        ),
        gte(flips.createdAt, since),
      ),
    )
    .orderBy(asc(flips.createdAt), asc(flips.id));
  const byCheck = new Map<string, typeof rows>();
  for (const row of rows) byCheck.set(row.checkId, [...(byCheck.get(row.checkId) ?? []), row]);
  return listed.map((check) => {
    const own = byCheck.get(check.id) ?? [];
    return {
      ...check,
      statusAtStart: own[0]?.from ?? check.status,
      changes: own.map((row) => ({ at: row.at, to: row.to })),
    };
  });
}
