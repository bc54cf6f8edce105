import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { memberships, projects, type Role, users } from '../schema';
import { newPingKey, type Project } from './projects';

export interface Member {
  userId: string;
  email: string;
  role: Role;
  createdAt: Date;
}

/** The user's role in a project, or null when they are not a member. */
export async function roleIn(db: Db, projectId: string, userId: string): Promise<Role | null> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.projectId, projectId), eq(memberships.userId, userId)));
  return row?.role ?? null;
}

/** The projects a user belongs to, oldest first, with their role in each. */
export async function projectsOfUser(db: Db, userId: string): Promise<Array<Project & { role: Role }>> {
  const rows = await db
    .select({ project: projects, role: memberships.role })
    .from(memberships)
    .innerJoin(projects, eq(projects.id, memberships.projectId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(projects.createdAt), asc(projects.id));
  return rows.map((row) => ({ ...row.project, role: row.role }));
}

export async function createOwnedProject(db: Db, userId: string, name: string): Promise<Project> {
  return db.transaction(async (tx) => {
    const [project] = await tx.insert(projects).values({ name, pingKey: newPingKey() }).returning();
    if (!project) throw new Error('insert into projects returned no row');
    await tx.insert(memberships).values({ projectId: project.id, userId, role: 'owner' });
    return project;
  });
}

export async function updateProject(
  db: Db,
  id: string,
  changes: Partial<
    Pick<Project, 'name' | 'defaultPeriod' | 'defaultGrace' | 'autoCreateLimit' | 'autoCreateAttachChannels' | 'groupAlertsAbove'>
  >,
): Promise<Project | null> {
  const [project] = await db.update(projects).set(changes).where(eq(projects.id, id)).returning();
  return project ?? null;
}

/** Deletes a project and, by cascade, everything in it. */
export async function deleteProject(db: Db, id: string): Promise<void> {
  await db.delete(projects).where(eq(projects.id, id));
}

/** A new ping key; slug ping URLs with the old one stop working at once. */
export async function rotatePingKey(db: Db, id: string): Promise<Project | null> {
  const [project] = await db.update(projects).set({ pingKey: newPingKey() }).where(eq(projects.id, id)).returning();
  return project ?? null;
}

export async function listMembers(db: Db, projectId: string): Promise<Member[]> {
  return db
    .select({ userId: users.id, email: users.email, role: memberships.role, createdAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.projectId, projectId))
    .orderBy(asc(memberships.createdAt));
}

/** What became of a change of membership: done, no such member, or refused because the project would have no owner left. */
export type MembershipChange = 'changed' | 'not-member' | 'last-owner';

/**
 * Gives a member a new role, or removes them (`role` null), unless that
 * would leave the project without an owner. The project's row is locked
 * first, so two owners demoting each other at the same moment queue, and the
 * second finds the first no longer an owner.
 */
export async function changeMembership(db: Db, projectId: string, userId: string, role: Role | null): Promise<MembershipChange> {
  return db.transaction(async (tx) => {
    await tx.select({ id: projects.id }).from(projects).where(eq(projects.id, projectId)).for('no key update');
    const current = await tx
      .select({ userId: memberships.userId, role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.projectId, projectId), eq(memberships.role, 'owner')));
    const member = and(eq(memberships.projectId, projectId), eq(memberships.userId, userId));
    const isOwner = current.some((owner) => owner.userId === userId);
    if (isOwner && role !== 'owner' && current.length === 1) return 'last-owner';
    const rows = role
      ? await tx.update(memberships).set({ role }).where(member).returning({ userId: memberships.userId })
      : await tx.delete(memberships).where(member).returning({ userId: memberships.userId });
    return rows.length > 0 ? 'changed' : 'not-member';
  });
}
