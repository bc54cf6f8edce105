import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadConfig } from '@cronbeat/config';
import { checks } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { hostName, pingHostRewrite } from '../src/ping/ping-host';
import { injectApi, signUp } from './api-fixtures';
import { aCheck, aProject, pingRows } from './ping-fixtures';

const SITE = 'cronbeat.test';
const PING_HOST = 'ping.cronbeat.test';

/**
 * Every Healthchecks ping form (https://healthchecks.io/docs/http_api/), as
 * a suffix of `<uuid>` or `<ping-key>/<slug>`, and what it records. Each is
 * also tried with a trailing slash: Healthchecks takes one only after a bare
 * UUID (`/<uuid>/`) and answers 404 to the others; Cronbeat takes it on
 * every form (a slash that URL joining adds is no reason to lose a ping), so
 * every URL Healthchecks takes works the same here.
 */
const FORMS = [
  { suffix: '', kind: 'success', exitStatus: null },
  { suffix: '/start', kind: 'start', exitStatus: null },
  { suffix: '/fail', kind: 'fail', exitStatus: null },
  { suffix: '/log', kind: 'log', exitStatus: null },
  { suffix: '/0', kind: 'success', exitStatus: 0 },
  { suffix: '/1', kind: 'fail', exitStatus: 1 },
  { suffix: '/255', kind: 'fail', exitStatus: 255 },
] as const;
const WITH_AND_WITHOUT_SLASH = FORMS.flatMap((form) => [form, { ...form, suffix: `${form.suffix}/` }]);

describe('the ping host rewrite', () => {
  const rewrite = pingHostRewrite(PING_HOST)!;
  const request = (host: string | undefined, url: string) => rewrite({ headers: { host }, url } as never);

  it('serves the ping host root as /ping/, and leaves its /ping/, /p/, health and metrics as they are', () => {
    const code = randomUUID();
    expect(request(PING_HOST, `/${code}/start?rid=x`)).toBe(`/ping/${code}/start?rid=x`);
    expect(request(PING_HOST, '/key/slug')).toBe('/ping/key/slug');
    expect(request(PING_HOST, '/')).toBe('/ping/');
    for (const url of [`/ping/${code}`, '/ping', '/p/key/job?state=run', '/healthz', '/readyz', '/metrics']) {
      expect(request(PING_HOST, url)).toBe(url);
    }
    // A ping key may begin with what a served path begins with.
    expect(request(PING_HOST, '/pingAbCdEfGhIjKlMnOpQr/job')).toBe('/ping/pingAbCdEfGhIjKlMnOpQr/job');
  });

  it('leaves every other host alone, and finds the host whatever its case, port or trailing dot', () => {
    expect(request(SITE, '/x')).toBe('/x');
    expect(request(undefined, '/x')).toBe('/x');
    expect(request('PING.cronbeat.test.:8443', '/x')).toBe('/ping/x');
    expect(hostName('[::1]:3000')).toBe('[::1]');
    expect(pingHostRewrite(null)).toBeNull();
  });
});

describe.each(testDatabaseKinds())('a dedicated ping host on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let webRoot: string;
  beforeAll(async () => {
    webRoot = mkdtempSync(`${tmpdir()}/cronbeat-web-`);
    writeFileSync(`${webRoot}/index.html`, '<!doctype html><title>Cronbeat</title>');
    const config = loadConfig({ LOG_LEVEL: 'silent', BASE_URL: `http://${SITE}`, PING_BASE_URL: `http://${PING_HOST}/` });
    app = await buildApp(config, { database: test.database, webRoot, rateLimits: { signInPerMinute: 1000, apiPerMinute: 10_000 } });
  });
  afterAll(async () => {
    await app.close();
    rmSync(webRoot, { recursive: true, force: true });
  });
  const onPingHost = (method: 'GET' | 'HEAD' | 'POST', url: string) => app.inject({ method, url, headers: { host: PING_HOST } });

  describe.each(['GET', 'HEAD', 'POST'] as const)('%s', (method) => {
    it.each(WITH_AND_WITHOUT_SLASH)('records <uuid>$suffix at the root and under /ping/ as $kind', async (form) => {
      const { check } = await aCheck(test.db);
      for (const url of [`/${check.pingCode}${form.suffix}`, `/ping/${check.pingCode}${form.suffix}`]) {
        const response = await onPingHost(method, url);
        expect(response.statusCode, url).toBe(200);
        expect(response.body).toBe(method === 'HEAD' ? '' : 'OK');
        expect(response.headers).toMatchObject({
          'content-type': 'text/plain; charset=utf-8',
          'access-control-allow-origin': '*',
          'ping-body-limit': '100000',
        });
      }
      const rows = await pingRows(test.db, check.id);
      expect(rows.map((ping) => [ping.kind, ping.exitStatus, ping.method])).toEqual([
        [form.kind, form.exitStatus, method],
        [form.kind, form.exitStatus, method],
      ]);
    });

    it.each(WITH_AND_WITHOUT_SLASH)('records <key>/<slug>$suffix at the root and under /ping/ as $kind', async (form) => {
      const { project, check } = await aCheck(test.db, { slug: 'nightly-backup' });
      for (const url of [`/${project.pingKey}/nightly-backup${form.suffix}`, `/ping/${project.pingKey}/nightly-backup${form.suffix}`]) {
        expect((await onPingHost(method, url)).statusCode, url).toBe(200);
      }
      expect((await pingRows(test.db, check.id)).map((ping) => ping.kind)).toEqual([form.kind, form.kind]);
    });
  });

  it('pairs a start and its end by ?rid= at the root', async () => {
    const { check } = await aCheck(test.db);
    const rid = randomUUID();
    expect((await onPingHost('GET', `/${check.pingCode}/start?rid=${rid}`)).statusCode).toBe(200);
    expect((await onPingHost('POST', `/${check.pingCode}?rid=${rid}`)).statusCode).toBe(200);
    const [start, end] = await pingRows(test.db, check.id);
    expect([start!.rid, end!.rid]).toEqual([rid, rid]);
    expect(end!.duration).not.toBeNull();
  });

  it('creates a check with ?create=1 at the root: 201 Created, then 200 OK', async () => {
    const project = await aProject(test.db);
    expect(await onPingHost('GET', `/${project.pingKey}/made-at-root/start?create=1`)).toMatchObject({ statusCode: 201, body: 'Created' });
    expect(await onPingHost('GET', `/${project.pingKey}/made-at-root?create=1`)).toMatchObject({ statusCode: 200, body: 'OK' });
    const [made] = await test.db
      .select()
      .from(checks)
      .where(and(eq(checks.projectId, project.id), eq(checks.slug, 'made-at-root')));
    expect(made).toMatchObject({ nPings: 2, autoCreated: true });
  });

  it.each([
    ['a malformed ping code', '/not-a-uuid', 400, 'ping code must be a UUID, got "not-a-uuid"'],
    ['an exit status above 255', '/<code>/256', 400, 'exit status must be a whole number from 0 to 255, got "256"'],
    ['a malformed rid', '/<code>?rid=123', 400, 'rid must be a UUID, got "123"'],
    ['a slug with capitals', '/<key>/Nightly-Backup', 400, 'slug must be 1 to 100 of a-z, 0-9, - and _; got "Nightly-Backup"'],
    ['a slug with capitals, creating', '/<key>/Nightly?create=1', 400, 'slug must be 1 to 100 of a-z, 0-9, - and _'],
    ['an unknown ping code', `/${randomUUID()}`, 404, 'not found'],
    ['an unknown ping code with a kind', `/${randomUUID()}/fail`, 404, 'not found'],
    ['an unknown slug', '/<key>/never-seen', 404, 'not found'],
    ['an unknown ping key', '/AAAAAAAAAAAAAAAAAAAAAA/job', 404, 'not found'],
    ['a path deeper than any form', '/<code>/start/extra', 404, 'not found'],
    ['the bare root', '/', 404, 'not found'],
  ])('answers %s at the root as under /ping/: %i', async (_what, path, status, message) => {
    const { project, check } = await aCheck(test.db, { slug: 'nightly-backup' });
    const url = path.replace('<code>', check.pingCode).replace('<key>', project.pingKey);
    for (const tried of [url, `/ping${url}`]) {
      const response = await onPingHost('GET', tried);
      expect(response.statusCode, tried).toBe(status);
      expect(response.body.startsWith(message), response.body).toBe(true);
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    }
    expect(await pingRows(test.db, check.id)).toHaveLength(0);
  });

  it("answers a browser's CORS preflight at the root", async () => {
    const { check } = await aCheck(test.db);
    const response = await app.inject({
      method: 'OPTIONS',
      url: `/${check.pingCode}/fail`,
      headers: { host: PING_HOST, origin: 'https://ci.example.com', 'access-control-request-method': 'POST' },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('*');
  });

  it('keeps health at the root of the ping host, and shows no dashboard or API there', async () => {
    expect((await app.inject({ url: '/healthz', headers: { host: PING_HOST } })).statusCode).toBe(200);
    const page = await app.inject({ url: '/', headers: { host: PING_HOST, accept: 'text/html' } });
    expect(page).toMatchObject({ statusCode: 404, body: 'not found' });
    const api = await app.inject({ url: '/api/v1/projects', headers: { host: PING_HOST } });
    expect(api.statusCode).toBeGreaterThanOrEqual(400);
    expect(api.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('keeps the dashboard at the root of the site host, where /<uuid> pings nothing', async () => {
    const { check } = await aCheck(test.db);
    const page = await app.inject({ url: '/', headers: { host: SITE, accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Cronbeat</title>');
    await app.inject({ url: `/${check.pingCode}`, headers: { host: SITE } });
    expect(await pingRows(test.db, check.id)).toHaveLength(0);
    expect((await app.inject({ url: `/ping/${check.pingCode}`, headers: { host: SITE } })).statusCode).toBe(200);
  });

  it('shows ping URLs on the ping host in the API, and they ping', async () => {
    const owner = await signUp(app);
    const created = await injectApi(app, 'POST', '/checks', owner.headers, { name: 'shown', slug: 'shown' });
    const { pingUrl, id } = created.json();
    expect(pingUrl).toMatch(new RegExp(`^http://${PING_HOST.replaceAll('.', '\\.')}/[0-9a-f-]{36}$`));
    const project = (await injectApi(app, 'GET', `/projects/${owner.projectId}`, owner.headers)).json();
    expect(project.pingUrl).toBe(`http://${PING_HOST}/${project.pingKey}`);

    for (const shown of [pingUrl, `${project.pingUrl}/shown`]) {
      const url = new URL(shown);
      expect((await app.inject({ url: url.pathname, headers: { host: url.host } })).statusCode, shown).toBe(200);
    }
    expect((await pingRows(test.db, id)).map((ping) => ping.kind)).toEqual(['success', 'success']);
  });
});

describe.each(testDatabaseKinds())('without a ping host of its own on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', BASE_URL: `http://${SITE}` }), { database: test.database });
  });
  afterAll(() => app.close());

  it('serves pings under /ping/ only, on any host, and shows URLs under /ping/', async () => {
    const { check } = await aCheck(test.db);
    for (const host of [SITE, PING_HOST]) {
      expect((await app.inject({ url: `/${check.pingCode}`, headers: { host } })).statusCode).toBe(404);
      expect((await app.inject({ url: `/ping/${check.pingCode}`, headers: { host } })).statusCode).toBe(200);
    }
    const owner = await signUp(app);
    const created = await injectApi(app, 'POST', '/checks', owner.headers, { name: 'shown' });
    expect(created.json().pingUrl).toBe(`http://${SITE}/ping/${created.json().pingCode}`);
  });
});
