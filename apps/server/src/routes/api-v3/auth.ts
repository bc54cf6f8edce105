import { useApiKey } from '@cronbeat/db';
import type { FastifyRequest } from 'fastify';
import { looksLikeApiKey, sha256 } from '../../auth/secrets';
import { HealthchecksError } from './errors';

/** The project a v3 request acts on, and whether its key is read-only (then it sees `unique_key`, never uuids and URLs). */
export interface HealthchecksCaller {
  projectId: string;
  keyId: string;
  readOnly: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    healthchecksCaller: HealthchecksCaller | null;
  }
  interface FastifyContextConfig {
    /** What a /api/v3 route needs: `read` takes read-only keys too; `write` (the default) only read-write keys, as in Healthchecks. */
    v3Access?: 'read' | 'write';
  }
}

/** The key of a request: `X-Api-Key`, or for a POST `api_key` in its JSON body, as Healthchecks takes them. */
function presentedKey(request: FastifyRequest): string {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  const body = request.body as { api_key?: unknown } | undefined;
  if (request.method === 'POST' && typeof body === 'object' && body !== null && typeof body.api_key === 'string') return body.api_key;
  return '';
}

/**
 * preValidation hook (the body is parsed, so `api_key` may be in it): finds
 * the key's project. Healthchecks' answers: 401 "missing api key", 401
 * "wrong api key", the latter also for a read-only key on a route that
 * needs a read-write one. Sessions play no part in /api/v3.
 */
export async function authenticateHealthchecksKey(request: FastifyRequest): Promise<void> {
  const presented = presentedKey(request);
  if (!presented) throw new HealthchecksError(401, 'missing api key');
  const key = looksLikeApiKey(presented) ? await useApiKey(request.server.db, sha256(presented), new Date()) : null;
  const readOnly = key?.access !== 'read-write';
  if (!key || (readOnly && (request.routeOptions.config.v3Access ?? 'write') === 'write')) {
    throw new HealthchecksError(401, 'wrong api key');
  }
  request.healthchecksCaller = { projectId: key.projectId, keyId: key.id, readOnly };
}

export function callerOf(request: FastifyRequest): HealthchecksCaller {
  if (!request.healthchecksCaller) throw new Error('route has no caller: is authenticateHealthchecksKey its hook?');
  return request.healthchecksCaller;
}
