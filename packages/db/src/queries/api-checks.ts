import type { Status, Transition } from '@cronbeat/core';
import { and, arrayContains, asc, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { channels, checkChannels, checks, flips } from '../schema';
import { type CheckRow, flipColumns, runStateColumns, toCheckState } from './checks';

export interface CheckFilters {
  /** Every tag must be on the check. */
  tags?: string[];
  status?: Status;
  slug?: string;
  /** Case-insensitive substring of the name or slug. */
  q?: string;
}

export type CheckColumns = Partial<
  Pick<
    CheckRow,
    | 'name'
    | 'slug'
    | 'tags'
    | 'description'
    | 'period'
    | 'cron'
    | 'tz'
    | 'grace'
    | 'maxRuntime'
    | 'manualResume'
    | 'methods'
    | 'alertOnLate'
    | 'remindEvery'
  >
>;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Where a page of checks ends: the last check's creation time exactly as
 * Postgres prints it (microseconds and offset, so it casts back to the same
 * instant) and its id, the tiebreak.
 */
export interface CheckCursor {
  createdAt: string;
  id: string;
}

export interface CheckPage {
  rows: CheckRow[];
  /** Where the next page starts, or null when this one holds the last check. */
  next: CheckCursor | null;
}

function checkConditions(projectId: string, filters: CheckFilters): SQL[] {
  const conditions: SQL[] = [eq(checks.projectId, projectId)];
  if (filters.tags?.length) conditions.push(arrayContains(checks.tags, filters.tags));
  if (filters.status) conditions.push(eq(checks.status, filters.status));
  if (filters.slug !== undefined) conditions.push(eq(checks.slug, filters.slug));
  if (filters.q) {
    const pattern = `%${escapeLike(filters.q)}%`;
    conditions.push(or(ilike(checks.name, pattern), ilike(checks.slug, pattern)) as SQL);
  }
  return conditions;
}

/** Every check of a project that passes the filters, oldest first. */
export async function listChecks(db: Db, projectId: string, filters: CheckFilters = {}): Promise<CheckRow[]> {
  return db
    .select()
    .from(checks)
    .where(and(...checkConditions(projectId, filters)))
    .orderBy(asc(checks.createdAt), asc(checks.id));
}

/**
 * Up to `limit` checks in `listChecks`' order, starting after `after`. The
 * cursor is a position, not a check: a page still follows when the check it
 * names has been deleted since, and checks created meanwhile come last.
 */
export async function pageChecks(
  db: Db,
  projectId: string,
  filters: CheckFilters,
  { limit, after }: { limit: number; after?: CheckCursor | undefined },
): Promise<CheckPage> {
  const conditions = checkConditions(projectId, filters);
  if (after) conditions.push(sql`(${checks.createdAt}, ${checks.id}) > (${after.createdAt}::timestamptz, ${after.id}::uuid)`);
  const found = await db
    .select({ row: checks, createdAtText: sql<string>`${checks.createdAt}::text` })
    .from(checks)
    .where(and(...conditions))
    .orderBy(asc(checks.createdAt), asc(checks.id))
    .limit(limit + 1);
  const rows = found.slice(0, limit);
  const last = found.length > limit ? rows.at(-1) : undefined;
  return { rows: rows.map(({ row }) => row), next: last ? { createdAt: last.createdAtText, id: last.row.id } : null };
}

/** The check of `projectId` whose `field` equals the given value: the match of an upsert. */
export async function findCheckBy(db: Db, projectId: string, field: 'slug' | 'name', value: string): Promise<CheckRow | null> {
  const [row] = await db
    .select()
    .from(checks)
    .where(and(eq(checks.projectId, projectId), eq(checks[field], value)))
    .orderBy(asc(checks.createdAt))
    .limit(1);
  return row ?? null;
}

/** Channel ids of a check, for people who may see them. */
export async function channelIdsOf(db: Db, checkIds: string[]): Promise<Map<string, string[]>> {
  const byCheck = new Map<string, string[]>(checkIds.map((id) => [id, []]));
  if (checkIds.length === 0) return byCheck;
  const rows = await db.select().from(checkChannels).where(inArray(checkChannels.checkId, checkIds));
  for (const row of rows) byCheck.get(row.checkId)?.push(row.channelId);
  return byCheck;
}

/** Ids among `ids` that are not channels of `projectId`: a check may only notify its own project's channels. */
export async function foreignChannelIds(db: Db, projectId: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: channels.id })
    .from(channels)
    .where(and(eq(channels.projectId, projectId), inArray(channels.id, ids)));
  const known = new Set(rows.map((row) => row.id));
  return ids.filter((id) => !known.has(id));
}

/** Replaces a check's channels; `'*'` means every channel of its project. */
export async function setCheckChannels(db: Db, check: Pick<CheckRow, 'id' | 'projectId'>, channelIds: string[] | '*'): Promise<void> {
  await db.delete(checkChannels).where(eq(checkChannels.checkId, check.id));
  const ids =
    channelIds === '*'
      ? (await db.select({ id: channels.id }).from(channels).where(eq(channels.projectId, check.projectId))).map((row) => row.id)
      : channelIds;
  if (ids.length > 0) await db.insert(checkChannels).values(ids.map((channelId) => ({ checkId: check.id, channelId })));
}

/** Writes edited columns of a check of `projectId`; null when it does not exist there. */
export async function updateCheck(
  db: Db,
  projectId: string,
  id: string,
  changes: CheckColumns & Partial<CheckRow>,
): Promise<CheckRow | null> {
  const [row] = await db
    .update(checks)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(checks.projectId, projectId), eq(checks.id, id)))
    .returning();
  return row ?? null;
}

export async function deleteCheck(db: Db, projectId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(checks)
    .where(and(eq(checks.projectId, projectId), eq(checks.id, id)))
    .returning({ id: checks.id });
  return rows.length > 0;
}

/**
 * Applies a domain decision (pause, resume) to a check of `projectId` and
 * writes its flip in the same transaction, with the row locked so a ping or
 * the sweep cannot interleave. Null when the check is not there; the row
 * unchanged when the decision is "nothing happens".
 */
export async function transitionCheck(
  db: Db,
  projectId: string,
  id: string,
  decide: (state: ReturnType<typeof toCheckState>, now: Date) => Transition | null,
  now: Date,
): Promise<CheckRow | null> {
  return db.transaction(async (tx) => {
    const row = await lockCheck(tx, projectId, id);
    if (!row) return null;
    const transition = decide(toCheckState(row), now);
    if (!transition) return row;
    const [updated] = await tx
      .update(checks)
      .set({ ...runStateColumns(transition.check), updatedAt: now })
      .where(eq(checks.id, id))
      .returning();
    if (transition.flip) await tx.insert(flips).values(flipColumns(id, transition.flip));
    return updated ?? row;
  });
}

export interface StatusSummary {
  total: number;
  running: number;
  byStatus: Record<Status, number>;
}

/** How many checks of a project (or of those tagged `tag`) are in each status, and how many are running. */
export async function statusSummary(db: Db, projectId: string, tag?: string): Promise<StatusSummary> {
  const rows = await db
    .select({
      status: checks.status,
      count: sql<number>`count(*)::int`,
      running: sql<number>`(count(*) filter (where ${checks.lastStart} is not null))::int`,
    })
    .from(checks)
    .where(and(eq(checks.projectId, projectId), tag === undefined ? undefined : arrayContains(checks.tags, [tag])))
    .groupBy(checks.status);
  const byStatus: Record<Status, number> = { new: 0, up: 0, late: 0, down: 0, paused: 0 };
  let total = 0;
  let running = 0;
  for (const row of rows) {
    byStatus[row.status] = Number(row.count);
    total += Number(row.count);
    running += Number(row.running);
  }
  return { total, running, byStatus };
}

/** True for a Postgres unique violation, on either driver and through drizzle's wrapper. */
export function isUniqueViolation(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if ((cause as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/** A check of `projectId`, locked until the transaction ends, so an edit and a ping cannot interleave. */
export async function lockCheck(db: Db, projectId: string, id: string): Promise<CheckRow | null> {
  const [row] = await db
    .select()
    .from(checks)
    .where(and(eq(checks.projectId, projectId), eq(checks.id, id)))
    .for('update');
  return row ?? null;
}

/**
 * Gives a check of `projectId` a new random ping code; null when the check is
 * not there. The old ping URL stops working at once on every server: a
 * server that knows the check keeps its row version, which this update
 * changes, so its next write from that knowledge misses and it reads the
 * check again, by the code the ping named.
 */
export async function rotatePingCode(db: Db, projectId: string, id: string): Promise<CheckRow | null> {
  const [row] = await db
    .update(checks)
    .set({ pingCode: sql`gen_random_uuid()`, updatedAt: new Date() })
    .where(and(eq(checks.projectId, projectId), eq(checks.id, id)))
    .returning();
  return row ?? null;
}
