import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { invitations, memberships, projects, ROLES, type Role, users } from '../schema';

export type Invitation = typeof invitations.$inferSelect;

/** An invitation as its link shows it: where it leads, as what, and from whom. */
export type InvitationPreview = Invitation & { projectName: string; invitedByEmail: string | null };

/**
 * Invites an email with a role, valid until `expiresAt`. Inviting the same
 * email again replaces the role and the token, so only the newest link works.
 */
export async function invite(
  db: Db,
  input: { projectId: string; email: string; role: Role; invitedBy: string; tokenHash: string; expiresAt: Date },
): Promise<Invitation> {
  const { role, invitedBy, tokenHash, expiresAt } = input;
  const [row] = await db
    .insert(invitations)
    .values({ ...input, email: input.email.toLowerCase() })
    .onConflictDoUpdate({
      target: [invitations.projectId, invitations.email],
      set: { role, invitedBy, tokenHash, expiresAt, createdAt: sql`now()` },
    })
    .returning();
  if (!row) throw new Error('insert into invitations returned no row');
  return row;
}

export async function listInvitations(db: Db, projectId: string): Promise<Invitation[]> {
  return db.select().from(invitations).where(eq(invitations.projectId, projectId)).orderBy(asc(invitations.createdAt));
}

/** The unexpired invitation whose link carries the token with this hash, or null. */
export async function invitationByToken(db: Db, tokenHash: string): Promise<InvitationPreview | null> {
  const [row] = await db
    .select({ invitation: invitations, projectName: projects.name, invitedByEmail: users.email })
    .from(invitations)
    .innerJoin(projects, eq(projects.id, invitations.projectId))
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(and(eq(invitations.tokenHash, tokenHash), gt(invitations.expiresAt, sql`now()`)));
  return row ? { ...row.invitation, projectName: row.projectName, invitedByEmail: row.invitedByEmail } : null;
}

export async function deleteInvitation(db: Db, projectId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(invitations)
    .where(and(eq(invitations.projectId, projectId), eq(invitations.id, id)))
    .returning({ id: invitations.id });
  return rows.length > 0;
}

/** Roles from the least to the most a member may do, as Postgres compares them (1 = readonly … 4 = owner). */
const rank = (role: unknown) => sql`array_position(array[${sql.join([...ROLES].reverse(), sql`, `)}]::text[], ${role})`;

/**
 * Uses up the invitation whose link carries the token with this hash: the
 * user joins its project with its role, in one transaction. A member keeps a
 * role higher than the invitation's, so an invitation never demotes anyone
 * (nor the last owner). Null when no unexpired invitation has that token.
 */
export async function acceptInvitation(db: Db, tokenHash: string, userId: string): Promise<Invitation | null> {
  return db.transaction(async (tx) => {
    const [invitation] = await tx
      .delete(invitations)
      .where(and(eq(invitations.tokenHash, tokenHash), gt(invitations.expiresAt, sql`now()`)))
      .returning();
    if (!invitation) return null;
    await tx
      .insert(memberships)
      .values({ projectId: invitation.projectId, userId, role: invitation.role })
      .onConflictDoUpdate({
        target: [memberships.projectId, memberships.userId],
        set: {
          role: sql`case when ${rank(sql`excluded.role`)} > ${rank(memberships.role)} then excluded.role else ${memberships.role} end`,
        },
      });
    return invitation;
  });
}
