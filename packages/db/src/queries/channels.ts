/** Which checks a channel alerts for, and its delivery outcomes. (Channel CRUD is in api-channels.ts.) */
import { eq } from 'drizzle-orm';
import type { Db } from '../client';
import { channels, checkChannels } from '../schema';

/** Makes a channel alert for a check; attaching twice is a no-op. */
export async function attachChannel(db: Db, checkId: string, channelId: string): Promise<void> {
  await db.insert(checkChannels).values({ checkId, channelId }).onConflictDoNothing();
}

/** Keeps a channel's latest delivery outcome for the dashboard. */
export async function recordChannelOutcome(db: Db, channelId: string, at: Date, error: string | null): Promise<void> {
  await db
    .update(channels)
    .set(error === null ? { lastDeliveredAt: at } : { lastError: error, lastErrorAt: at })
    .where(eq(channels.id, channelId));
}
