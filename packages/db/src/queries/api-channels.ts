import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { type ChannelEvent, type ChannelKind, channels, checkChannels, checks } from '../schema';

export type ChannelRow = typeof channels.$inferSelect;

/**
 * Stamps the checks a channel alerts as changed: the checks list shows each check's channels, and learns what
 * changed from `updated_at` (the project's event stream), so attaching, renaming or deleting a channel shows live.
 */
async function touchChecksOf(db: Db, channelId: string): Promise<void> {
  await db
    .update(checks)
    .set({ updatedAt: new Date() })
    .where(sql`${checks.id} in (select ${checkChannels.checkId} from ${checkChannels} where ${checkChannels.channelId} = ${channelId})`);
}

export async function listChannels(db: Db, projectId: string): Promise<ChannelRow[]> {
  return db.select().from(channels).where(eq(channels.projectId, projectId)).orderBy(asc(channels.createdAt), asc(channels.id));
}

export async function getChannel(db: Db, projectId: string, id: string): Promise<ChannelRow | null> {
  const [row] = await db
    .select()
    .from(channels)
    .where(and(eq(channels.projectId, projectId), eq(channels.id, id)));
  return row ?? null;
}

/**
 * A new channel of a project. With `attachToAllChecks` every check the
 * project has alerts it too, in the same transaction, so no check is left
 * out by a failure half-way. Default: false (the API's default is its own).
 */
export async function createChannel(
  db: Db,
  input: {
    projectId: string;
    kind: ChannelKind;
    name: string;
    config: Record<string, unknown>;
    /** Default: every event. */
    events?: ChannelEvent[];
    attachToAllChecks?: boolean;
  },
): Promise<ChannelRow> {
  const { attachToAllChecks = false, ...columns } = input;
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(channels).values(columns).returning();
    if (!row) throw new Error('insert into channels returned no row');
    if (attachToAllChecks) {
      await tx.insert(checkChannels).select(
        tx
          .select({ checkId: checks.id, channelId: sql`${row.id}::uuid`.as('channel_id') })
          .from(checks)
          .where(eq(checks.projectId, row.projectId)),
      );
      await touchChecksOf(tx, row.id);
    }
    return row;
  });
}

export async function updateChannel(
  db: Db,
  projectId: string,
  id: string,
  changes: Partial<Pick<ChannelRow, 'name' | 'config' | 'events'>>,
): Promise<ChannelRow | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(channels)
      .set(changes)
      .where(and(eq(channels.projectId, projectId), eq(channels.id, id)))
      .returning();
    if (row && changes.name !== undefined) await touchChecksOf(tx, row.id);
    return row ?? null;
  });
}

export async function deleteChannel(db: Db, projectId: string, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [channel] = await tx
      .select({ id: channels.id })
      .from(channels)
      .where(and(eq(channels.projectId, projectId), eq(channels.id, id)));
    if (!channel) return false;
    await touchChecksOf(tx, channel.id);
    await tx.delete(channels).where(eq(channels.id, channel.id));
    return true;
  });
}
