import { authErrors, Project, ProjectCreate, ProjectList, ProjectParams, ProjectPatch } from '@cronbeat/contract';
import {
  createOwnedProject,
  deleteProject,
  getProject,
  type Project as ProjectRow,
  projectsOfUser,
  type Role,
  rotateBadgeKey,
  rotatePingKey,
  rotateSentryKey,
  updateProject,
} from '@cronbeat/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { accessOf, ROLE_LEVEL } from '../../../auth/access';
import { NotFound, Unauthorized } from '../../../errors';
import { iso } from '../../../schemas/common';

const tags = ['projects'];

/**
 * The project's Sentry DSN on this server: its key as the user, its
 * reference as the path's last segment, where Sentry's DSN parser looks
 * for them (a path under BASE_URL is kept, as SDKs keep it).
 */
export function sentryDsn(baseUrl: string, project: Pick<ProjectRow, 'sentryKey' | 'sentryRef'>): string {
  const url = new URL(baseUrl);
  return `${url.protocol}//${project.sentryKey}@${url.host}${url.pathname.replace(/\/+$/, '')}/${project.sentryRef}`;
}

/** /projects: what people (not API keys) do with projects. */
export async function projectRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  const userOf = (request: FastifyRequest) => {
    if (request.principal?.kind !== 'session') throw new Unauthorized('not signed in');
    return request.principal.user;
  };
  const roleOf = (request: FastifyRequest): Role => {
    const { level } = accessOf(request);
    return (Object.keys(ROLE_LEVEL) as Role[]).find((role) => ROLE_LEVEL[role] === level) ?? 'readonly';
  };
  const view = (project: ProjectRow | null, role: Role) => {
    if (!project) throw new NotFound('Project');
    const admin = ROLE_LEVEL[role] >= ROLE_LEVEL.admin;
    return {
      id: project.id,
      name: project.name,
      role,
      ...(admin && {
        pingKey: project.pingKey,
        pingUrl: `${app.accounts.pingBaseUrl}/${project.pingKey}`,
        sentryDsn: sentryDsn(app.accounts.baseUrl, project),
      }),
      defaultPeriod: project.defaultPeriod,
      defaultGrace: project.defaultGrace,
      autoCreateLimit: project.autoCreateLimit,
      autoCreateAttachChannels: project.autoCreateAttachChannels,
      groupAlertsAbove: project.groupAlertsAbove,
      createdAt: iso(project.createdAt),
    };
  };
  const config = (permission: 'user' | 'read' | 'admin' | 'owner') => ({ permission, sessionOnly: true });

  app.get(
    '/projects',
    {
      config: config('user'),
      schema: { tags, summary: 'Your projects', response: { 200: ProjectList, ...authErrors } },
    },
    async (request) => ({ projects: (await projectsOfUser(app.db, userOf(request).id)).map((project) => view(project, project.role)) }),
  );

  app.post(
    '/projects',
    {
      config: config('user'),
      schema: { tags, summary: 'Create a project you own', body: ProjectCreate, response: { 201: Project, ...authErrors } },
    },
    async (request, reply) =>
      reply.status(201).send(view(await createOwnedProject(app.db, userOf(request).id, request.body.name), 'owner')),
  );

  app.get(
    '/projects/:projectId',
    { config: config('read'), schema: { tags, summary: 'A project', params: ProjectParams, response: { 200: Project, ...authErrors } } },
    async (request) => view(await getProject(app.db, accessOf(request).projectId), roleOf(request)),
  );

  app.patch(
    '/projects/:projectId',
    {
      config: config('admin'),
      schema: {
        tags,
        summary: 'Rename a project or change its defaults, what ?create=1 pings may do and when alerts are grouped',
        params: ProjectParams,
        body: ProjectPatch,
        response: { 200: Project, ...authErrors },
      },
    },
    async (request) => view(await updateProject(app.db, accessOf(request).projectId, request.body), roleOf(request)),
  );

  app.delete(
    '/projects/:projectId',
    {
      config: config('owner'),
      schema: {
        tags,
        summary: 'Delete a project and everything in it',
        params: ProjectParams,
        response: { 204: Type.Null(), ...authErrors },
      },
    },
    async (request, reply) => {
      await deleteProject(app.db, accessOf(request).projectId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/projects/:projectId/ping-key',
    {
      config: config('admin'),
      schema: {
        tags,
        summary: 'Rotate the ping key; old slug URLs stop working',
        params: ProjectParams,
        response: { 200: Project, ...authErrors },
      },
    },
    async (request) => view(await rotatePingKey(app.db, accessOf(request).projectId), roleOf(request)),
  );

  app.post(
    '/projects/:projectId/sentry-key',
    {
      config: config('admin'),
      schema: {
        tags,
        summary: "Rotate the Sentry DSN's key; SDKs with the old DSN are refused (403). The ping key is not changed",
        params: ProjectParams,
        response: { 200: Project, ...authErrors },
      },
    },
    async (request) => {
      const { projectId } = accessOf(request);
      if (!(await rotateSentryKey(app.db, projectId))) throw new NotFound('Project');
      return view(await getProject(app.db, projectId), roleOf(request));
    },
  );

  app.post(
    '/projects/:projectId/badge-key',
    {
      config: config('admin'),
      schema: {
        tags,
        summary: 'Rotate the badge key; badges at the old addresses answer 404',
        params: ProjectParams,
        response: { 204: Type.Null(), ...authErrors },
      },
    },
    async (request, reply) => {
      if (!(await rotateBadgeKey(app.db, accessOf(request).projectId))) throw new NotFound('Project');
      return reply.status(204).send(null);
    },
  );
}
