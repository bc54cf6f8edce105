import { parseSchedule, upcoming } from '@cronbeat/core';
import { statusSummary } from '@cronbeat/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { accessOf } from '../../auth/access';
import { FieldError } from '../../errors';
import { SchedulePreview, ScheduleTimes, StatusSummary } from '../../schemas/checks';
import { authErrors } from '../../schemas/common';

export async function statusRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/status',
    { schema: { tags: ['status'], summary: 'How many checks are in each status', response: { 200: StatusSummary, ...authErrors } } },
    async (request) => statusSummary(app.db, accessOf(request).projectId),
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
      const { period, cron, tz, after, count = 5 } = request.body;
      if ((period === undefined) === (cron === undefined)) throw new FieldError('period', 'give either period or cron (with tz)');
      const schedule = parseSchedule(cron !== undefined ? { cron, tz } : { period: period! });
      return { times: upcoming(schedule, after ? new Date(after) : new Date(), count).map((time) => time.toISOString()) };
    },
  );
}
