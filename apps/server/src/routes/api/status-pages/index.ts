import {
  authErrors,
  ErrorResponse,
  ProjectParams,
  StatusPage,
  StatusPageCreate,
  StatusPageList,
  StatusPageParams,
  StatusPagePatch,
} from '@cronbeat/contract';
import {
  createStatusPage,
  deleteStatusPage,
  foreignCheckIds,
  getStatusPage,
  isUniqueViolation,
  listStatusPages,
  type StatusPageFields,
  type StatusPageRow,
  updateStatusPage,
} from '@cronbeat/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { accessOf } from '../../../auth/access';
import { Conflict, FieldError, NotFound } from '../../../errors';
import { iso } from '../../../schemas/common';

const tags = ['Status pages'];
/** Pages are public: only owners and admins publish them; read-only members may look at the settings. */
const manage = { permission: 'admin' } as const;

function view(row: StatusPageRow | null): StatusPage {
  if (!row) throw new NotFound('Status page');
  return {
    id: row.id,
    slug: row.slug,
    url: `/status/${row.slug}`,
    title: row.title,
    description: row.description,
    checks: row.checkIds,
    tags: row.tags,
    publicNames: Object.entries(row.publicNames).map(([check, name]) => ({ check, name })),
    createdAt: iso(row.createdAt),
  };
}

/** The body's fields as columns, after checking that the checks it names are the project's. */
async function fieldsOf(
  app: FastifyInstance,
  projectId: string,
  body: StatusPageCreate | StatusPagePatch,
): Promise<Partial<StatusPageFields>> {
  const named = body.publicNames?.map((entry) => entry.check) ?? [];
  const [foreign] = await foreignCheckIds(app.db, projectId, body.checks ?? []);
  if (foreign !== undefined) throw new FieldError('checks', `${foreign} is not a check of this project`);
  const [foreignNamed] = await foreignCheckIds(app.db, projectId, named);
  if (foreignNamed !== undefined) throw new FieldError('publicNames', `${foreignNamed} is not a check of this project`);
  if (new Set(named).size !== named.length) throw new FieldError('publicNames', 'names each check at most once');
  const fields: Partial<StatusPageFields> = {};
  if (body.slug !== undefined) fields.slug = body.slug;
  if (body.title !== undefined) fields.title = body.title.trim();
  if (body.description !== undefined) fields.description = body.description;
  if (body.checks !== undefined) fields.checkIds = body.checks;
  if (body.tags !== undefined) fields.tags = body.tags;
  if (body.publicNames !== undefined) {
    fields.publicNames = Object.fromEntries(body.publicNames.map((entry) => [entry.check, entry.name.trim()]));
  }
  return fields;
}

/** Runs a write whose slug may be taken by any project's page: 409 naming the field. */
async function unlessTaken<Result>(slug: string | undefined, write: () => Promise<Result>): Promise<Result> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(`slug: "${slug}" is already taken`);
    throw error;
  }
}

/** /projects/:projectId/status-pages: the project's public status pages (see routes/status-pages.ts for the pages). */
export async function statusPageApiRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/projects/:projectId/status-pages',
    { schema: { tags, summary: "The project's status pages", params: ProjectParams, response: { 200: StatusPageList, ...authErrors } } },
    async (request) => ({ statusPages: (await listStatusPages(app.db, accessOf(request).projectId)).map(view) }),
  );

  app.post(
    '/projects/:projectId/status-pages',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Create a public status page (owner or admin)',
        description: 'Without a slug the page gets a random one. 409 when the slug is taken.',
        params: ProjectParams,
        body: StatusPageCreate,
        response: { 201: StatusPage, ...authErrors, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { projectId } = accessOf(request);
      const fields = await fieldsOf(app, projectId, request.body);
      const row = await unlessTaken(request.body.slug, () =>
        createStatusPage(app.db, projectId, { title: '', description: '', checkIds: [], tags: [], publicNames: {}, ...fields }),
      );
      app.statusPageCache.forget(row.slug);
      return reply.status(201).send(view(row));
    },
  );

  app.get(
    '/projects/:projectId/status-pages/:id',
    { schema: { tags, summary: 'A status page', params: StatusPageParams, response: { 200: StatusPage, ...authErrors } } },
    async (request) => view(await getStatusPage(app.db, accessOf(request).projectId, request.params.id)),
  );

  app.patch(
    '/projects/:projectId/status-pages/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change a status page (owner or admin); a new slug ends the old address',
        params: StatusPageParams,
        body: StatusPagePatch,
        response: { 200: StatusPage, ...authErrors, 409: ErrorResponse },
      },
    },
    async (request) => {
      const { projectId } = accessOf(request);
      const current = await getStatusPage(app.db, projectId, request.params.id);
      if (!current) throw new NotFound('Status page');
      const fields = await fieldsOf(app, projectId, request.body);
      const row = await unlessTaken(request.body.slug, () => updateStatusPage(app.db, projectId, current.id, fields));
      app.statusPageCache.forget(current.slug);
      if (row) app.statusPageCache.forget(row.slug);
      return view(row);
    },
  );

  app.delete(
    '/projects/:projectId/status-pages/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Delete a status page (owner or admin); its address answers 404 from then on',
        params: StatusPageParams,
        response: { 204: Type.Null(), ...authErrors },
      },
    },
    async (request, reply) => {
      const { projectId } = accessOf(request);
      const current = await getStatusPage(app.db, projectId, request.params.id);
      if (!current || !(await deleteStatusPage(app.db, projectId, current.id))) throw new NotFound('Status page');
      app.statusPageCache.forget(current.slug);
      return reply.status(204).send(null);
    },
  );
}
