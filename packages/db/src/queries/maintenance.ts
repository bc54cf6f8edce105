import type { MaintenanceWindow, MaintenanceWindowSpec } from '@cronbeat/core';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { maintenanceWindows } from '../schema';

export type MaintenanceWindowRow = typeof maintenanceWindows.$inferSelect;

/** A stored row as core's window; rows satisfy the table's CHECKs, so each kind has its columns. */
export function windowOfRow(row: MaintenanceWindowRow): MaintenanceWindow {
  const coverage =
    row.coverage === 'project'
      ? ({ kind: 'project' } as const)
      : row.coverage === 'tags'
        ? ({ kind: 'tags', tags: row.tags } as const)
        : ({ kind: 'checks', checkIds: row.checkIds } as const);
  const common = { id: row.id, name: row.name, coverage, endedAt: row.endedAt };
  if (row.kind === 'once') return { ...common, kind: 'once', startsAt: row.startsAt as Date, endsAt: row.endsAt as Date };
  return { ...common, kind: 'recurring', cron: row.cron as string, tz: row.tz as string, duration: row.duration as number };
}

/** The columns of a validated window: those of the other kind and coverage are cleared. */
function columnsOf(spec: MaintenanceWindowSpec) {
  const { coverage } = spec;
  return {
    name: spec.name,
    kind: spec.kind,
    startsAt: spec.kind === 'once' ? spec.startsAt : null,
    endsAt: spec.kind === 'once' ? spec.endsAt : null,
    cron: spec.kind === 'recurring' ? spec.cron : null,
    tz: spec.kind === 'recurring' ? spec.tz : null,
    duration: spec.kind === 'recurring' ? spec.duration : null,
    coverage: coverage.kind,
    tags: coverage.kind === 'tags' ? [...coverage.tags] : [],
    checkIds: coverage.kind === 'checks' ? [...coverage.checkIds] : [],
  };
}

/** A project's windows, oldest first. */
export async function listMaintenanceWindows(db: Db, projectId: string): Promise<MaintenanceWindowRow[]> {
  return db
    .select()
    .from(maintenanceWindows)
    .where(eq(maintenanceWindows.projectId, projectId))
    .orderBy(asc(maintenanceWindows.createdAt), asc(maintenanceWindows.id));
}

export async function getMaintenanceWindow(db: Db, projectId: string, id: string): Promise<MaintenanceWindowRow | null> {
  const [row] = await db
    .select()
    .from(maintenanceWindows)
    .where(and(eq(maintenanceWindows.projectId, projectId), eq(maintenanceWindows.id, id)));
  return row ?? null;
}

/** Stores a window core has validated (`parseMaintenanceWindow`). */
export async function createMaintenanceWindow(db: Db, projectId: string, spec: MaintenanceWindowSpec): Promise<MaintenanceWindowRow> {
  const [row] = await db
    .insert(maintenanceWindows)
    .values({ projectId, ...columnsOf(spec) })
    .returning();
  if (!row) throw new Error('insert into maintenance_windows returned no row');
  return row;
}

/**
 * Replaces a window's definition with a validated one. `endedAt` is kept
 * unless given: the caller clears it when the times change, since an early
 * end belongs to the plan it cut short.
 */
export async function updateMaintenanceWindow(
  db: Db,
  projectId: string,
  id: string,
  spec: MaintenanceWindowSpec,
  endedAt?: Date | null,
): Promise<MaintenanceWindowRow | null> {
  const [row] = await db
    .update(maintenanceWindows)
    .set({ ...columnsOf(spec), ...(endedAt === undefined ? {} : { endedAt }) })
    .where(and(eq(maintenanceWindows.projectId, projectId), eq(maintenanceWindows.id, id)))
    .returning();
  return row ?? null;
}

export async function deleteMaintenanceWindow(db: Db, projectId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(maintenanceWindows)
    .where(and(eq(maintenanceWindows.projectId, projectId), eq(maintenanceWindows.id, id)))
    .returning({ id: maintenanceWindows.id });
  return rows.length > 0;
}

/**
 * Ends a window early at `at` (a one-off window for good, a recurring one's
 * occurrence in force). The caller has checked with core that one is in force.
 */
export async function endMaintenanceWindow(db: Db, projectId: string, id: string, at: Date): Promise<MaintenanceWindowRow | null> {
  const [row] = await db
    .update(maintenanceWindows)
    .set({ endedAt: at })
    .where(and(eq(maintenanceWindows.projectId, projectId), eq(maintenanceWindows.id, id)))
    .returning();
  return row ?? null;
}

/**
 * The windows of each project that can still matter, as core's windows,
 * oldest first; every project asked for is a key. One-off windows over for
 * more than a day are left out: the sweep and badges ask about now, and the
 * sweep at most a little behind it.
 */
export async function windowsOfProjects(db: Db, projectIds: readonly string[]): Promise<Map<string, MaintenanceWindow[]>> {
  const byProject = new Map<string, MaintenanceWindow[]>(projectIds.map((id) => [id, []]));
  if (projectIds.length === 0) return byProject;
  const rows = await db
    .select()
    .from(maintenanceWindows)
    .where(
      and(
        inArray(maintenanceWindows.projectId, [...new Set(projectIds)]),
        sql`(${maintenanceWindows.kind} = 'recurring' or coalesce(${maintenanceWindows.endedAt}, ${maintenanceWindows.endsAt}) > now() - interval '1 day')`,
      ),
    )
    .orderBy(asc(maintenanceWindows.createdAt), asc(maintenanceWindows.id));
  for (const row of rows) byProject.get(row.projectId)?.push(windowOfRow(row));
  return byProject;
}
