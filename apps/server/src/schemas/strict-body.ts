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
 * be, nested ones (a channel's config) included.
 */
export async function refuseNulCharacters(request: FastifyRequest): Promise<void> {
  for (const [part, prefix] of PARTS) {
    const field = fieldWhere(request[part], prefix, (leaf) => typeof leaf === 'string' && leaf.includes('\0'));
    if (field !== null) throw new FieldError(field || 'body', 'must not contain NUL characters (\\u0000)');
  }
}

/**
 * preHandler hook: refuses a query or path number that is not finite.
 * Ajv (8.20) coerces the text `Infinity` or `1e400` to Infinity for an
 * integer field and then skips `minimum` and `maximum`, which it checks
 * only for finite numbers, so `?limit=Infinity` reached the database. After
 * validation a number in the query or path is one the schema asked for, so
 * any that is not finite is refused here, naming the field. (JSON bodies
 * are not affected: Ajv refuses a non-finite number there as not an
 * integer.) Upstream: fastify/fastify#6718 and ajv-validator/ajv#2212,
 * with fixes open as ajv pull requests #2626 and #2661; this hook can go
 * once an Ajv release with one of them is what Fastify uses.
 */
export async function refuseNonFiniteNumbers(request: FastifyRequest): Promise<void> {
  for (const [part, prefix] of PARTS.slice(1)) {
    const field = fieldWhere(request[part], prefix, (leaf) => typeof leaf === 'number' && !Number.isFinite(leaf));
    if (field !== null) throw new FieldError(field, 'must be a finite number');
  }
}

/**
 * The path of the first value (or object key) for which `isBad` holds, or
 * null. Iterative, so a deeply nested body cannot overflow the stack.
 */
export function fieldWhere(value: unknown, prefix: string, isBad: (leaf: unknown) => boolean): string | null {
  const pending: [unknown, string][] = [[value, prefix]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, path] = next;
    if (isBad(item)) return path;
    if (typeof item === 'object' && item !== null && !Buffer.isBuffer(item)) {
      for (const [key, child] of Object.entries(item)) {
        if (isBad(key)) return path;
        pending.push([child, path ? `${path}.${key}` : key]);
      }
    }
  }
  return null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route judges its own input (pings: parsePingAddress); its schema only documents it. */
    ownParser?: boolean;
  }
}

/**
 * onRoute hook: gives every route whose schema takes a body, query or
 * path parameters the checks above, so a new route is covered by
 * declaring its schema. Routes without one, or whose schema only documents
 * them (`config.ownParser`: pings, judged by their own parser) skip them.
 */
export function checkInputOfSchemaRoutes(route: RouteOptions): void {
  const schema = route.schema;
  if (!schema?.body && !schema?.querystring && !schema?.params) return;
  if (route.config?.ownParser) return;
  const listed = <T>(hooks: T | T[] | undefined): T[] => (hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks]);
  route.preValidation = [refuseNulCharacters, ...listed(route.preValidation)];
  route.preHandler = [refuseNonFiniteNumbers, ...listed(route.preHandler)];
}
