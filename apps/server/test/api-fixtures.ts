/** Helpers for the auth-* and api-* suites: people, projects and keys made through the API itself. */
import { randomBytes } from 'node:crypto';
import { loadConfig } from '@cronbeat/config';
import type { Database } from '@cronbeat/db';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src';
import { TEST_PASSWORD_COST } from '../src/testing';

export const BASE_URL = 'http://cronbeat.test';
export const config = loadConfig({ LOG_LEVEL: 'silent', BASE_URL });

export function testApp(
  database: Database,
  env: Record<string, string> = {},
  rateLimits: NonNullable<Parameters<typeof buildApp>[1]['rateLimits']> = { signInPerMinute: 1000, apiPerMinute: 10_000 },
) {
  return buildApp(loadConfig({ LOG_LEVEL: 'silent', BASE_URL, ...env }), { database, rateLimits, passwordCost: TEST_PASSWORD_COST });
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** One request to `/api/v1<url>`, with a JSON body when there is one. */
export const injectApi = (app: FastifyInstance, method: Method, url: string, headers: Record<string, string>, payload?: unknown) =>
  app.inject({ method, url: `/api/v1${url}`, headers, ...(payload !== undefined && { payload: payload as object }) });

export const uniqueEmail = (label = 'user') => `${label}-${randomBytes(5).toString('hex')}@example.com`;
export const PASSWORD = 'correct horse battery';

export interface Person {
  email: string;
  userId: string;
  projectId: string;
  /** Headers of a same-origin browser request with this person's session cookie. */
  headers: Record<string, string>;
}

export async function signUp(app: FastifyInstance, email = uniqueEmail()): Promise<Person> {
  const response = await app.inject({
    method: 'POST',
    url: '/auth/signup',
    headers: { origin: BASE_URL },
    payload: { email, password: PASSWORD },
  });
  if (response.statusCode !== 201) throw new Error(`sign-up failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'cb_session');
  const body = response.json();
  return {
    email,
    userId: body.user.id,
    projectId: body.projects[0].id,
    headers: { cookie: `cb_session=${cookie?.value}`, origin: BASE_URL },
  };
}

export async function createKey(app: FastifyInstance, owner: Person, access: 'read-write' | 'read-only' = 'read-write') {
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/projects/${owner.projectId}/api-keys`,
    headers: owner.headers,
    payload: { name: `${access} key`, access },
  });
  if (response.statusCode !== 201) throw new Error(`key creation failed: ${response.statusCode} ${response.body}`);
  return response.json() as { id: string; key: string; prefix: string };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** The token in an invitation's link, as the invitation answer gives it. */
export const invitationToken = (invitation: { acceptUrl: string }): string =>
  new URL(invitation.acceptUrl).pathname.split('/').at(-1) ?? '';

/** Makes someone a member of `owner`'s project with `role`, by invitation. */
export async function addMember(app: FastifyInstance, owner: Person, role: 'admin' | 'member' | 'readonly' | 'owner'): Promise<Person> {
  const person = await signUp(app);
  const invited = await app.inject({
    method: 'POST',
    url: `/api/v1/projects/${owner.projectId}/invitations`,
    headers: owner.headers,
    payload: { email: person.email, role },
  });
  if (invited.statusCode !== 201) throw new Error(`invitation failed: ${invited.body}`);
  const accepted = await app.inject({
    method: 'POST',
    url: '/api/v1/invitations/accept',
    headers: person.headers,
    payload: { token: invitationToken(invited.json()) },
  });
  if (accepted.statusCode !== 200) throw new Error(`accepting failed: ${accepted.body}`);
  return { ...person, projectId: owner.projectId, headers: { ...person.headers, 'x-project-id': owner.projectId } };
}
