import { and, arrayContains, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { checks, projects } from '../schema';

/** Postgres makes badge keys, as the column default does (see the projects schema). */
const NEW_BADGE_KEY = sql`replace(gen_random_uuid()::text, '-', '')`;

/** The project whose badge key is `badgeKey`, or null for an unknown key. */
export async function projectByBadgeKey(db: Db, badgeKey: string): Promise<{ id: string; name: string } | null> {
  const [project] = await db.select({ id: projects.id, name: projects.name }).from(projects).where(eq(projects.badgeKey, badgeKey));
  return project ?? null;
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

/** The down and late checks of a project (or of those tagged `tag`), for telling those inside a maintenance window apart. */
export function failingChecks(
  db: Db,
  projectId: string,
  tag?: string,
): Promise<Array<{ id: string; tags: string[]; status: 'down' | 'late' }>> {
  return db
    .select({ id: checks.id, tags: checks.tags, status: sql<'down' | 'late'>`${checks.status}` })
    .from(checks)
    .where(
      and(
        eq(checks.projectId, projectId),
        inArray(checks.status, ['down', 'late']),
        tag === undefined ? undefined : arrayContains(checks.tags, [tag]),
      ),
    );
}
