import { authErrors, Check, CheckCreate, CheckList, CheckPatch, CheckQuery, IdParams } from '@cronbeat/contract';
import { type MaintenanceWindow, pause, resume } from '@cronbeat/core';
import {
  type CheckRow,
  channelIdsOf,
  deleteCheck,
  getCheck,
  listChecks,
  pageChecks,
  parentsOf,
  rotatePingCode,
  transitionCheck,
  windowsOfProjects,
} from '@cronbeat/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { accessOf } from '../../../auth/access';
import { NotFound } from '../../../errors';
import { decodeCursor, encodeCursor } from './cursor';
import { editCheck, upsertCheck } from './edit';
import { policySchemaErrors } from './policy';
import { checkView } from './view';

const tags = ['checks'];
/** Checks per page when a client pages with `after` alone. */
const DEFAULT_PAGE = 100;

/** `emailPingDomain`: EMAIL_PINGS_DOMAIN, for the check's `pingEmail`; null when the server takes no email pings. */
export async function checkRoutes(fastify: FastifyInstance, options: { emailPingDomain: string | null }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  /**
   * Shapes rows for the caller, fetching channel ids only for those who may
   * see them; the project's windows are read once for all the rows.
   */
  async function views(request: FastifyRequest, rows: CheckRow[]) {
    const access = accessOf(request);
    const ids = rows.map((row) => row.id);
    const [channels, dependsOn, windows] = await Promise.all([
      access.seesSecrets ? channelIdsOf(app.db, ids) : new Map<string, string[]>(),
      parentsOf(app.db, ids),
      rows.length > 0 ? windowsOfProjects(app.db, [access.projectId]) : new Map<string, MaintenanceWindow[]>(),
    ]);
    const context = {
      pingBaseUrl: app.accounts.pingBaseUrl,
      emailPingDomain: options.emailPingDomain,
      access,
      channels,
      dependsOn,
      windows: windows.get(access.projectId) ?? [],
      now: new Date(),
    };
    return rows.map((row) => checkView(row, context));
  }
  async function view(request: FastifyRequest, row: CheckRow | null) {
    if (!row) throw new NotFound('Check');
    const [shown] = await views(request, [row]);
    return shown!;
  }

  app.get(
    '/checks',
    {
      schema: {
        tags,
        summary: 'List checks, oldest first, all at once or in pages (limit, after)',
        querystring: CheckQuery,
        response: { 200: CheckList, ...authErrors },
      },
    },
    async (request) => {
      const { tag, limit, after, ...rest } = request.query;
      const filters = { ...rest, tags: tag };
      const { projectId } = accessOf(request);
      if (limit === undefined && after === undefined) {
        return { checks: await views(request, await listChecks(app.db, projectId, filters)), nextCursor: null };
      }
      const page = await pageChecks(app.db, projectId, filters, {
        limit: limit ?? DEFAULT_PAGE,
        after: after === undefined ? undefined : decodeCursor(after),
      });
      return { checks: await views(request, page.rows), nextCursor: page.next && encodeCursor(page.next) };
    },
  );

  app.post(
    '/checks',
    {
      config: { permission: 'write' },
      schemaErrorFormatter: policySchemaErrors,
      schema: {
        tags,
        summary: 'Create a check, or upsert with "unique"',
        body: CheckCreate,
        response: { 200: Check, 201: Check, ...authErrors, 409: authErrors[400] },
      },
    },
    async (request, reply) => {
      const { check, created } = await upsertCheck(app.db, accessOf(request).projectId, request.body);
      return reply.status(created ? 201 : 200).send(await view(request, check));
    },
  );

  app.get(
    '/checks/:id',
    { schema: { tags, summary: 'Get a check', params: IdParams, response: { 200: Check, ...authErrors } } },
    async (request) => view(request, await getCheck(app.db, accessOf(request).projectId, request.params.id)),
  );

  app.patch(
    '/checks/:id',
    {
      config: { permission: 'write' },
      schemaErrorFormatter: policySchemaErrors,
      schema: {
        tags,
        summary: 'Edit a check',
        params: IdParams,
        body: CheckPatch,
        response: { 200: Check, ...authErrors, 409: authErrors[400] },
      },
    },
    async (request) => view(request, await editCheck(app.db, accessOf(request).projectId, request.params.id, request.body)),
  );

  app.delete(
    '/checks/:id',
    {
      config: { permission: 'write' },
      schema: { tags, summary: 'Delete a check and its history', params: IdParams, response: { 204: Type.Null(), ...authErrors } },
    },
    async (request, reply) => {
      if (!(await deleteCheck(app.db, accessOf(request).projectId, request.params.id))) throw new NotFound('Check');
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/checks/:id/ping-code/rotate',
    {
      // Whoever may see the ping URL may replace it (it may have leaked); read-only callers see neither.
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Give the check a new ping code: its old ping URL stops working at once',
        params: IdParams,
        response: { 200: Check, ...authErrors },
      },
    },
    async (request) => view(request, await rotatePingCode(app.db, accessOf(request).projectId, request.params.id)),
  );

  app.post(
    '/checks/:id/pause',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Pause a check: no alerts until it is resumed or pings',
        params: IdParams,
        response: { 200: Check, ...authErrors },
      },
    },
    async (request) => view(request, await transitionCheck(app.db, accessOf(request).projectId, request.params.id, pause, new Date())),
  );

  app.post(
    '/checks/:id/resume',
    {
      config: { permission: 'write' },
      schema: { tags, summary: 'Resume a paused check as new', params: IdParams, response: { 200: Check, ...authErrors } },
    },
    async (request) => view(request, await transitionCheck(app.db, accessOf(request).projectId, request.params.id, resume, new Date())),
  );
}
