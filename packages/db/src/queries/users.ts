import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { memberships, projects, users } from '../schema';
import { newPingKey, type Project } from './projects';

export type User = typeof users.$inferSelect;

/** The first account on a fresh install; sign-up is always open to it. */
export async function hasUsers(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).limit(1);
  return row !== undefined;
}

export async function userByEmail(db: Db, email: string): Promise<User | null> {
  const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  return user ?? null;
}

/**
 * A new account with its first project, owned by it, in one transaction.
 * The first account of an install becomes its admin; the advisory lock makes
 * two simultaneous first sign-ups agree on which one that is.
 * Returns null when the email is taken.
 */
export async function createAccount(
  db: Db,
  input: { email: string; passwordHash: string; projectName: string },
): Promise<{ user: User; project: Project } | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('cronbeat.sign-up'))`);
    const isAdmin = !(await hasUsers(tx));
    const [user] = await tx
      .insert(users)
      .values({ email: input.email.toLowerCase(), passwordHash: input.passwordHash, isAdmin })
      .onConflictDoNothing()
      .returning();
    if (!user) return null;
    const [project] = await tx.insert(projects).values({ name: input.projectName, pingKey: newPingKey() }).returning();
    if (!project) throw new Error('insert into projects returned no row');
    await tx.insert(memberships).values({ projectId: project.id, userId: user.id, role: 'owner' });
    return { user, project };
  });
}

export async function setPasswordHash(db: Db, userId: string, passwordHash: string): Promise<void> {
  await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
}
