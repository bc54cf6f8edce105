import { ApiKeyCreate, ApiKeyList, ApiKeyParams, authErrors, NewApiKey, ProjectParams } from '@cronbeat/contract';
import { type ApiKey as ApiKeyRow, createApiKey, listApiKeys, revokeApiKey } from '@cronbeat/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { accessOf } from '../../../auth/access';
import { newApiKey } from '../../../auth/secrets';
import { NotFound } from '../../../errors';
import { iso, isoOrNull } from '../../../schemas/common';

const tags = ['api keys'];
const admin = { permission: 'admin', sessionOnly: true } as const;

/** Never includes the key or its hash: the key is shown once, by the create answer alone. */
const keyView = (row: ApiKeyRow) => ({
  id: row.id,
  name: row.name,
  access: row.access,
  prefix: row.prefix,
  createdAt: iso(row.createdAt),
  lastUsedAt: isoOrNull(row.lastUsedAt),
  revokedAt: isoOrNull(row.revokedAt),
});

export async function apiKeyRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/projects/:projectId/api-keys',
    {
      config: admin,
      schema: {
        tags,
        summary: "A project's API keys, without the keys",
        params: ProjectParams,
        response: { 200: ApiKeyList, ...authErrors },
      },
    },
    async (request) => ({ apiKeys: (await listApiKeys(app.db, accessOf(request).projectId)).map(keyView) }),
  );

  app.post(
    '/projects/:projectId/api-keys',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Create an API key; the answer is the only time it is shown',
        params: ProjectParams,
        body: ApiKeyCreate,
        response: { 201: NewApiKey, ...authErrors },
      },
    },
    async (request, reply) => {
      const { key, prefix, keyHash } = newApiKey(request.body.access);
      const row = await createApiKey(app.db, { projectId: accessOf(request).projectId, ...request.body, prefix, keyHash });
      return reply.status(201).send({ ...keyView(row), key });
    },
  );

  app.delete(
    '/projects/:projectId/api-keys/:keyId',
    {
      config: admin,
      schema: { tags, summary: 'Revoke an API key, at once', params: ApiKeyParams, response: { 204: Type.Null(), ...authErrors } },
    },
    async (request, reply) => {
      if (!(await revokeApiKey(app.db, accessOf(request).projectId, request.params.keyId, new Date()))) throw new NotFound('API key');
      return reply.status(204).send(null);
    },
  );
}
