import {
  acceptInvitation,
  type Db,
  deleteInvitation,
  type Invitation as InvitationRow,
  invitationsForEmail,
  invite,
  listInvitations,
  listMembers,
  type Role,
  removeMember,
  setRole,
} from '@cronbeat/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { accessOf, type ProjectAccess, ROLE_LEVEL } from '../../../auth/access';
import { Conflict, Forbidden, NotFound, Unauthorized } from '../../../errors';
import { authErrors, iso, ProjectParams, Uuid } from '../../../schemas/common';
import { Invitation, InvitationCreate, InvitationParams, Member, MemberParams, MyInvitation, RoleChange } from '../../../schemas/projects';

const tags = ['members'];

/**
 * Admins manage everyone but owners: only an owner may make, change or remove
 * an owner, and a project always keeps at least one owner.
 */
async function assertMayChange(db: Db, access: ProjectAccess, userId: string, role: Role | null): Promise<void> {
  const members = await listMembers(db, access.projectId);
  const target = members.find((member) => member.userId === userId);
  if (!target) throw new NotFound('Member');
  if ((role === 'owner' || target.role === 'owner') && access.level < ROLE_LEVEL.owner)
    throw new Forbidden('only an owner may make, change or remove an owner');
  const owners = members.filter((member) => member.role === 'owner').length;
  if (target.role === 'owner' && role !== 'owner' && owners === 1)
    throw new Conflict('a project needs an owner: make someone else owner first');
}
const admin = { permission: 'admin', sessionOnly: true } as const;

/** Members of a project, and invitations to join one. */
export async function memberRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const invitationView = (row: InvitationRow) => ({
    id: row.id,
    projectId: row.projectId,
    email: row.email,
    role: row.role,
    createdAt: iso(row.createdAt),
  });
  const userOf = (request: FastifyRequest) => {
    if (request.principal?.kind !== 'session') throw new Unauthorized('not signed in');
    return request.principal.user;
  };

  app.get(
    '/projects/:projectId/members',
    {
      config: { permission: 'read', sessionOnly: true },
      schema: {
        tags,
        summary: 'Members and their roles',
        params: ProjectParams,
        response: { 200: Type.Object({ members: Type.Array(Member) }), ...authErrors },
      },
    },
    async (request) => ({
      members: (await listMembers(app.db, accessOf(request).projectId)).map((m) => ({ ...m, createdAt: iso(m.createdAt) })),
    }),
  );

  app.patch(
    '/projects/:projectId/members/:userId',
    {
      config: admin,
      schema: {
        tags,
        summary: "Change a member's role",
        params: MemberParams,
        body: RoleChange,
        response: { 204: Type.Null(), ...authErrors },
      },
    },
    async (request, reply) => {
      await assertMayChange(app.db, accessOf(request), request.params.userId, request.body.role);
      if (!(await setRole(app.db, accessOf(request).projectId, request.params.userId, request.body.role))) throw new NotFound('Member');
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/projects/:projectId/members/:userId',
    { config: admin, schema: { tags, summary: 'Remove a member', params: MemberParams, response: { 204: Type.Null(), ...authErrors } } },
    async (request, reply) => {
      await assertMayChange(app.db, accessOf(request), request.params.userId, null);
      if (!(await removeMember(app.db, accessOf(request).projectId, request.params.userId))) throw new NotFound('Member');
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/projects/:projectId/invitations',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Pending invitations',
        params: ProjectParams,
        response: { 200: Type.Object({ invitations: Type.Array(Invitation) }), ...authErrors },
      },
    },
    async (request) => ({ invitations: (await listInvitations(app.db, accessOf(request).projectId)).map(invitationView) }),
  );

  app.post(
    '/projects/:projectId/invitations',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Invite an email with a role',
        params: ProjectParams,
        body: InvitationCreate,
        response: { 201: Invitation, ...authErrors },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      if (request.body.role === 'owner' && access.level < ROLE_LEVEL.owner) throw new Forbidden('only an owner may invite an owner');
      const invitation = await invite(app.db, { projectId: access.projectId, ...request.body, invitedBy: userOf(request).id });
      return reply.status(201).send(invitationView(invitation));
    },
  );

  app.delete(
    '/projects/:projectId/invitations/:invitationId',
    {
      config: admin,
      schema: { tags, summary: 'Withdraw an invitation', params: InvitationParams, response: { 204: Type.Null(), ...authErrors } },
    },
    async (request, reply) => {
      if (!(await deleteInvitation(app.db, accessOf(request).projectId, request.params.invitationId))) throw new NotFound('Invitation');
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/invitations',
    {
      config: { permission: 'user' },
      schema: {
        tags,
        summary: 'Invitations addressed to you',
        response: { 200: Type.Object({ invitations: Type.Array(MyInvitation) }), ...authErrors },
      },
    },
    async (request) => ({
      invitations: (await invitationsForEmail(app.db, userOf(request).email)).map((row) => ({
        ...invitationView(row),
        projectName: row.projectName,
      })),
    }),
  );

  app.post(
    '/invitations/:id/accept',
    {
      config: { permission: 'user' },
      schema: {
        tags,
        summary: 'Join the project an invitation is for',
        params: Type.Object({ id: Uuid }),
        response: { 200: Invitation, ...authErrors },
      },
    },
    async (request) => {
      const accepted = await acceptInvitation(app.db, request.params.id, userOf(request));
      if (!accepted) throw new NotFound('Invitation');
      return invitationView(accepted);
    },
  );
}
