import type { Config } from '@cronbeat/config';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { authenticateHealthchecksKey } from './auth';
import { v3CheckRoutes } from './checks';
import { answerInHealthchecksShape, HealthchecksError } from './errors';
import { v3HistoryRoutes } from './history';
import { v3ProjectRoutes } from './project';
import { healthchecksValidator } from './validation';

/** Counts requests per key, as /api/v1 does: many jobs share one address. */
const keyOf = (request: FastifyRequest) => (request.healthchecksCaller ? `key:${request.healthchecksCaller.keyId}` : `ip:${request.ip}`);

/**
 * /api/v3: Healthchecks' Management API v3 over Cronbeat's own queries and
 * domain, so Healthchecks' clients (its CLI, Terraform provider, scripts)
 * work by changing the host. Its own words throughout: snake_case fields,
 * `{ "error": "…" }`, API keys in `X-Api-Key` or a POST body's `api_key`.
 */
export async function healthchecksApiRoutes(fastify: FastifyInstance, options: { config: Pick<Config, 'pingBaseUrl'> }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.decorateRequest('healthchecksCaller', null);
  app.setValidatorCompiler(healthchecksValidator);
  app.setErrorHandler(answerInHealthchecksShape);
  app.setNotFoundHandler((_request, reply) => reply.status(404).send({ error: 'not found' }));

  app.get(
    '/status',
    {
      schema: {
        tags: ['Healthchecks API v3'],
        security: [],
        summary: 'Whether the database answers: "OK"',
        response: { 200: Type.String() },
      },
    },
    async (_request, reply) => {
      await app.db.execute(sql`select 1`);
      return reply.type('text/plain').send('OK');
    },
  );

  await app.register(async (api) => {
    api.addHook('preValidation', authenticateHealthchecksKey);
    api.addHook(
      'preValidation',
      api.rateLimit({
        max: api.accounts.limits.apiPerMinute,
        timeWindow: 60_000,
        keyGenerator: keyOf,
        errorResponseBuilder: (_request, context) => new HealthchecksError(429, `too many requests: retry in ${context.after}`),
      }),
    );
    await api.register(v3CheckRoutes, { pingBaseUrl: options.config.pingBaseUrl });
    await api.register(v3HistoryRoutes);
    await api.register(v3ProjectRoutes);
  });
}
