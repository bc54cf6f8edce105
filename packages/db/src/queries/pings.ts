import { autoCreateCheck } from '@cronbeat/core';
import { and, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { checks, projects } from '../schema';

/** A check addressed by its project's ping key and its slug. */
export interface SlugRef {
  pingKey: string;
  slug: string;
}

/** What a `?create=1` ping found or made: its check, or the project's limit on such checks reached. */
export type SlugCheckEnsured =
  | { outcome: 'found' | 'created'; checkId: string; pingCode: string }
  | { outcome: 'limit-reached'; limit: number };

/**
 * Finds or creates the check `slug` in the project with `pingKey`, for
 * `?create=1` pings (the caller has checked the slug); what may be made is
 * core's `autoCreateCheck`. The project's row is locked first, so creates in
 * one project take turns and its limit on such checks holds against
 * concurrent pings; the API's creates are not held up (they only share-lock
 * it) nor limited. Null when no project has the ping key. A slug the API
 * created meanwhile is found, not created twice.
 */
export async function ensureSlugCheck(db: Db, ref: SlugRef): Promise<SlugCheckEnsured | null> {
  return db.transaction(async (tx) => {
    const [project] = await tx
      .select({
        id: projects.id,
        defaultPeriod: projects.defaultPeriod,
        defaultGrace: projects.defaultGrace,
        limit: projects.autoCreateLimit,
        attachChannels: projects.autoCreateAttachChannels,
      })
      .from(projects)
      .where(eq(projects.pingKey, ref.pingKey))
      .for('no key update');
    if (!project) return null;
    const found = async (): Promise<SlugCheckEnsured | null> => {
      const [row] = await tx
        .select({ id: checks.id, pingCode: checks.pingCode })
        .from(checks)
        .where(and(eq(checks.projectId, project.id), eq(checks.slug, ref.slug)));
      return row ? { outcome: 'found', checkId: row.id, pingCode: row.pingCode } : null;
    };
    const existing = await found();
    if (existing) return existing;
    const [made] = await tx
      .select({ n: count() })
      .from(checks)
      .where(and(eq(checks.projectId, project.id), eq(checks.autoCreated, true)));
    const decision = autoCreateCheck(project, ref.slug, made?.n ?? 0);
    if (!decision.create) return { outcome: 'limit-reached', limit: decision.limit };
    const [created] = await tx
      .insert(checks)
      .values({ projectId: project.id, ...decision.check })
      .onConflictDoNothing({ target: [checks.projectId, checks.slug] })
      .returning({ id: checks.id, pingCode: checks.pingCode });
    if (!created) return found();
    if (decision.attachChannels) {
      await tx.execute(
        sql`insert into check_channels (check_id, channel_id) select ${created.id}, ch.id from channels ch where ch.project_id = ${project.id}`,
      );
    }
    return { outcome: 'created', checkId: created.id, pingCode: created.pingCode };
  });
}
