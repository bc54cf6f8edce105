import type { Config } from '@cronbeat/config';
import { authErrors, HealthchecksImportRequest, HealthchecksImportResult, ProjectParams } from '@cronbeat/contract';
import { createNetworkGuard } from '@cronbeat/notify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { accessOf } from '../../../auth/access';
import { importHealthchecksProject } from './plan';
import { readHealthchecksProject } from './read-healthchecks';

/**
 * `POST /api/v1/projects/{id}/import/healthchecks` (or `/api/v1/import/healthchecks`
 * for an API key's project): reads a Healthchecks project through
 * its API v3 (outbound through the network guard, as every request Cronbeat
 * makes) and makes its checks in the caller's project with the same uuids
 * and slugs. Registered among the /api/v1 routes.
 */
export async function healthchecksImportRoutes(fastify: FastifyInstance, options: { config: Pick<Config, 'privateTargetsAllowed'> }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const guard = createNetworkGuard({ allowed: options.config.privateTargetsAllowed });
  app.addHook('onClose', async () => guard.close());

  const schema = {
    tags: ['Healthchecks API v3'],
    summary: 'Import a Healthchecks project: its checks with the same uuids and slugs (dryRun: only the plan)',
    body: HealthchecksImportRequest,
    response: { 200: HealthchecksImportResult, ...authErrors, 409: authErrors[400] },
  };
  // The project in the path (the dashboard's way), or an API key's own project (the CLI's way, as /checks is).
  for (const url of ['/projects/:projectId/import/healthchecks', '/import/healthchecks']) {
    app.post(
      url,
      { config: { permission: 'write' }, schema: url.startsWith('/projects') ? { ...schema, params: ProjectParams } : schema },
      async (request) => {
        const { from, apiKey, pingKey, dryRun = false } = request.body;
        const project = await readHealthchecksProject(guard, from, apiKey);
        return importHealthchecksProject(app.db, accessOf(request).projectId, { ...project, pingKey, dryRun });
      },
    );
  }
}
