import { authErrors, BadgeList, CheckBadge, IdParams, SchedulePreview, ScheduleTimes, StatusSummary } from '@cronbeat/contract';
import { upcoming } from '@cronbeat/core';
import { badgeCheckById, checkBadgeName, getProject, statusSummary, tagsInUse } from '@cronbeat/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { accessOf } from '../../auth/access';
import { FieldError, NotFound } from '../../errors';
import { requestedSchedule } from './checks/edit';

export async function statusRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/status',
    { schema: { tags: ['status'], summary: 'How many checks are in each status', response: { 200: StatusSummary, ...authErrors } } },
    async (request) => statusSummary(app.db, accessOf(request).projectId),
  );

  app.get(
    '/badges',
    {
      schema: {
        tags: ['status'],
        summary: 'Status badge URLs: one for every check of the project, one per tag in use',
        response: { 200: BadgeList, ...authErrors },
      },
    },
    async (request) => {
      const { projectId } = accessOf(request);
      const [project, tags] = await Promise.all([getProject(app.db, projectId), tagsInUse(app.db, projectId)]);
      if (!project) throw new NotFound('Project');
      const base = `${app.accounts.baseUrl}/badge/${project.badgeKey}`;
      const urls = (path: string) => ({ svg: `${path}.svg`, json: `${path}.json`, shields: `${path}.shields` });
      return {
        badges: [
          { tag: null, label: project.name, ...urls(base) },
          ...tags.map((tag) => ({ tag, label: tag, ...urls(`${base}/${encodeURIComponent(tag)}`) })),
        ],
      };
    },
  );

  app.get(
    '/checks/:id/badge',
    {
      schema: {
        tags: ['status'],
        summary: "One check's status badge URLs: by its slug, or by its id when it has none",
        params: IdParams,
        response: { 200: CheckBadge, ...authErrors },
      },
    },
    async (request) => {
      const { projectId } = accessOf(request);
      const [project, check] = await Promise.all([getProject(app.db, projectId), badgeCheckById(app.db, projectId, request.params.id)]);
      if (!project || !check) throw new NotFound('Check');
      const path = `${app.accounts.baseUrl}/badge/${project.badgeKey}/check/${encodeURIComponent(checkBadgeName(check))}`;
      return { checkId: check.id, label: check.name, svg: `${path}.svg`, json: `${path}.json`, shields: `${path}.shields` };
    },
  );

  app.post(
    '/schedule/preview',
    {
      schema: {
        tags: ['status'],
        summary: 'The next times a schedule expects a ping, to show what it means before saving it',
        body: SchedulePreview,
        response: { 200: ScheduleTimes, ...authErrors },
      },
    },
    async (request) => {
      const { after, count = 5, ...given } = request.body;
      const schedule = requestedSchedule(given, null);
      if (!schedule) throw new FieldError('period', 'give one of period, cron (with tz) and onCalendar (with tz)');
      return { times: upcoming(schedule, after ? new Date(after) : new Date(), count).map((time) => time.toISOString()) };
    },
  );
}
