import { V3Badges, V3ChannelList, v3Errors } from '@cronbeat/contract';
import { getProject, listChannels, tagsInUse } from '@cronbeat/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { callerOf } from './auth';
import { HealthchecksError } from './errors';

const tags = ['Healthchecks API v3'];
const security = [{ apiKey: [] }];

export async function v3ProjectRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/channels',
    { schema: { tags, security, summary: "The project's integrations (channels)", response: { 200: V3ChannelList, ...v3Errors } } },
    async (request) => {
      const channels = await listChannels(app.db, callerOf(request).projectId);
      return { channels: channels.map((channel) => ({ id: channel.id, name: channel.name, kind: channel.kind })) };
    },
  );

  app.get(
    '/badges',
    {
      config: { v3Access: 'read' },
      schema: {
        tags,
        security,
        summary: 'Status badge URLs, for every check ("*") and each tag',
        description: 'Cronbeat badges always show late checks, so svg and svg3 (and json, json3, shields, shields3) are the same address.',
        response: { 200: V3Badges, ...v3Errors },
      },
    },
    async (request) => {
      const { projectId } = callerOf(request);
      const [project, tagList] = await Promise.all([getProject(app.db, projectId), tagsInUse(app.db, projectId)]);
      if (!project) throw new HealthchecksError(404, 'project not found');
      const base = `${app.accounts.baseUrl}/badge/${project.badgeKey}`;
      const urls = (path: string) => ({
        svg: `${path}.svg`,
        svg3: `${path}.svg`,
        json: `${path}.json`,
        json3: `${path}.json`,
        shields: `${path}.shields`,
        shields3: `${path}.shields`,
      });
      const badges: Record<string, ReturnType<typeof urls>> = { '*': urls(base) };
      for (const tag of tagList) badges[tag] = urls(`${base}/${encodeURIComponent(tag)}`);
      return { badges };
    },
  );
}
