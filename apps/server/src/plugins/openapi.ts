import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { allowInlineStyles } from './security-headers';

/**
 * The OpenAPI document, generated from the route schemas registered after
 * this plugin, and a human page for it at /docs.
 */
export const openapiPlugin = fp(async (app: FastifyInstance, options: { baseUrl: string }) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cronbeat API',
        version: '1',
        description:
          'Send an API key as `Authorization: Bearer <key>` or `X-Api-Key: <key>`; a key acts on its own project. With a session cookie, say which project with `X-Project-Id` (needed when you belong to several), and send writes from the same origin. Errors are `{ "error": { "code", "message", "fields"? } }`. Times are ISO-8601 UTC.',
      },
      servers: [{ url: options.baseUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
          session: { type: 'apiKey', in: 'cookie', name: 'cb_session' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', transformStaticCSP: allowInlineStyles });
});
