import { authErrors, type CheckOverview, CheckOverviewPage, CheckOverviewQuery, OVERVIEW_LIMITS, ProjectParams } from '@cronbeat/contract';
import { maintenanceAt } from '@cronbeat/core';
import { countOverview, type OverviewRow, overviewPage, statusSummary, tagsInUse, windowsOfProjects } from '@cronbeat/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { accessOf } from '../../../auth/access';
import { iso } from '../../../schemas/common';
import { decodeOverviewCursor, encodeOverviewCursor } from './overview-cursor';

const isoOfMillis = (millis: number | null) => (millis === null ? null : new Date(millis).toISOString());

/**
 * The checks list's rows: each check with its history strip, recent
 * durations and channels, sorted and paged on the server, plus the
 * project's counts by status and its tags, so the dashboard draws a screen
 * from one answer and never loads every check.
 */
export async function checkOverviewRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/projects/:projectId/checks/overview',
    {
      schema: {
        tags: ['checks'],
        summary: 'The checks list: a page of checks with their last outcomes, durations and channels, sorted on the server',
        params: ProjectParams,
        querystring: CheckOverviewQuery,
        response: { 200: CheckOverviewPage, ...authErrors },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const { sort = 'created', dir = 'asc', status, tag, q, id, limit = OVERVIEW_LIMITS.pageDefault, after } = request.query;
      const filters = { status, tags: tag, q };
      const page = {
        ...filters,
        ids: id,
        order: sort,
        descending: dir === 'desc',
        // Asked by id, every listed check that matches comes back, on one page.
        limit: id ? OVERVIEW_LIMITS.ids : limit,
        after: after === undefined || id ? undefined : decodeOverviewCursor(after, sort, dir),
      };
      const now = new Date();
      const [found, total, summary, tags, windows] = await Promise.all([
        overviewPage(app.db, access.projectId, page),
        countOverview(app.db, access.projectId, filters),
        statusSummary(app.db, access.projectId),
        tagsInUse(app.db, access.projectId),
        windowsOfProjects(app.db, [access.projectId]),
      ]);
      const projectWindows = windows.get(access.projectId) ?? [];
      const view = (row: OverviewRow): CheckOverview => {
        const inMaintenance = maintenanceAt(projectWindows, row, now);
        return {
          id: row.id,
          name: row.name,
          slug: row.slug,
          tags: row.tags,
          status: row.status,
          running: row.running,
          period: row.period,
          cron: row.cron,
          onCalendar: row.onCalendar,
          tz: row.tz,
          lastPing: isoOfMillis(row.lastPing),
          nextPing: isoOfMillis(row.nextDue),
          lastDuration: row.lastDuration,
          durations: row.durations,
          history: row.history.map((cell) => ({
            outcome: cell.outcome as CheckOverview['history'][number]['outcome'],
            at: isoOfMillis(cell.at)!,
          })),
          // Channel names are shown to those who may see the channels, as in the check's own answer.
          ...(access.seesSecrets && { channels: row.channels }),
          maintenance: inMaintenance && { windowId: inMaintenance.windowId, name: inMaintenance.name, until: iso(inMaintenance.end) },
          sortKey: row.sortKey,
        };
      };
      return {
        checks: found.rows.map(view),
        nextCursor: found.next && encodeOverviewCursor(sort, dir, found.next),
        total,
        summary,
        tags,
      };
    },
  );
}
