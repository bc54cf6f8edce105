import { loadConfig } from '@cronbeat/config';
import { checks, projects } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { nameBasedUuid, seriesRunId } from '../src/ping/cronitor';
import { aCheck, aProject, checkRow, pingRows } from './ping-fixtures';

describe('run ids from Cronitor series', () => {
  it('makes version 5 UUIDs as RFC 9562 does', () => {
    // RFC 9562's DNS namespace and the name www.example.com (uuid's and Python's uuid5 agree).
    expect(nameBasedUuid('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('gives one series the same run id every time, others another, and keeps a UUID as it is', () => {
    expect(seriesRunId('1a2b3c4d')).toBe(seriesRunId('1a2b3c4d'));
    expect(seriesRunId('1a2b3c4d')).not.toBe(seriesRunId('1a2b3c4e'));
    expect(seriesRunId('1a2b3c4d')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(seriesRunId('123E4567-E89B-12D3-A456-426614174000')).toBe('123e4567-e89b-12d3-a456-426614174000');
  });
});

/**
 * Cronitor's telemetry (https://cronitor.io/docs/telemetry-api) with the
 * URLs of its docs and of its Node client (cronitor 2.6: GET
 * `https://cronitor.link/ping/<apiKey>/<monitorKey>?…` with repeated
 * `metric=` and a `stamp`), the host changed: the API key is the project's
 * ping key, the monitor key the check's slug.
 */
describe.each(testDatabaseKinds())('Cronitor telemetry on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  beforeAll(async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent', BASE_URL: 'http://cronbeat.test', PING_BASE_URL: 'http://ping.cronbeat.test' });
    app = await buildApp(config, { database: test.database });
  });
  afterAll(() => app.close());
  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
  const checkBySlug = async (projectId: string, slug: string) =>
    (
      await test.db
        .select()
        .from(checks)
        .where(and(eq(checks.projectId, projectId), eq(checks.slug, slug)))
    )[0];

  it("records the docs' run, complete and fail lines, creating the monitor on its first event", async () => {
    const project = await aProject(test.db);
    const key = project.pingKey;
    expect(await get(`/p/${key}/nightly-job?state=run`)).toMatchObject({ statusCode: 201, body: 'Created' });
    expect(await get(`/p/${key}/nightly-job?state=complete`)).toMatchObject({ statusCode: 200, body: 'OK' });
    expect(await get(`/p/${key}/nightly-job?state=fail`)).toMatchObject({ statusCode: 200, body: 'OK' });
    const check = await checkBySlug(project.id, 'nightly-job');
    expect(check).toMatchObject({ name: 'nightly-job', autoCreated: true, status: 'down' });
    const rows = await pingRows(test.db, check!.id);
    expect(rows.map((ping) => ping.kind)).toEqual(['start', 'success', 'fail']);
    expect(rows[1]!.duration).not.toBeNull();
  });

  it('records a heartbeat without state as a success, and ok as one', async () => {
    const { project, check } = await aCheck(test.db, { slug: 'airflow-heartbeat' });
    expect((await get(`/p/${project.pingKey}/airflow-heartbeat`)).statusCode).toBe(200);
    expect((await get(`/p/${project.pingKey}/airflow-heartbeat?state=ok&message=Manually+resolved`)).statusCode).toBe(200);
    const rows = await pingRows(test.db, check.id);
    expect(rows.map((ping) => [ping.kind, ping.body])).toEqual([
      ['success', null],
      ['success', 'Manually resolved'],
    ]);
  });

  it('stores message as the body, status_code as the exit status, and host and env with the user agent', async () => {
    const { project, check } = await aCheck(test.db, { slug: 'daily-database-backup' });
    const url =
      `/p/${project.pingKey}/daily-database-backup?state=fail&message=Database+connection+refused&status_code=1` +
      '&host=app-server-01&env=production';
    expect((await get(url, { 'user-agent': 'curl/8.5.0' })).statusCode).toBe(200);
    const [ping] = await pingRows(test.db, check.id);
    expect(ping).toMatchObject({
      kind: 'fail',
      exitStatus: 1,
      body: 'Database connection refused',
      userAgent: 'curl/8.5.0 (host=app-server-01 env=production)',
    });
    expect(await checkRow(test.db, check.id)).toMatchObject({ status: 'down' });
  });

  it('keeps a POST body over message, and takes a duration metric when no start pairs', async () => {
    const { project, check } = await aCheck(test.db, { slug: 'daily-database-backup' });
    const url =
      `/p/${project.pingKey}/daily-database-backup?state=complete&duration=1823&message=Processed+1423+records` +
      '&host=app-server-01&env=production&metric=duration%3A1823';
    // No user agent: host and env are what is stored of the sender.
    expect((await app.inject({ method: 'POST', url, payload: 'full log', headers: { 'user-agent': '' } })).statusCode).toBe(200);
    expect((await get(url)).statusCode).toBe(200);
    const rows = await pingRows(test.db, check.id);
    expect(rows.map((ping) => [ping.kind, ping.body, ping.duration])).toEqual([
      ['success', 'full log', 1_823_000],
      ['success', 'Processed 1423 records', 1_823_000],
    ]);
    expect(rows[0]!.userAgent).toBe('host=app-server-01 env=production');
  });

  it("pairs its Node client's run and complete by series on the /ping/ form it builds, with a measured duration", async () => {
    const project = await aProject(test.db);
    const base = `/ping/${project.pingKey}/worker-sync`;
    const agent = { 'user-agent': 'cronitor-js' };
    expect((await get(`${base}?state=run&series=0f3a9c21&host=web-1&stamp=1765111111.123&env=production`, agent)).statusCode).toBe(201);
    expect((await get(`${base}?state=run&series=77aa0b1c&stamp=1765111112.5`, agent)).statusCode).toBe(200);
    const ended = `${base}?state=complete&message=done&series=0f3a9c21&metric=count:3&metric=error_count:0&metric=duration:9999&stamp=1765111120`;
    expect((await get(ended, agent)).statusCode).toBe(200);
    const check = await checkBySlug(project.id, 'worker-sync');
    const rows = await pingRows(test.db, check!.id);
    expect(rows.map((ping) => [ping.kind, ping.rid])).toEqual([
      ['start', seriesRunId('0f3a9c21')],
      ['start', seriesRunId('77aa0b1c')],
      ['success', seriesRunId('0f3a9c21')],
    ]);
    // The first run's own start measured it (milliseconds here), not the 9999 s the metric claimed.
    expect(rows[2]!.duration).toBeLessThan(60_000);
    expect(rows[0]!.userAgent).toBe('cronitor-js (host=web-1 env=production)');
    // The second run is still open.
    expect(await checkRow(test.db, check!.id)).toMatchObject({ lastStartRid: seriesRunId('77aa0b1c') });
  });

  it('counts telemetry in cronbeat_pings_total as it counts pings', async () => {
    const { project } = await aCheck(test.db, { slug: 'counted' });
    const started = () =>
      app.inject('/metrics').then((response) => {
        const line = response.body.split('\n').find((candidate) => candidate.startsWith('cronbeat_pings_total{kind="start"} '));
        return line ? Number(line.split(' ')[1]) : 0;
      });
    const before = await started();
    expect((await get(`/p/${project.pingKey}/counted?state=run`)).statusCode).toBe(200);
    expect((await started()) - before).toBe(1);
  });

  it('serves /p/ on the ping host too', async () => {
    const { project, check } = await aCheck(test.db, { slug: 'on-ping-host' });
    const response = await get(`/p/${project.pingKey}/on-ping-host?state=run`, { host: 'ping.cronbeat.test' });
    expect(response).toMatchObject({ statusCode: 200, body: 'OK' });
    expect((await pingRows(test.db, check.id)).map((ping) => ping.kind)).toEqual(['start']);
  });

  it.each([
    ['an unknown state', '/p/<key>/job?state=paused', 'state must be run, complete, fail or ok, got "paused"'],
    ['a repeated state', '/p/<key>/job?state=run&state=fail', 'state must be given once'],
    ['a status code that is no exit status', '/p/<key>/job?state=fail&status_code=-1', 'status_code must be a whole number from 0 to 255'],
    ['a duration that is no number', '/p/<key>/job?metric=duration:soon', 'metric duration must be a number of seconds'],
    ['a series and a rid', `/p/<key>/job?series=a&rid=${'1'.repeat(8)}-1111-4111-8111-${'1'.repeat(12)}`, 'give rid= or series=, not both'],
    [
      'a state and a kind in the path',
      '/ping/<key>/job/fail?state=run',
      'give the kind in the path or as state= and status_code=, not both',
    ],
    ['a control character in host', '/p/<key>/job?host=a%0Ab', 'host must not contain control characters'],
    ['a monitor key the slug rule refuses', '/p/<key>/Nightly%20Job?state=run', 'slug must be 1 to 100 of a-z, 0-9, - and _'],
  ])('answers 400 for %s, storing nothing', async (_what, url, message) => {
    const { project, check } = await aCheck(test.db, { slug: 'job' });
    const response = await get(url.replace('<key>', project.pingKey));
    expect(response.statusCode).toBe(400);
    expect(response.body.startsWith(message), response.body).toBe(true);
    expect(await pingRows(test.db, check.id)).toHaveLength(0);
  });

  it('answers 404 for an unknown key, and plain text for paths that are no telemetry', async () => {
    expect(await get('/p/AAAAAAAAAAAAAAAAAAAAAA/job?state=run')).toMatchObject({ statusCode: 404, body: 'not found' });
    const project = await aProject(test.db);
    for (const url of ['/p/', `/p/${project.pingKey}`, `/p/${project.pingKey}/job/extra`]) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    }
  });

  it("creates monitors within the project's limit, as ?create=1 does", async () => {
    const project = await aProject(test.db);
    await test.db.update(projects).set({ autoCreateLimit: 0 }).where(eq(projects.id, project.id));
    const refused = await get(`/p/${project.pingKey}/not-allowed?state=run`);
    expect(refused.statusCode).toBe(403);
    expect(await checkBySlug(project.id, 'not-allowed')).toBeUndefined();
  });
});
