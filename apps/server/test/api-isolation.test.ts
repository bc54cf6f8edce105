import { pings } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, bearer, createKey, injectApi, invitationToken, type Method, type Person, signUp, testApp } from './api-fixtures';

interface Route {
  method: Method;
  url: string;
  payload?: object;
}

/**
 * Invariant 5: project B's key or session gets 404 for every object of project A,
 * never 200, and never a 403 that would tell A's objects exist.
 */
describe.each(testDatabaseKinds())('tenant isolation on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let alice: Person;
  let bob: Person;
  let bobKey: string;
  let a: { check: string; channel: string; key: string; invitation: string; window: string };

  beforeAll(async () => {
    app = await testApp(test.database);
    alice = await signUp(app);
    bob = await signUp(app);
    bobKey = (await createKey(app, bob)).key;
    const aliceKey = await createKey(app, alice);
    const as = (url: string, payload: object) =>
      app.inject({ method: 'POST', url: `/api/v1${url}`, headers: bearer(aliceKey.key), payload });
    const channel = (await as('/channels', { kind: 'webhook', name: 'A hook', config: { url: 'http://127.0.0.1:9/hook' } })).json().id;
    const check = (await as('/checks', { name: 'A check', slug: 'a-check', channels: [channel] })).json().id;
    // In force now, so ending it would succeed for anyone who could reach it.
    const window = (
      await as('/maintenance-windows', {
        name: 'A window',
        kind: 'once',
        startsAt: new Date(Date.now() - 3_600_000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      })
    ).json().id;
    await test.db
      .insert(pings)
      .values({ checkId: check, n: 1, kind: 'success', method: 'POST', scheme: 'http', body: 'secret output', bodySize: 13 });
    const invitation = (
      await app.inject({
        method: 'POST',
        url: `/api/v1/projects/${alice.projectId}/invitations`,
        headers: alice.headers,
        payload: { email: 'x@example.com', role: 'member' },
      })
    ).json().id;
    a = { check, channel, key: aliceKey.id, invitation, window };
  });
  afterAll(() => app.close());

  const objectRoutes = (): Route[] => [
    { method: 'GET', url: `/checks/${a.check}` },
    { method: 'PATCH', url: `/checks/${a.check}`, payload: { name: 'taken over' } },
    { method: 'POST', url: `/checks/${a.check}/pause` },
    { method: 'POST', url: `/checks/${a.check}/resume` },
    { method: 'POST', url: `/checks/${a.check}/acknowledge` },
    { method: 'GET', url: `/checks/${a.check}/pings` },
    { method: 'GET', url: `/checks/${a.check}/pings/1/body` },
    { method: 'GET', url: `/checks/${a.check}/flips` },
    { method: 'GET', url: `/checks/${a.check}/flips/1/deliveries` },
    { method: 'GET', url: `/channels/${a.channel}` },
    { method: 'GET', url: `/channels/${a.channel}/deliveries` },
    { method: 'PATCH', url: `/channels/${a.channel}`, payload: { name: 'taken over' } },
    { method: 'POST', url: `/channels/${a.channel}/test` },
    { method: 'DELETE', url: `/channels/${a.channel}` },
    { method: 'GET', url: `/checks/${a.check}/maintenance` },
    { method: 'GET', url: `/maintenance-windows/${a.window}` },
    { method: 'PATCH', url: `/maintenance-windows/${a.window}`, payload: { name: 'taken over' } },
    { method: 'POST', url: `/maintenance-windows/${a.window}/end` },
    { method: 'DELETE', url: `/maintenance-windows/${a.window}` },
    { method: 'DELETE', url: `/checks/${a.check}` },
  ];
  const projectRoutes = (): Route[] => [
    { method: 'GET', url: `/projects/${alice.projectId}` },
    { method: 'PATCH', url: `/projects/${alice.projectId}`, payload: { name: 'taken over' } },
    { method: 'POST', url: `/projects/${alice.projectId}/ping-key` },
    { method: 'POST', url: `/projects/${alice.projectId}/sentry-key` },
    { method: 'GET', url: `/projects/${alice.projectId}/members` },
    { method: 'PATCH', url: `/projects/${alice.projectId}/members/${alice.userId}`, payload: { role: 'readonly' } },
    { method: 'GET', url: `/projects/${alice.projectId}/invitations` },
    { method: 'POST', url: `/projects/${alice.projectId}/invitations`, payload: { email: 'bob@example.com', role: 'owner' } },
    { method: 'DELETE', url: `/projects/${alice.projectId}/invitations/${a.invitation}` },
    { method: 'GET', url: `/projects/${alice.projectId}/api-keys` },
    { method: 'POST', url: `/projects/${alice.projectId}/api-keys`, payload: { name: 'mine now', access: 'read-write' } },
    { method: 'DELETE', url: `/projects/${alice.projectId}/api-keys/${a.key}` },
    { method: 'DELETE', url: `/projects/${alice.projectId}/members/${alice.userId}` },
    { method: 'DELETE', url: `/projects/${alice.projectId}` },
  ];
  const send = (route: Route, headers: Record<string, string>) =>
    app.inject({ method: route.method, url: `/api/v1${route.url}`, headers, ...(route.payload && { payload: route.payload }) });

  it("answers 404 to project B's key for every object of project A", async () => {
    for (const route of objectRoutes()) {
      const response = await send(route, bearer(bobKey));
      expect([route.method, route.url, response.statusCode]).toEqual([route.method, route.url, 404]);
    }
  });

  it("answers 404 to project B's session for every object and project route of project A", async () => {
    for (const route of [...objectRoutes(), ...projectRoutes()]) {
      const response = await send(route, bob.headers);
      expect([route.method, route.url, response.statusCode]).toEqual([route.method, route.url, 404]);
    }
    for (const route of objectRoutes()) {
      const response = await send(route, { ...bob.headers, 'x-project-id': alice.projectId });
      expect([route.method, route.url, response.statusCode]).toEqual([route.method, route.url, 404]);
    }
  });

  it("keeps project A's checks, channels and counts out of B's lists", async () => {
    for (const headers of [bearer(bobKey), bob.headers]) {
      expect((await send({ method: 'GET', url: '/checks' }, headers)).json().checks).toEqual([]);
      expect((await send({ method: 'GET', url: '/checks?slug=a-check' }, headers)).json().checks).toEqual([]);
      expect((await send({ method: 'GET', url: '/channels' }, headers)).json().channels).toEqual([]);
      expect((await send({ method: 'GET', url: '/maintenance-windows' }, headers)).json().maintenanceWindows).toEqual([]);
      expect((await send({ method: 'GET', url: '/status' }, headers)).json().total).toBe(0);
    }
    const projects = (await send({ method: 'GET', url: '/projects' }, bob.headers)).json().projects;
    expect(projects.map((p: { id: string }) => p.id)).toEqual([bob.projectId]);
  });

  it("refuses to attach project A's channel to a check of B", async () => {
    const response = await send({ method: 'POST', url: '/checks', payload: { name: 'sneaky', channels: [a.channel] } }, bearer(bobKey));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields.channels).toMatch(/no channel/);
  });

  it("does not let B accept A's invitation without its link, or upsert into A's slug", async () => {
    expect((await send({ method: 'POST', url: `/invitations/${a.invitation}/accept` }, bob.headers)).statusCode).toBe(404);
    const guessed = await send({ method: 'POST', url: '/invitations/accept', payload: { token: 'A'.repeat(43) } }, bob.headers);
    expect(guessed.statusCode).toBe(404);
    const upsert = await send({ method: 'POST', url: '/checks', payload: { slug: 'a-check', unique: ['slug'] } }, bearer(bobKey));
    expect(upsert.statusCode).toBe(201);
    expect(upsert.json().id).not.toBe(a.check);
  });

  it('left everything of project A as it was', async () => {
    const aliceView = await send({ method: 'GET', url: `/checks/${a.check}` }, alice.headers);
    expect(aliceView.json()).toMatchObject({ name: 'A check', status: 'new', channels: [a.channel] });
    expect((await send({ method: 'GET', url: `/channels/${a.channel}` }, alice.headers)).json().name).toBe('A hook');
    expect((await send({ method: 'GET', url: `/maintenance-windows/${a.window}` }, alice.headers)).json()).toMatchObject({
      name: 'A window',
      endedAt: null,
    });
    const members = (await send({ method: 'GET', url: `/projects/${alice.projectId}/members` }, alice.headers)).json().members;
    expect(members).toEqual([expect.objectContaining({ userId: alice.userId, role: 'owner' })]);
  });
});

describe.each(testDatabaseKinds())('keys and roles on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let owner: Person;
  beforeAll(async () => {
    app = await testApp(test.database);
    owner = await signUp(app);
  });
  afterAll(() => app.close());

  const call = (method: Method, url: string, headers: Record<string, string>, payload?: object) =>
    injectApi(app, method, url, headers, payload);

  it('answers 403 to a read-only key on every write, and lets it read', async () => {
    const rw = bearer((await createKey(app, owner, 'read-write')).key);
    const ro = bearer((await createKey(app, owner, 'read-only')).key);
    const check = (await call('POST', '/checks', rw, { name: 'ro target' })).json().id;
    const channel = (await call('POST', '/channels', rw, { kind: 'email', name: 'mail', config: { to: 'ops@example.com' } })).json().id;
    expect(channel).toEqual(expect.any(String));
    const window = (await call('POST', '/maintenance-windows', rw, { name: 'w', kind: 'recurring', cron: '@daily', duration: 60 })).json()
      .id;
    const writes: Array<[Method, string, object?]> = [
      ['POST', '/checks', { name: 'x' }],
      ['PATCH', `/checks/${check}`, { name: 'x' }],
      ['DELETE', `/checks/${check}`],
      ['POST', `/checks/${check}/pause`],
      ['POST', `/checks/${check}/resume`],
      ['POST', `/checks/${check}/acknowledge`],
      ['POST', '/channels', { kind: 'email', name: 'x', config: { to: 'x@example.com' } }],
      ['PATCH', `/channels/${channel}`, { name: 'x' }],
      ['DELETE', `/channels/${channel}`],
      ['POST', `/channels/${channel}/test`],
      ['POST', '/maintenance-windows', { name: 'x', kind: 'recurring', cron: '@daily', duration: 60 }],
      ['PATCH', `/maintenance-windows/${window}`, { name: 'x' }],
      ['POST', `/maintenance-windows/${window}/end`],
      ['DELETE', `/maintenance-windows/${window}`],
    ];
    for (const [method, url, payload] of writes) {
      expect([method, url, (await call(method, url, ro, payload)).statusCode]).toEqual([method, url, 403]);
    }
    expect((await call('GET', `/checks/${check}`, ro)).statusCode).toBe(200);
    expect((await call('GET', `/channels/${channel}`, ro)).json()).not.toHaveProperty('config');
  });

  it('keeps API keys out of key and member management', async () => {
    const rw = bearer((await createKey(app, owner, 'read-write')).key);
    expect((await call('GET', `/projects/${owner.projectId}/api-keys`, rw)).statusCode).toBe(403);
    expect((await call('POST', `/projects/${owner.projectId}/invitations`, rw, { email: 'k@example.com', role: 'admin' })).statusCode).toBe(
      403,
    );
    expect((await call('GET', '/projects', rw)).statusCode).toBe(403);
  });

  it('shows a key once: never its secret or hash again, and keeps its prefix and last use', async () => {
    const created = await createKey(app, owner, 'read-only');
    expect(created.key).toMatch(/^cb_ro_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.key.slice(0, 10));
    expect((await createKey(app, owner, 'read-write')).key).toMatch(/^cb_rw_/);
    await call('GET', '/checks', { 'x-api-key': created.key });
    const listed = await call('GET', `/projects/${owner.projectId}/api-keys`, owner.headers);
    expect(listed.body).not.toContain(created.key);
    expect(listed.body).not.toMatch(/keyHash|key_hash/);
    const row = listed.json().apiKeys.find((k: { id: string }) => k.id === created.id);
    expect(row).not.toHaveProperty('key');
    expect(row.lastUsedAt).toMatch(/Z$/);
  });

  it('refuses a revoked key with 401 on its very next request', async () => {
    const { id, key } = await createKey(app, owner);
    expect((await call('GET', '/checks', bearer(key))).statusCode).toBe(200);
    expect((await call('DELETE', `/projects/${owner.projectId}/api-keys/${id}`, owner.headers)).statusCode).toBe(204);
    const refused = await call('GET', '/checks', bearer(key));
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('CB_UNAUTHORIZED');
    expect((await call('GET', '/checks', bearer('cb_rw_nonsense'))).statusCode).toBe(401);
    expect((await call('GET', '/checks', {})).statusCode).toBe(401);
  });

  it('rate-limits each key on its own with 429 and Retry-After', async () => {
    const limited = await testApp(test.database, {}, { signInPerMinute: 100, apiPerMinute: 3 });
    const first = bearer((await createKey(app, owner)).key);
    const second = bearer((await createKey(app, owner)).key);
    for (let i = 0; i < 3; i++) expect((await limited.inject({ url: '/api/v1/checks', headers: first })).statusCode).toBe(200);
    const refused = await limited.inject({ url: '/api/v1/checks', headers: first });
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json().error.code).toBe('CB_RATE_LIMITED');
    expect((await limited.inject({ url: '/api/v1/checks', headers: second })).statusCode).toBe(200);
    await limited.close();
  });

  it.each([
    ['owner', { checks: 201, keys: 201, invite: 201, rename: 200, rotate: 200 }],
    ['admin', { checks: 201, keys: 201, invite: 201, rename: 200, rotate: 200 }],
    ['member', { checks: 201, keys: 403, invite: 403, rename: 403, rotate: 403 }],
    ['readonly', { checks: 403, keys: 403, invite: 403, rename: 403, rotate: 403 }],
  ] as const)('gives a %s what the role allows', async (role, expected) => {
    const person = role === 'owner' ? owner : await addMember(app, owner, role);
    const h = person.headers;
    const p = owner.projectId;
    expect((await call('GET', '/checks', h)).statusCode).toBe(200);
    expect((await call('POST', '/checks', h, { name: `by ${role}` })).statusCode).toBe(expected.checks);
    expect((await call('POST', '/channels', h, { kind: 'email', name: role, config: { to: 'a@example.com' } })).statusCode).toBe(
      expected.checks,
    );
    expect((await call('POST', `/projects/${p}/api-keys`, h, { name: role, access: 'read-only' })).statusCode).toBe(expected.keys);
    expect((await call('POST', `/projects/${p}/invitations`, h, { email: `${role}@example.com`, role: 'member' })).statusCode).toBe(
      expected.invite,
    );
    expect((await call('PATCH', `/projects/${p}`, h, { name: `renamed by ${role}` })).statusCode).toBe(expected.rename);
    expect((await call('POST', `/projects/${p}/ping-key`, h)).statusCode).toBe(expected.rotate);
    expect((await call('POST', `/projects/${p}/sentry-key`, h)).statusCode).toBe(expected.rotate);
    const project = (await call('GET', `/projects/${p}`, h)).json();
    expect(project.role).toBe(role);
    expect('pingKey' in project).toBe(expected.rotate === 200);
    expect('sentryDsn' in project).toBe(expected.rotate === 200);
  });

  it('lets only the owner delete a project', async () => {
    const admin = await addMember(app, owner, 'admin');
    const other = (await call('POST', '/projects', owner.headers, { name: 'Doomed' })).json();
    const sent = (await call('POST', `/projects/${other.id}/invitations`, owner.headers, { email: admin.email, role: 'admin' })).json();
    expect((await call('POST', '/invitations/accept', admin.headers, { token: invitationToken(sent) })).statusCode).toBe(200);
    expect((await call('DELETE', `/projects/${other.id}`, admin.headers)).statusCode).toBe(403);
    expect((await call('DELETE', `/projects/${other.id}`, owner.headers)).statusCode).toBe(204);
    expect((await call('GET', `/projects/${other.id}`, owner.headers)).statusCode).toBe(404);
  });
});
