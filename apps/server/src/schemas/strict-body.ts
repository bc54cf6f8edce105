import type { FastifyRequest, RouteOptions } from 'fastify';
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

/** Where each part of a request is named in a 400, as the schema error handler names them. */
const PARTS = [
  ['body', ''],
  ['query', 'query'],
  ['params', 'params'],
] as const;

/**
 * preValidation hook: refuses a NUL character (`\u0000`) anywhere in the
 * body, query or path parameters, naming the field (`tags.0`, `query.q`,
 * `params.file`). Postgres text and jsonb cannot hold NUL, so without this
 * it reached the database and came back a 500. Walking the parsed request
 * rather than listing fields covers every string field there is and will
 * be, nested ones (a channel's config) included. Iterative, so a deeply
 * nested body cannot overflow the stack.
 */
export async function refuseNulCharacters(request: FastifyRequest): Promise<void> {
  for (const [part, prefix] of PARTS) {
    const field = nulField(request[part], prefix);
    if (field !== null) throw new FieldError(field || 'body', 'must not contain NUL characters (\\u0000)');
  }
}

/** The path of the first string (or object key) holding NUL, or null when there is none. */
export function nulField(value: unknown, prefix = ''): string | null {
  const pending: [unknown, string][] = [[value, prefix]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, path] = next;
    if (typeof item === 'string') {
      if (item.includes('\0')) return path;
    } else if (typeof item === 'object' && item !== null && !Buffer.isBuffer(item)) {
      for (const [key, child] of Object.entries(item)) {
        if (key.includes('\0')) return path;
        pending.push([child, path ? `${path}.${key}` : key]);
      }
    }
  }
  return null;
}

/**
 * onRoute hook: gives every route whose schema takes a body, query or
 * path parameters the NUL check, so a new route is covered by declaring
 * its schema. Routes without one (pings, with their own parser) skip it.
 */
export function refuseNulOnSchemaRoutes(route: RouteOptions): void {
  const schema = route.schema;
  if (!schema?.body && !schema?.querystring && !schema?.params) return;
  const hooks = route.preValidation;
  route.preValidation = [refuseNulCharacters, ...(hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks])];
}
