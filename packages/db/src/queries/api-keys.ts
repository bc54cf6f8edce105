import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../client';
import { type ApiKeyAccess, apiKeys } from '../schema';

export type ApiKey = typeof apiKeys.$inferSelect;

/** Milliseconds between writes of a key's last-used time; saves a write per request. */
const TOUCH_EVERY_MS = 60_000;

export async function createApiKey(
  db: Db,
  input: { projectId: string; name: string; access: ApiKeyAccess; prefix: string; keyHash: string },
): Promise<ApiKey> {
  const [key] = await db.insert(apiKeys).values(input).returning();
  if (!key) throw new Error('insert into api_keys returned no row');
  return key;
}

export async function listApiKeys(db: Db, projectId: string): Promise<ApiKey[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.projectId, projectId)).orderBy(desc(apiKeys.createdAt));
}

/** Revokes a key of `projectId`; false when there is no such key. Takes effect on the next request. */
export async function revokeApiKey(db: Db, projectId: string, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.projectId, projectId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}

/** The unrevoked key with this hash, marking it as used at `now`. */
export async function useApiKey(db: Db, keyHash: string, now: Date): Promise<ApiKey | null> {
  const [key] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)));
  if (!key) return null;
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.id, key.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, now))));
  }
  return key;
}
