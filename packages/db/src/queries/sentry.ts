import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { projects } from '../schema';

/** What a Sentry check-in needs of the project its DSN names. */
export interface SentryProject {
  id: string;
  /** The project's ping key: check-ins are recorded as slug pings (`/ping/<ping-key>/<slug>`) are. */
  pingKey: string;
}

/**
 * The project whose Sentry DSN has `ref` and `key`, or null. Both must
 * match, so a key of another project (or a guessed reference) finds nothing.
 */
export async function projectBySentryDsn(db: Db, ref: number, key: string): Promise<SentryProject | null> {
  const [project] = await db
    .select({ id: projects.id, pingKey: projects.pingKey })
    .from(projects)
    .where(and(eq(projects.sentryRef, ref), eq(projects.sentryKey, key)));
  return project ?? null;
}

/** A new Sentry key; SDKs with the old DSN are refused (403) from now on. False for an unknown project. */
export async function rotateSentryKey(db: Db, projectId: string): Promise<boolean> {
  const rotated = await db
    .update(projects)
    .set({ sentryKey: sql`replace(gen_random_uuid()::text, '-', '')` })
    .where(eq(projects.id, projectId))
    .returning({ id: projects.id });
  return rotated.length > 0;
}
