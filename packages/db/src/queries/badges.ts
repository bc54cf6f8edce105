import type { Status } from '@cronbeat/core';
import { and, count, eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { checks, projects } from '../schema';

/** Postgres makes badge keys, as the column default does (see the projects schema). */
const NEW_BADGE_KEY = sql`replace(gen_random_uuid()::text, '-', '')`;

export interface BadgeCounts {
  projectName: string;
  /** Checks by status: of the whole project, or of those carrying the tag. */
  counts: Partial<Record<Status, number>>;
}

/**
 * The project whose badge key is `badgeKey` and how many of its checks (all,
 * or those tagged `tag`) are in each status; null for an unknown key. One
 * query: the project is left-joined so that a tag with no checks still
 * answers with the project.
 */
export async function badgeCounts(db: Db, badgeKey: string, tag: string | null): Promise<BadgeCounts | null> {
  const joined: SQL[] = [eq(checks.projectId, projects.id)];
  if (tag !== null) joined.push(sql`${tag} = any(${checks.tags})`);
  const rows = await db
    .select({ projectName: projects.name, status: checks.status, n: count(checks.id) })
    .from(projects)
    .leftJoin(checks, and(...joined))
    .where(eq(projects.badgeKey, badgeKey))
    .groupBy(projects.id, checks.status);
  const [first] = rows;
  if (!first) return null;
  const counts: Partial<Record<Status, number>> = {};
  for (const { status, n } of rows) if (status) counts[status as Status] = n;
  return { projectName: first.projectName, counts };
}

/** The tags on a project's checks, each once, sorted by code point (the same under any collation): one badge each. */
export async function tagsInUse(db: Db, projectId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ tag: sql<string>`unnest(${checks.tags})`.as('tag') })
    .from(checks)
    .where(eq(checks.projectId, projectId));
  return rows.map((row) => row.tag).sort();
}

/** A new badge key; badges at the old addresses answer 404 from now on. False for an unknown project. */
export async function rotateBadgeKey(db: Db, projectId: string): Promise<boolean> {
  const rotated = await db
    .update(projects)
    .set({ badgeKey: NEW_BADGE_KEY })
    .where(eq(projects.id, projectId))
    .returning({ id: projects.id });
  return rotated.length > 0;
}
