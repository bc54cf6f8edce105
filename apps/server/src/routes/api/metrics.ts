import { authErrors, STATUSES } from '@cronbeat/contract';
import { statusSummary } from '@cronbeat/db';
import type { FastifyInstance } from 'fastify';
import { accessOf } from '../../auth/access';

/**
 * `GET /api/v1/metrics`: the project's checks by status in Prometheus text,
 * for a scraper holding the project's read-only key. Scoped like every
 * project route: a key sees its own project only.
 */
export async function projectMetricsRoutes(app: FastifyInstance) {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['status'],
        summary: 'The project’s checks by status, in Prometheus text format (scrape with a read-only key)',
        produces: ['text/plain'],
        response: authErrors,
      },
    },
    async (request, reply) => {
      const summary = await statusSummary(app.db, accessOf(request).projectId);
      const lines = [
        '# HELP cronbeat_project_checks Checks in this project, by status.',
        '# TYPE cronbeat_project_checks gauge',
        ...STATUSES.map((status) => `cronbeat_project_checks{status="${status}"} ${summary.byStatus[status]}`),
        '# HELP cronbeat_project_checks_running Checks with a run in progress (a start ping without its end).',
        '# TYPE cronbeat_project_checks_running gauge',
        `cronbeat_project_checks_running ${summary.running}`,
      ];
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(`${lines.join('\n')}\n`);
    },
  );
}
