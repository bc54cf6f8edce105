import { and, eq, gt, lt, ne } from 'drizzle-orm';
import type { Db } from '../client';
import { sessions, users } from '../schema';
import type { User } from './users';

/** Milliseconds before a session's last-seen time is written again; saves a write per request. */
const TOUCH_EVERY_MS = 60_000;

export async function createSession(
  db: Db,
  input: { tokenHash: string; userId: string; expiresAt: Date; userAgent: string | null },
): Promise<void> {
  await db.insert(sessions).values(input);
}

/** The user behind an unexpired session, marking the session as seen. */
export async function sessionUser(db: Db, tokenHash: string, now: Date): Promise<User | null> {
  const [row] = await db
    .select({ user: users, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)));
  if (!row) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db
      .update(sessions)
      .set({ lastSeenAt: now })
      .where(and(eq(sessions.tokenHash, tokenHash), lt(sessions.lastSeenAt, now)));
  }
  return row.user;
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

/** Signs a user out everywhere but here, e.g. after a password change. */
export async function deleteOtherSessions(db: Db, userId: string, keepTokenHash: string): Promise<void> {
  await db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.tokenHash, keepTokenHash)));
}

/** Removes sessions that expired before `now`; for the maintenance job, as expired rows are already refused. */
export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  const rows = await db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ tokenHash: sessions.tokenHash });
  return rows.length;
}
