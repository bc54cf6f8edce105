import type { Status } from '@cronbeat/core';
import { and, arrayContains, eq, inArray, or, sql } from 'drizzle-orm';
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

/** A check as its own badge shows it. */
export interface BadgeCheck {
  id: string;
  name: string;
  slug: string | null;
  tags: string[];
  status: Status;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The check of `projectId` a badge URL names, by slug or by id; null when
 * none. A slug may look like a UUID: it wins over another check's id, so a
 * badge by slug never shows a different check.
 */
export async function checkForBadge(db: Db, projectId: string, slugOrId: string): Promise<BadgeCheck | null> {
  const bySlug = eq(checks.slug, slugOrId);
  const [check] = await db
    .select({ id: checks.id, name: checks.name, slug: checks.slug, tags: checks.tags, status: checks.status })
    .from(checks)
    .where(and(eq(checks.projectId, projectId), UUID.test(slugOrId) ? or(bySlug, eq(checks.id, slugOrId)) : bySlug))
    .orderBy(sql`${bySlug} desc`)
    .limit(1);
  return check ?? null;
}

/** The part of a check's badge URL after `/badge/<badge-key>/check/`, before the format: its slug, or its id when it has none. */
export const checkBadgeName = (check: { id: string; slug: string | null }): string => check.slug ?? check.id;

/** A check of `projectId` by id, as its badge needs it; null when the project has no such check. */
export async function badgeCheckById(db: Db, projectId: string, checkId: string): Promise<BadgeCheck | null> {
  const [check] = await db
    .select({ id: checks.id, name: checks.name, slug: checks.slug, tags: checks.tags, status: checks.status })
    .from(checks)
    .where(and(eq(checks.projectId, projectId), eq(checks.id, checkId)));
  return check ?? null;
}
