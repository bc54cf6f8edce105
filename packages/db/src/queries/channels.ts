/** Which checks a channel alerts for. (Channel CRUD is in api-channels.ts; delivery outcomes in notifications.ts.) */
import type { Db } from '../client';
import { checkChannels } from '../schema';

/** Makes a channel alert for a check; attaching twice is a no-op. */
export async function attachChannel(db: Db, checkId: string, channelId: string): Promise<void> {
  await db.insert(checkChannels).values({ checkId, channelId }).onConflictDoNothing();
}
