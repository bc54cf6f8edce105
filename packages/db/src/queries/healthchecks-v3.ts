/**
 * What Healthchecks' Management API v3 (/api/v3, apps/server routes/api-v3)
 * and its import need beyond the /api/v1 queries: checks and ping keys
 * kept from Healthchecks.
 */
import { and, eq, or } from 'drizzle-orm';
import type { Db } from '../client';
import { checks, projects } from '../schema';
import type { CheckRow } from './checks';

/** Which project holds a check whose id or ping code is `uuid`, if any: an import keeping Healthchecks' uuids must not take another's. */
export async function projectHoldingUuid(db: Db, uuid: string): Promise<string | null> {
  const [row] = await db
    .select({ projectId: checks.projectId })
    .from(checks)
    .where(or(eq(checks.id, uuid), eq(checks.pingCode, uuid)))
    .limit(1);
  return row?.projectId ?? null;
}

/**
 * Gives a check just made (no pings, flips or channels yet) the id and the
 * ping code `uuid`, so a check imported from Healthchecks keeps its uuid as
 * both its API id and its ping URL. Null when the check is not there.
 */
export async function rekeyNewCheck(db: Db, projectId: string, id: string, uuid: string): Promise<CheckRow | null> {
  const [row] = await db
    .update(checks)
    .set({ id: uuid, pingCode: uuid, updatedAt: new Date() })
    .where(and(eq(checks.projectId, projectId), eq(checks.id, id), eq(checks.nPings, 0)))
    .returning();
  return row ?? null;
}

/** The project whose ping key is `pingKey`, if any. */
export async function projectWithPingKey(db: Db, pingKey: string): Promise<string | null> {
  const [row] = await db.select({ id: projects.id }).from(projects).where(eq(projects.pingKey, pingKey));
  return row?.id ?? null;
}

/** Sets a project's ping key (the key in `/ping/<ping-key>/<slug>` URLs), as an import from Healthchecks keeps its slug URLs. */
export async function setProjectPingKey(db: Db, projectId: string, pingKey: string): Promise<boolean> {
  const rows = await db.update(projects).set({ pingKey }).where(eq(projects.id, projectId)).returning({ id: projects.id });
  return rows.length > 0;
}
