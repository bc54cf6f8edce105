import { randomUUID } from 'node:crypto';
import { channels, checkChannels, checks, type Db } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { aCheck, aProject, checkRow, pingRows, usePingApp } from './ping-fixtures';

describe.each(testDatabaseKinds())('ping URLs on %s', (kind) => {
  const test = useTestDatabase(kind);
  const server = usePingApp(() => test.database);
  const db = (): Db => test.db;

  const forms = [
    { suffix: '', kind: 'success', exitStatus: null },
    { suffix: '/start', kind: 'start', exitStatus: null },
    { suffix: '/fail', kind: 'fail', exitStatus: null },
    { suffix: '/log', kind: 'log', exitStatus: null },
    { suffix: '/0', kind: 'success', exitStatus: 0 },
    { suffix: '/1', kind: 'fail', exitStatus: 1 },
    { suffix: '/255', kind: 'fail', exitStatus: 255 },
  ] as const;

  describe.each(['GET', 'HEAD', 'POST'] as const)('%s', (method) => {
    it.each(forms)('records /ping/<ping-code>$suffix as $kind', async (form) => {
      const { check } = await aCheck(db());
      const response = await server.app.inject({ method, url: `/ping/${check.pingCode}${form.suffix}` });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(method === 'HEAD' ? '' : 'OK');
      const [ping] = await pingRows(db(), check.id);
      expect(ping).toMatchObject({ n: 1, kind: form.kind, exitStatus: form.exitStatus, method, scheme: 'http' });
    });

    it.each(forms)('records /ping/<key>/<slug>$suffix as $kind', async (form) => {
      const { project, check } = await aCheck(db(), { slug: 'nightly-backup' });
      const response = await server.app.inject({ method, url: `/ping/${project.pingKey}/nightly-backup${form.suffix}` });
      expect(response.statusCode).toBe(200);
      const [ping] = await pingRows(db(), check.id);
      expect(ping).toMatchObject({ n: 1, kind: form.kind, exitStatus: form.exitStatus, method });
    });
  });

  it('answers other methods with 405 and the methods it allows', async () => {
    const { check } = await aCheck(db());
    for (const method of ['PUT', 'DELETE', 'PATCH'] as const) {
      const response = await server.app.inject({ method, url: `/ping/${check.pingCode}/start` });
      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD, POST');
    }
    expect(await pingRows(db(), check.id)).toHaveLength(0);
  });

  it("answers a browser's CORS preflight for every ping form, so a page can POST a body, and stores nothing for it", async () => {
    const { project, check } = await aCheck(db(), { slug: 'job' });
    for (const url of [`/ping/${check.pingCode}`, `/ping/${check.pingCode}/fail`, `/ping/${project.pingKey}/job/log`]) {
      const response = await server.app.inject({
        method: 'OPTIONS',
        url,
        headers: {
          origin: 'https://ci.example.com',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(response.statusCode, url).toBe(204);
      expect(response.headers).toMatchObject({
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, HEAD, POST',
        'access-control-allow-headers': '*',
      });
    }
    expect(await pingRows(db(), check.id)).toHaveLength(0);
  });

  it('sends CORS and Ping-Body-Limit headers with every answer, errors included', async () => {
    const { check } = await aCheck(db());
    for (const url of [`/ping/${check.pingCode}`, '/ping/not-a-uuid', `/ping/${randomUUID()}`, '/ping/a/b/c/d']) {
      const response = await server.app.inject({ method: 'GET', url });
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['ping-body-limit']).toBe('100000');
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    }
  });

  it.each([
    ['a malformed ping code', '/ping/not-a-uuid', 'ping code must be a UUID, got "not-a-uuid"'],
    [
      'an exit status above 255',
      '/ping/<id>/256',
      'exit status must be a whole number from 0 to 255, got "256", or one of start, fail, log',
    ],
    ['a negative exit status', '/ping/<id>/-1', 'exit status must be a whole number from 0 to 255, got "-1", or one of start, fail, log'],
    ['an unknown kind', '/ping/<id>/finish', 'exit status must be a whole number from 0 to 255, got "finish", or one of start, fail, log'],
    ['a malformed rid', '/ping/<id>?rid=123', 'rid must be a UUID, got "123"'],
    [
      'a bad exit status by slug',
      '/ping/<key>/job/1.5',
      'exit status must be a whole number from 0 to 255, got "1.5", or one of start, fail, log',
    ],
    ['a NUL in the slug', '/ping/<key>/job%00', 'ping key and slug must not contain NUL characters'],
    ['a repeated rid', `/ping/<id>?rid=${randomUUID()}&rid=${randomUUID()}`, 'rid must be a UUID, got'],
  ])('answers 400 with what is wrong for %s, storing nothing', async (_what, url, message) => {
    const { project, check } = await aCheck(db(), { slug: 'job' });
    const response = await server.app.inject({ url: url.replace('<id>', check.pingCode).replace('<key>', project.pingKey) });
    expect(response.statusCode).toBe(400);
    expect(response.body.startsWith(message)).toBe(true);
    expect(await pingRows(db(), check.id)).toHaveLength(0);
  });

  it.each([
    ['an unknown ping code', () => `/ping/${randomUUID()}`],
    ['an unknown ping code with a kind', () => `/ping/${randomUUID()}/start`],
    ['an unknown ping key', () => '/ping/no-such-key/job'],
    ['a path deeper than any form', () => `/ping/${randomUUID()}/start/extra`],
  ])('answers 404 not found for %s', async (_what, url) => {
    const response = await server.app.inject({ url: url() });
    expect(response.statusCode).toBe(404);
    expect(response.body).toBe('not found');
  });

  it('answers 404 to a check id: a new check pings by its code only, and its id pings nothing', async () => {
    const { check } = await aCheck(db());
    expect(check.pingCode).not.toBe(check.id);
    for (const suffix of ['', '/start', '/fail', '/0']) {
      expect(await server.app.inject({ method: 'POST', url: `/ping/${check.id}${suffix}` })).toMatchObject({
        statusCode: 404,
        body: 'not found',
      });
    }
    expect(await pingRows(db(), check.id)).toHaveLength(0);
    expect((await server.app.inject({ url: `/ping/${check.pingCode}` })).statusCode).toBe(200);
    expect(await pingRows(db(), check.id)).toHaveLength(1);
  });

  it('answers 404 for an unknown slug, and does not create it without ?create=1', async () => {
    const project = await aProject(db());
    const response = await server.app.inject({ url: `/ping/${project.pingKey}/never-seen` });
    expect(response).toMatchObject({ statusCode: 404, body: 'not found' });
    expect(await db().select().from(checks).where(eq(checks.projectId, project.id))).toHaveLength(0);
  });

  it('creates an unknown slug with ?create=1: 201, default schedule, all channels, the ping recorded', async () => {
    const project = await aProject(db());
    const made = await db()
      .insert(channels)
      .values([
        { projectId: project.id, kind: 'email', name: 'ops', config: { to: 'ops@example.com' } },
        { projectId: project.id, kind: 'webhook', name: 'hook', config: { url: 'http://127.0.0.1/' } },
      ])
      .returning();
    const first = await server.app.inject({ method: 'POST', url: `/ping/${project.pingKey}/new-job/start?create=1`, payload: 'hi' });
    expect(first).toMatchObject({ statusCode: 201, body: 'Created' });
    const [created] = await db()
      .select()
      .from(checks)
      .where(and(eq(checks.projectId, project.id), eq(checks.slug, 'new-job')));
    expect(created).toMatchObject({
      name: 'new-job',
      period: project.defaultPeriod,
      grace: project.defaultGrace,
      nPings: 1,
      autoCreated: true,
    });
    expect(created!.pingCode).not.toBe(created!.id);
    const attached = await db().select().from(checkChannels).where(eq(checkChannels.checkId, created!.id));
    expect(attached.map((a) => a.channelId).sort()).toEqual(made.map((c) => c.id).sort());
    expect(await pingRows(db(), created!.id)).toMatchObject([{ n: 1, kind: 'start', body: 'hi' }]);

    const again = await server.app.inject({ url: `/ping/${project.pingKey}/new-job?create=1` });
    expect(again).toMatchObject({ statusCode: 200, body: 'OK' });
    expect((await checkRow(db(), created!.id)).nPings).toBe(2);
  });

  it('answers 404 to ?create=1 under an unknown ping key', async () => {
    const response = await server.app.inject({ url: '/ping/no-such-key/job?create=1' });
    expect(response).toMatchObject({ statusCode: 404, body: 'not found' });
  });

  it('creates a slug once when many ?create=1 pings race for it', async () => {
    const project = await aProject(db());
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => server.app.inject({ url: `/ping/${project.pingKey}/racy?create=1` })),
    );
    expect(responses.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.statusCode === 200)).toHaveLength(19);
    const created = await db().select().from(checks).where(eq(checks.projectId, project.id));
    expect(created).toHaveLength(1);
    expect(created[0]!.nPings).toBe(20);
  });

  // A slug is unique per project and a ping key belongs to one project, so a
  // slug URL addresses at most one check: "409 ambiguous slug" cannot arise.
  // This pins the index that guarantees it.
  it('refuses a second check with the same slug in a project, so a slug URL is never ambiguous', async () => {
    const { project } = await aCheck(db(), { slug: 'twin' });
    await expect(aCheck(db(), { project, slug: 'twin' })).rejects.toThrow();
  });
});
