import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { type ChannelKind, channels } from '../schema';

export type ChannelRow = typeof channels.$inferSelect;

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

export async function createChannel(
  db: Db,
  input: { projectId: string; kind: ChannelKind; name: string; config: Record<string, unknown> },
): Promise<ChannelRow> {
  const [row] = await db.insert(channels).values(input).returning();
  if (!row) throw new Error('insert into channels returned no row');
  return row;
}

export async function updateChannel(
  db: Db,
  projectId: string,
  id: string,
  changes: Partial<Pick<ChannelRow, 'name' | 'config'>>,
): Promise<ChannelRow | null> {
  const [row] = await db
    .update(channels)
    .set(changes)
    .where(and(eq(channels.projectId, projectId), eq(channels.id, id)))
    .returning();
  return row ?? null;
}

export async function deleteChannel(db: Db, projectId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(channels)
    .where(and(eq(channels.projectId, projectId), eq(channels.id, id)))
    .returning({ id: channels.id });
  return rows.length > 0;
}
