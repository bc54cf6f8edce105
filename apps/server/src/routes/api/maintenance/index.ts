import {
  authErrors,
  CheckMaintenance,
  ErrorResponse,
  IdParams,
  MaintenanceWindow,
  MaintenanceWindowCreate,
  MaintenanceWindowList,
  MaintenanceWindowPatch,
} from '@cronbeat/contract';
import { maintenanceAt, nextMaintenance, nextOccurrence, type Occurrence, occurrenceAt } from '@cronbeat/core';
import {
  createMaintenanceWindow,
  deleteMaintenanceWindow,
  endMaintenanceWindow,
  getCheck,
  getMaintenanceWindow,
  listMaintenanceWindows,
  type MaintenanceWindowRow,
  updateMaintenanceWindow,
  windowOfRow,
} from '@cronbeat/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { accessOf } from '../../../auth/access';
import { Conflict, NotFound } from '../../../errors';
import { iso, isoOrNull } from '../../../schemas/common';
import { TIME_FIELDS, windowSpecOf } from './input';

const tags = ['maintenance'];
const write = { permission: 'write' } as const;

const span = (occurrence: Occurrence | null) => occurrence && { start: iso(occurrence.start), end: iso(occurrence.end) };
const shownOccurrence = (occurrence: Occurrence | null) =>
  occurrence && { windowId: occurrence.windowId, name: occurrence.name, start: iso(occurrence.start), end: iso(occurrence.end) };

/** A stored window as the API shows it, with its occurrence in force at `now` and the next one. */
function view(row: MaintenanceWindowRow | null, now: Date): MaintenanceWindow {
  if (!row) throw new NotFound('Maintenance window');
  const window = windowOfRow(row);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    ...(window.kind === 'once'
      ? { startsAt: iso(window.startsAt), endsAt: iso(window.endsAt) }
      : { cron: window.cron, tz: window.tz, duration: window.duration }),
    covers: row.coverage,
    tags: row.tags,
    checks: row.checkIds,
    endedAt: isoOrNull(row.endedAt),
    createdAt: iso(row.createdAt),
    current: span(occurrenceAt(window, now)),
    next: span(nextOccurrence(window, now)),
  };
}

/**
 * Maintenance windows of the project: planned downtime during which
 * covered checks alert nobody. Whether a check is inside one is core's
 * decision (`maintenanceAt`); these routes store windows and show it.
 */
export async function maintenanceRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/maintenance-windows',
    { schema: { tags, summary: "The project's maintenance windows", response: { 200: MaintenanceWindowList, ...authErrors } } },
    async (request) => {
      const now = new Date();
      return { maintenanceWindows: (await listMaintenanceWindows(app.db, accessOf(request).projectId)).map((row) => view(row, now)) };
    },
  );

  app.post(
    '/maintenance-windows',
    {
      config: write,
      schema: {
        tags,
        summary: 'Create a maintenance window, one-off or recurring',
        body: MaintenanceWindowCreate,
        response: { 201: MaintenanceWindow, ...authErrors },
      },
    },
    async (request, reply) => {
      const { projectId } = accessOf(request);
      const spec = await windowSpecOf(app.db, projectId, request.body, null);
      return reply.status(201).send(view(await createMaintenanceWindow(app.db, projectId, spec), new Date()));
    },
  );

  app.get(
    '/maintenance-windows/:id',
    { schema: { tags, summary: 'A maintenance window', params: IdParams, response: { 200: MaintenanceWindow, ...authErrors } } },
    async (request) => view(await getMaintenanceWindow(app.db, accessOf(request).projectId, request.params.id), new Date()),
  );

  app.patch(
    '/maintenance-windows/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Change a maintenance window (changing when it is open undoes an early end)',
        params: IdParams,
        body: MaintenanceWindowPatch,
        response: { 200: MaintenanceWindow, ...authErrors },
      },
    },
    async (request) => {
      const { projectId } = accessOf(request);
      const current = await getMaintenanceWindow(app.db, projectId, request.params.id);
      if (!current) throw new NotFound('Maintenance window');
      const spec = await windowSpecOf(app.db, projectId, request.body, current);
      const replanned = TIME_FIELDS.some((field) => request.body[field] !== undefined);
      return view(await updateMaintenanceWindow(app.db, projectId, current.id, spec, replanned ? null : undefined), new Date());
    },
  );

  app.delete(
    '/maintenance-windows/:id',
    {
      config: write,
      schema: { tags, summary: 'Delete a maintenance window', params: IdParams, response: { 204: Type.Null(), ...authErrors } },
    },
    async (request, reply) => {
      if (!(await deleteMaintenanceWindow(app.db, accessOf(request).projectId, request.params.id)))
        throw new NotFound('Maintenance window');
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/maintenance-windows/:id/end',
    {
      config: write,
      schema: {
        tags,
        summary: 'End a maintenance window now: a one-off window for good, a recurring one until its next occurrence',
        description: '409 when no occurrence of the window is in force.',
        params: IdParams,
        response: { 200: MaintenanceWindow, ...authErrors, 409: ErrorResponse },
      },
    },
    async (request) => {
      const { projectId } = accessOf(request);
      const current = await getMaintenanceWindow(app.db, projectId, request.params.id);
      if (!current) throw new NotFound('Maintenance window');
      const now = new Date();
      if (!occurrenceAt(windowOfRow(current), now)) throw new Conflict('the maintenance window is not in force now');
      return view(await endMaintenanceWindow(app.db, projectId, current.id, now), now);
    },
  );

  app.get(
    '/checks/:id/maintenance',
    {
      schema: {
        tags,
        summary: 'The maintenance window a check is in now (the one ending last) and the next one to start',
        params: IdParams,
        response: { 200: CheckMaintenance, ...authErrors },
      },
    },
    async (request) => {
      const { projectId } = accessOf(request);
      const check = await getCheck(app.db, projectId, request.params.id);
      if (!check) throw new NotFound('Check');
      const windows = (await listMaintenanceWindows(app.db, projectId)).map(windowOfRow);
      const now = new Date();
      return { now: shownOccurrence(maintenanceAt(windows, check, now)), next: shownOccurrence(nextMaintenance(windows, check, now)) };
    },
  );
}
