import type { Config } from '@cronbeat/config';
import {
  authErrors,
  Invitation,
  InvitationAccept,
  InvitationCreate,
  InvitationList,
  InvitationParams,
  InvitationPreview,
  InvitationSent,
  InvitationToken,
  ProjectParams,
} from '@cronbeat/contract';
import {
  acceptInvitation,
  deleteInvitation,
  getProject,
  type Invitation as InvitationRow,
  invitationByToken,
  invite,
  listInvitations,
} from '@cronbeat/db';
import type { Notifier } from '@cronbeat/notify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { accessOf, ROLE_LEVEL } from '../../../auth/access';
import { newInvitationToken, sha256 } from '../../../auth/secrets';
import { Forbidden, NotFound, Unauthorized } from '../../../errors';
import { iso } from '../../../schemas/common';

const tags = ['members'];
const admin = { permission: 'admin', sessionOnly: true } as const;
/** How long an invitation's link works. */
const INVITATION_DAYS = 7;

const invitationView = (row: InvitationRow) => ({
  id: row.id,
  projectId: row.projectId,
  email: row.email,
  role: row.role,
  createdAt: iso(row.createdAt),
  expiresAt: iso(row.expiresAt),
});

/**
 * Invitations travel as a link with a one-time token: emailed to the invited
 * address when SMTP is set, and given once to the admin who made it, to pass
 * on. Whoever opens the link signed in joins; an account's email is never
 * taken as proof, since it is not verified.
 */
export async function invitationRoutes(fastify: FastifyInstance, options: { config: Config; notifier: Notifier }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { baseUrl, smtpUrl } = options.config;
  const userOf = (request: FastifyRequest) => {
    if (request.principal?.kind !== 'session') throw new Unauthorized('not signed in');
    return request.principal.user;
  };

  app.get(
    '/projects/:projectId/invitations',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Pending invitations',
        params: ProjectParams,
        response: { 200: InvitationList, ...authErrors },
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
        description:
          'Makes a one-time link, valid for 7 days, emails it to the address when the server has SMTP, and returns it once. Inviting the same email again replaces the link.',
        params: ProjectParams,
        body: InvitationCreate,
        response: { 201: InvitationSent, ...authErrors },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const inviter = userOf(request);
      if (request.body.role === 'owner' && access.level < ROLE_LEVEL.owner) throw new Forbidden('only an owner may invite an owner');
      const token = newInvitationToken();
      const invitation = await invite(app.db, {
        projectId: access.projectId,
        ...request.body,
        invitedBy: inviter.id,
        tokenHash: sha256(token),
        expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
      });
      const acceptUrl = `${baseUrl}/join/${token}`;
      let emailed = false;
      if (smtpUrl) {
        try {
          await options.notifier.sendInvitation(invitation.email, {
            projectName: (await getProject(app.db, access.projectId))?.name ?? 'a project',
            role: invitation.role,
            invitedBy: inviter.email,
            url: acceptUrl,
            expiresAt: invitation.expiresAt,
          });
          emailed = true;
        } catch (error) {
          // The invitation stands: the admin gets the link to pass on, and the answer says it was not emailed.
          request.log.warn({ err: error }, 'invitation email not sent');
        }
      }
      return reply.status(201).send({ ...invitationView(invitation), acceptUrl, emailed });
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
    '/invitations/:token',
    {
      config: { permission: 'user' },
      schema: {
        tags,
        summary: "What an invitation's link leads to: the project, the role and who invited",
        params: Type.Object({ token: InvitationToken }),
        response: { 200: InvitationPreview, ...authErrors },
      },
    },
    async (request) => {
      const invitation = await invitationByToken(app.db, sha256(request.params.token));
      if (!invitation) throw new NotFound('Invitation');
      return { ...invitationView(invitation), projectName: invitation.projectName, invitedBy: invitation.invitedByEmail };
    },
  );

  app.post(
    '/invitations/accept',
    {
      config: { permission: 'user' },
      schema: {
        tags,
        summary: "Join the project of an invitation's link",
        description: 'Uses the link up. A member keeps a higher role than the invitation offers: an invitation never demotes.',
        body: InvitationAccept,
        response: { 200: Invitation, ...authErrors },
      },
    },
    async (request) => {
      const accepted = await acceptInvitation(app.db, sha256(request.body.token), userOf(request).id);
      if (!accepted) throw new NotFound('Invitation');
      return invitationView(accepted);
    },
  );
}
