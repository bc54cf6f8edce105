import { isUuid, V3Check, V3CheckList, V3CheckParams, V3CheckQuery, V3CheckSpec, v3Errors } from '@cronbeat/contract';
import { pause, resume } from '@cronbeat/core';
import { type CheckRow, channelIdsOf, type Db, deleteCheck, getCheck, listChecks, transitionCheck } from '@cronbeat/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { addCheck, editCheck } from '../api/checks/edit';
import { callerOf } from './auth';
import { checkNotFound, HealthchecksError } from './errors';
import { channelsOf, patchOf, uniqueMatch } from './spec';
import { uniqueKeyOf, v3CheckView } from './view';

const tags = ['Healthchecks API v3'];
const security = [{ apiKey: [] }];
const UNIQUE_KEY = /^[0-9a-f]{40}$/;

/**
 * The check a v3 URL names in the caller's project: by uuid (the check's
 * id), or where Healthchecks allows it by a read-only key's `unique_key`.
 * Another project's check is "not found", never "forbidden".
 */
export async function checkOfCode(db: Db, projectId: string, code: string, byUniqueKey = false): Promise<CheckRow> {
  let row: CheckRow | null = null;
  if (isUuid(code)) row = await getCheck(db, projectId, code.toLowerCase());
  else if (byUniqueKey && UNIQUE_KEY.test(code))
    row = (await listChecks(db, projectId)).find((check) => uniqueKeyOf(check.id) === code) ?? null;
  if (!row) throw checkNotFound();
  return row;
}

export async function v3CheckRoutes(fastify: FastifyInstance, options: { pingBaseUrl: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  async function views(request: FastifyRequest, rows: CheckRow[]) {
    const caller = callerOf(request);
    const channels = caller.readOnly
      ? new Map<string, string[]>()
      : await channelIdsOf(
          app.db,
          rows.map((row) => row.id),
        );
    return rows.map((row) => v3CheckView(row, { baseUrl: app.accounts.baseUrl, pingBaseUrl: options.pingBaseUrl, caller, channels }));
  }
  const view = async (request: FastifyRequest, row: CheckRow) => (await views(request, [row]))[0]!;

  /** A create or update: /api/v1's own add or edit. */
  async function write(request: FastifyRequest, spec: V3CheckSpec, current: CheckRow | null): Promise<CheckRow> {
    const { projectId } = callerOf(request);
    const patch = patchOf(spec, current);
    const channels = await channelsOf(app.db, projectId, spec.channels);
    // A check Healthchecks' API creates without `channels` has none: clients that want alerts say so.
    return current
      ? editCheck(app.db, projectId, current.id, { ...patch, ...(channels !== undefined && { channels }) })
      : addCheck(app.db, projectId, { ...patch, channels: channels ?? [] });
  }

  app.get(
    '/checks',
    {
      config: { v3Access: 'read' },
      schema: {
        tags,
        security,
        summary: 'List checks (?tag= repeated: every tag; ?slug=)',
        querystring: V3CheckQuery,
        response: { 200: V3CheckList, ...v3Errors },
      },
    },
    async (request) => {
      const tag = request.query.tag;
      const filters = {
        tags: [...new Set(tag === undefined ? [] : [tag].flat())],
        ...(request.query.slug && { slug: request.query.slug }),
      };
      return { checks: await views(request, await listChecks(app.db, callerOf(request).projectId, filters)) };
    },
  );

  app.post(
    '/checks',
    {
      schema: {
        tags,
        security,
        summary: 'Create a check (201), or with unique update the matching one (200)',
        body: V3CheckSpec,
        response: { 200: V3Check, 201: V3Check, ...v3Errors, 409: v3Errors[400] },
      },
    },
    async (request, reply) => {
      const match = await uniqueMatch(app.db, callerOf(request).projectId, request.body);
      const row = await write(request, request.body, match);
      return reply.status(match ? 200 : 201).send(await view(request, row));
    },
  );

  app.get(
    '/checks/:code',
    {
      config: { v3Access: 'read' },
      schema: {
        tags,
        security,
        summary: 'Get a check by uuid or unique_key',
        params: V3CheckParams,
        response: { 200: V3Check, ...v3Errors },
      },
    },
    async (request) => view(request, await checkOfCode(app.db, callerOf(request).projectId, request.params.code, true)),
  );

  app.post(
    '/checks/:code',
    {
      schema: {
        tags,
        security,
        summary: 'Update a check: only the fields given change',
        params: V3CheckParams,
        body: V3CheckSpec,
        response: { 200: V3Check, ...v3Errors, 409: v3Errors[400] },
      },
    },
    async (request) => {
      const current = await checkOfCode(app.db, callerOf(request).projectId, request.params.code);
      return view(request, await write(request, request.body, current));
    },
  );

  app.delete(
    '/checks/:code',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a check; answers it as it was',
        params: V3CheckParams,
        response: { 200: V3Check, ...v3Errors },
      },
    },
    async (request) => {
      const { projectId } = callerOf(request);
      const row = await checkOfCode(app.db, projectId, request.params.code);
      const shown = await view(request, row);
      if (!(await deleteCheck(app.db, projectId, row.id))) throw checkNotFound();
      return shown;
    },
  );

  app.post(
    '/checks/:code/pause',
    {
      schema: {
        tags,
        security,
        summary: 'Pause a check (a paused check answers as it is)',
        params: V3CheckParams,
        response: { 200: V3Check, ...v3Errors },
      },
    },
    async (request) => {
      const { projectId } = callerOf(request);
      const row = await checkOfCode(app.db, projectId, request.params.code);
      return view(request, (await transitionCheck(app.db, projectId, row.id, pause, new Date())) ?? row);
    },
  );

  app.post(
    '/checks/:code/resume',
    {
      schema: {
        tags,
        security,
        summary: 'Resume a paused check as new; 409 when it is not paused',
        params: V3CheckParams,
        response: { 200: V3Check, ...v3Errors, 409: v3Errors[400] },
      },
    },
    async (request) => {
      const { projectId } = callerOf(request);
      const row = await checkOfCode(app.db, projectId, request.params.code);
      if (row.status !== 'paused') throw new HealthchecksError(409, 'check is not paused');
      return view(request, (await transitionCheck(app.db, projectId, row.id, resume, new Date())) ?? row);
    },
  );
}
