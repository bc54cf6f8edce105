import type { DependencyEdge } from '@cronbeat/core';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client';
import { checkDependencies, checks, projects } from '../schema';

/**
 * Serialises the dependency writes of a project until the transaction ends,
 * so two edits cannot each add half of a cycle. Take it before locking a
 * check: writers that never take it (pings, edits that leave dependsOn
 * alone) then never wait on one that holds it. `no key update` leaves
 * inserting checks (which only share the project row's key) unblocked.
 */
export async function lockDependencies(tx: Db, projectId: string): Promise<void> {
  await tx.select({ id: projects.id }).from(projects).where(eq(projects.id, projectId)).for('no key update');
}

/** True for a Postgres foreign key violation (a parent deleted while it was being named), on either driver. */
export function isForeignKeyViolation(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if ((cause as { code?: unknown }).code === '23503') return true;
  }
  return false;
}

/**
 * Replaces every parent of a check with `parentIds`, in the caller's
 * transaction so the check and its parents change together. The caller has
 * made sure they are checks of the check's project and make no cycle.
 */
export async function setParents(tx: Db, checkId: string, parentIds: readonly string[]): Promise<void> {
  await tx.delete(checkDependencies).where(eq(checkDependencies.checkId, checkId));
  const unique = [...new Set(parentIds)];
  if (unique.length > 0) await tx.insert(checkDependencies).values(unique.map((dependsOnId) => ({ checkId, dependsOnId })));
}

/** Each check's parents (the checks it depends on), oldest check first; every id asked for is a key. */
export async function parentsOf(db: Db, checkIds: readonly string[]): Promise<Map<string, string[]>> {
  const byCheck = new Map<string, string[]>(checkIds.map((id) => [id, []]));
  if (checkIds.length === 0) return byCheck;
  const parent = alias(checks, 'parent');
  const rows = await db
    .select({ checkId: checkDependencies.checkId, parentId: checkDependencies.dependsOnId })
    .from(checkDependencies)
    .innerJoin(parent, eq(parent.id, checkDependencies.dependsOnId))
    .where(inArray(checkDependencies.checkId, [...checkIds]))
    .orderBy(asc(parent.createdAt), asc(parent.id));
  for (const row of rows) byCheck.get(row.checkId)?.push(row.parentId);
  return byCheck;
}

/** Each check's dependents (the checks that depend on it), oldest check first; every id asked for is a key. */
export async function dependentsOf(db: Db, checkIds: readonly string[]): Promise<Map<string, string[]>> {
  const byCheck = new Map<string, string[]>(checkIds.map((id) => [id, []]));
  if (checkIds.length === 0) return byCheck;
  const dependent = alias(checks, 'dependent');
  const rows = await db
    .select({ parentId: checkDependencies.dependsOnId, dependentId: checkDependencies.checkId })
    .from(checkDependencies)
    .innerJoin(dependent, eq(dependent.id, checkDependencies.checkId))
    .where(inArray(checkDependencies.dependsOnId, [...checkIds]))
    .orderBy(asc(dependent.createdAt), asc(dependent.id));
  for (const row of rows) byCheck.get(row.parentId)?.push(row.dependentId);
  return byCheck;
}

/** Every dependency between checks of a project, as core's edges: what a new edge must not close a cycle with. */
export async function dependencyEdgesOf(db: Db, projectId: string): Promise<DependencyEdge[]> {
  return db
    .select({ from: checkDependencies.checkId, to: checkDependencies.dependsOnId })
    .from(checkDependencies)
    .innerJoin(checks, eq(checks.id, checkDependencies.checkId))
    .where(eq(checks.projectId, projectId))
    .orderBy(asc(checks.createdAt), asc(checks.id), asc(checkDependencies.dependsOnId));
}

/** Ids among `ids` that are not checks of `projectId`: a check may only depend on its own project's checks. */
export async function foreignCheckIds(db: Db, projectId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: checks.id })
    .from(checks)
    .where(and(eq(checks.projectId, projectId), inArray(checks.id, [...ids])));
  const known = new Set(rows.map((row) => row.id));
  return ids.filter((id) => !known.has(id));
}

/** The names of checks of `projectId` by id, to name a cycle in words. */
export async function checkNamesOf(db: Db, projectId: string, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: checks.id, name: checks.name })
    .from(checks)
    .where(and(eq(checks.projectId, projectId), inArray(checks.id, [...ids])));
  return new Map(rows.map((row) => [row.id, row.name]));
}
