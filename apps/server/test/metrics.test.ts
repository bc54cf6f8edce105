/** Prometheus metrics: the process-wide /metrics, the per-project endpoint for read-only keys, and /readyz with Redis. */
import { isCi, loadConfig, loadServices } from '@cronbeat/config';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { bearer, createKey, signUp, testApp } from './api-fixtures';

/** The value of one sample line, e.g. `cronbeat_pings_total{kind="start"}`; 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe.each(testDatabaseKinds())('metrics on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testApp(test.database);
  });
  afterAll(() => app?.close());

  const scrape = async () => {
    const response = await app.inject('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.body;
  };

  it('counts stored pings by kind and times them, and leaves refused pings out of the count', async () => {
    const owner = await signUp(app);
    const key = await createKey(app, owner);
    const check = (await app.inject({ method: 'POST', url: '/api/v1/checks', headers: bearer(key.key), payload: { name: 'm' } })).json();
    const before = await scrape();

    for (const path of ['', '', '/start', '/fail', '/3']) expect((await app.inject(`/ping/${check.pingCode}${path}`)).statusCode).toBe(200);
    expect((await app.inject('/ping/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);

    const after = await scrape();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('cronbeat_pings_total{kind="success"}')).toBe(2);
    expect(delta('cronbeat_pings_total{kind="start"}')).toBe(1);
    expect(delta('cronbeat_pings_total{kind="fail"}')).toBe(2);
    expect(delta('cronbeat_ping_duration_seconds_count{code="200"}')).toBe(5);
    expect(delta('cronbeat_ping_duration_seconds_count{code="404"}')).toBe(1);
    expect(after).toContain('process_cpu_user_seconds_total');
  });

  it('serves a project its checks by status in Prometheus text, to its read-only key and only its own', async () => {
    const [alice, bob] = [await signUp(app), await signUp(app)];
    const [aliceWrite, aliceRead, bobRead] = [
      await createKey(app, alice),
      await createKey(app, alice, 'read-only'),
      await createKey(app, bob, 'read-only'),
    ];
    for (const name of ['a', 'b', 'c']) {
      await app.inject({ method: 'POST', url: '/api/v1/checks', headers: bearer(aliceWrite.key), payload: { name } });
    }
    const paused = (
      await app.inject({ method: 'POST', url: '/api/v1/checks', headers: bearer(aliceWrite.key), payload: { name: 'p' } })
    ).json();
    expect(
      (await app.inject({ method: 'POST', url: `/api/v1/checks/${paused.id}/pause`, headers: bearer(aliceWrite.key) })).statusCode,
    ).toBe(200);

    const mine = await app.inject({ url: '/api/v1/metrics', headers: bearer(aliceRead.key) });
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(mine.body, 'cronbeat_project_checks{status="new"}')).toBe(3);
    expect(sample(mine.body, 'cronbeat_project_checks{status="paused"}')).toBe(1);
    expect(mine.body).toContain('# TYPE cronbeat_project_checks gauge');

    // Bob's key sees Bob's empty project, even when it names Alice's.
    const theirs = await app.inject({ url: '/api/v1/metrics', headers: { ...bearer(bobRead.key), 'x-project-id': alice.projectId } });
    expect(theirs.statusCode).toBe(200);
    for (const status of ['new', 'up', 'late', 'down', 'paused'])
      expect(sample(theirs.body, `cronbeat_project_checks{status="${status}"}`)).toBe(0);
    expect((await app.inject({ url: `/api/v1/projects/${alice.projectId}/status`, headers: bearer(bobRead.key) })).statusCode).toBe(404);
    expect((await app.inject('/api/v1/metrics')).statusCode).toBe(401);
  });
});

describe('metrics behind METRICS_TOKEN', () => {
  const test = useTestDatabase('pglite');
  const token = 'scrape-k3y-0123456789';

  it('answers /metrics only to the bearer of the token, with 401 and the one error shape otherwise', async () => {
    const app = await testApp(test.database, { METRICS_TOKEN: token });
    try {
      for (const authorization of [undefined, 'Bearer wrong-token-0123456789', token, `Basic ${token}`, `Bearer ${token}x`]) {
        const refused = await app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
        expect(refused.statusCode, String(authorization)).toBe(401);
        expect(refused.headers['www-authenticate']).toBe('Bearer');
        expect(refused.json().error.code).toBe('CB_UNAUTHORIZED');
      }
      const scraped = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } });
      expect(scraped.statusCode).toBe(200);
      expect(scraped.body).toContain('cronbeat_pings_total');
      expect((await app.inject('/healthz')).statusCode).toBe(200); // health checks need no token
    } finally {
      await app.close();
    }
  });
});

const { redisUrl } = loadServices();
if (!redisUrl && isCi()) throw new Error('CI=true but REDIS_URL is not set: the readiness-with-Redis suite would be skipped');

describe.skipIf(!redisUrl)('readiness with Redis', () => {
  const test = useTestDatabase('pglite');

  it('answers 200 with redis ok when Redis answers', async () => {
    const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', REDIS_URL: redisUrl ?? '' }), { database: test.database });
    try {
      await expect.poll(async () => (await app.inject('/readyz')).json().redis, { timeout: 5000 }).toBe('ok');
      expect((await app.inject('/readyz')).json()).toEqual({ status: 'ok', database: 'ok', redis: 'ok' });
    } finally {
      await app.close();
    }
  });

  it('stays ready (200, degraded) naming Redis when Redis is unreachable, while the database is fine', async () => {
    // Port 1 refuses connections on any machine that runs these tests.
    const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', REDIS_URL: 'redis://127.0.0.1:1' }), { database: test.database });
    try {
      const ready = await app.inject('/readyz');
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'degraded', database: 'ok', redis: 'unreachable' });
      expect((await app.inject('/healthz')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
