/** Which checks a channel alerts for. (Channel CRUD is in api-channels.ts; delivery outcomes in notifications.ts.) */

import { eq } from 'drizzle-orm';
import type { Db } from '../client';
import { checkChannels, checks } from '../schema';

/** Makes a channel alert for a check; attaching twice is a no-op. */
export async function attachChannel(db: Db, checkId: string, channelId: string): Promise<void> {
  await db.insert(checkChannels).values({ checkId, channelId }).onConflictDoNothing();
  // The checks list shows a check's channels and learns of changes by `updated_at`.
  await db.update(checks).set({ updatedAt: new Date() }).where(eq(checks.id, checkId));
}
