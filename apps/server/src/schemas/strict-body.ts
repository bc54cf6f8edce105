import type { FastifyRequest } from 'fastify';
import { FieldError } from '../errors';

/**
 * preValidation hook: refuses fields a body schema does not know. Fastify's
 * Ajv is set to strip them silently, so `{ "gracee": 60 }` would answer 200
 * and change nothing; a typo deserves a 400 that names it.
 */
export async function refuseUnknownFields(request: FastifyRequest): Promise<void> {
  const schema = request.routeOptions.schema?.body as { additionalProperties?: unknown; properties?: Record<string, unknown> } | undefined;
  const body = request.body;
  if (schema?.additionalProperties !== false || !schema.properties) return;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const unknown = Object.keys(body).find((key) => !(key in schema.properties!));
  if (unknown !== undefined) throw new FieldError(unknown, `is not a known field (known: ${Object.keys(schema.properties).join(', ')})`);
}
