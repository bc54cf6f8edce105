import type { Config } from '@cronbeat/config';
import { authErrors, MemberList, MemberParams, ProjectParams, RoleChange } from '@cronbeat/contract';
import { changeMembership, type Db, listMembers, type Role } from '@cronbeat/db';
import type { Notifier } from '@cronbeat/notify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { accessOf, type ProjectAccess, ROLE_LEVEL } from '../../../auth/access';
import { Conflict, Forbidden, NotFound } from '../../../errors';
import { iso } from '../../../schemas/common';
import { invitationRoutes } from './invitations';

const tags = ['members'];

/**
 * Admins manage everyone but owners: only an owner may make, change or remove
 * an owner. `changeMembership` keeps at least one owner, whoever asks.
 */
async function changeMember(db: Db, access: ProjectAccess, userId: string, role: Role | null): Promise<void> {
  const target = (await listMembers(db, access.projectId)).find((member) => member.userId === userId);
  if (!target) throw new NotFound('Member');
  if ((role === 'owner' || target.role === 'owner') && access.level < ROLE_LEVEL.owner)
    throw new Forbidden('only an owner may make, change or remove an owner');
  const outcome = await changeMembership(db, access.projectId, userId, role);
  if (outcome === 'not-member') throw new NotFound('Member');
  if (outcome === 'last-owner') throw new Conflict('a project needs an owner: make someone else owner first');
}
const admin = { permission: 'admin', sessionOnly: true } as const;

/** Members of a project, and invitations to join one. */
export async function memberRoutes(fastify: FastifyInstance, options: { config: Config; notifier: Notifier }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  await app.register(invitationRoutes, options);

  app.get(
    '/projects/:projectId/members',
    {
      config: { permission: 'read', sessionOnly: true },
      schema: {
        tags,
        summary: 'Members and their roles',
        params: ProjectParams,
        response: { 200: MemberList, ...authErrors },
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
      await changeMember(app.db, accessOf(request), request.params.userId, request.body.role);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/projects/:projectId/members/:userId',
    { config: admin, schema: { tags, summary: 'Remove a member', params: MemberParams, response: { 204: Type.Null(), ...authErrors } } },
    async (request, reply) => {
      await changeMember(app.db, accessOf(request), request.params.userId, null);
      return reply.status(204).send(null);
    },
  );
}
