import { isUuid } from '@cronbeat/contract';
import { projectsOfUser, roleIn, sessionUser, useApiKey } from '@cronbeat/db';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BadRequest, CrossOrigin, Forbidden, NotFound, Unauthorized } from '../errors';
import { SESSION_COOKIE } from '../plugins/auth';
import { keyLevel, type Level, levelOf, type Principal, ROLE_LEVEL } from './access';
import { looksLikeApiKey, sha256 } from './secrets';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The API key of a request: `Authorization: Bearer <key>` or `X-Api-Key: <key>`. */
function presentedKey(request: FastifyRequest): string | null {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header) return header.trim();
  const authorization = request.headers.authorization;
  const match = authorization && /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match ? (match[1] ?? null) : null;
}

/**
 * Refuses a cross-site request riding on the session cookie. SameSite=Lax
 * already keeps the cookie off cross-site POSTs in current browsers; the
 * Origin check covers older ones and same-site subdomains.
 */
export function assertSameOrigin(request: FastifyRequest, origin: string, required: boolean): void {
  const sent = request.headers.origin;
  if (sent === undefined ? required : sent !== origin) throw new CrossOrigin(origin);
}

/** Who sent the request, or null. A key, when presented, wins over a cookie. Throws 401 on a bad key. */
export async function identify(request: FastifyRequest): Promise<Principal | null> {
  const { db } = request.server;
  const now = new Date();
  const presented = presentedKey(request);
  if (presented !== null) {
    const key = looksLikeApiKey(presented) ? await useApiKey(db, sha256(presented), now) : null;
    if (!key) throw new Unauthorized('invalid or revoked API key');
    return { kind: 'key', key };
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return null;
  const tokenHash = sha256(token);
  const user = await sessionUser(db, tokenHash, now);
  return user ? { kind: 'session', user, tokenHash } : null;
}

/** onRequest hook: every /api/v1 route needs a caller; cookie writes must be same-origin. */
export async function authenticate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const principal = await identify(request);
  if (!principal) throw new Unauthorized('sign in, or send an API key as "Authorization: Bearer <key>" or "X-Api-Key: <key>"');
  if (principal.kind === 'session' && !SAFE_METHODS.has(request.method)) {
    assertSameOrigin(request, request.server.accounts.origin, true);
  }
  request.principal = principal;
}

/**
 * onRequest hook after `authenticate`: resolves the project the request is
 * about and refuses callers without the route's permission. A project the
 * caller cannot see is "not found", never "forbidden", so existence never leaks.
 */
export async function authorize(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const principal = request.principal;
  if (!principal) throw new Unauthorized('not signed in');
  const { permission = 'read', sessionOnly = false } = request.routeOptions.config;
  if (sessionOnly && principal.kind === 'key') throw new Forbidden('API keys cannot do this; sign in to the dashboard');
  if (permission === 'user') {
    if (principal.kind !== 'session') throw new Forbidden('API keys cannot do this; sign in to the dashboard');
    return;
  }
  const projectId = await projectOf(request, principal);
  let level: Level;
  if (principal.kind === 'key') {
    if (principal.key.projectId !== projectId) throw new NotFound('Project');
    level = keyLevel(principal.key);
  } else {
    const role = await roleIn(request.server.db, projectId, principal.user.id);
    if (!role) throw new NotFound('Project');
    level = ROLE_LEVEL[role];
  }
  if (level < levelOf(permission)) {
    throw new Forbidden(
      principal.kind === 'key'
        ? 'this API key is read-only or lacks the power for this'
        : `this needs the ${roleFor(permission)} role or higher`,
    );
  }
  request.access = { projectId, level, seesSecrets: level >= levelOf('write') };
}

const roleFor = (permission: 'read' | 'write' | 'admin' | 'owner') =>
  ({ read: 'readonly', write: 'member', admin: 'admin', owner: 'owner' })[permission];

/**
 * The project of a request: the `:projectId` in the path, else the key's
 * project, else the `X-Project-Id` header, else a person's only project.
 */
async function projectOf(request: FastifyRequest, principal: Principal): Promise<string> {
  const fromPath = (request.params as { projectId?: string } | undefined)?.projectId;
  if (fromPath !== undefined) {
    if (!isUuid(fromPath)) throw new NotFound('Project');
    return fromPath;
  }
  if (principal.kind === 'key') return principal.key.projectId;
  const header = request.headers['x-project-id'];
  if (typeof header === 'string') {
    if (!isUuid(header)) throw new NotFound('Project');
    return header;
  }
  const projects = await projectsOfUser(request.server.db, principal.user.id);
  if (projects.length === 1 && projects[0]) return projects[0].id;
  throw new BadRequest('X-Project-Id: required, as you belong to several projects (or none)');
}
