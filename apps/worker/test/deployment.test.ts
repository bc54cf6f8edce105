/**
 * The production shape, in separate processes on real Postgres and Redis:
 * the migrate command, two servers and two workers started with the same
 * commands and variables as docker-compose. Under CI a missing Postgres or
 * Redis fails the run instead of skipping it.
 */
import { randomUUID } from 'node:crypto';
import { isCi, loadServices } from '@cronbeat/config';
import { checks, type Database, pings } from '@cronbeat/db';
import { openTestDatabase } from '@cronbeat/db/testing';
import { eventually, type HttpReceiver, startHttpReceiver } from '@cronbeat/notify/testing';
import { freePort } from '@cronbeat/runtime/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CronbeatProcess, run, sample, scrape, waitForOk } from './support/deployment';
import { seedCheck, seedProject, testRedisUrl, uniquePrefix } from './support/seed';

const redisUrl = testRedisUrl();
const { databaseUrl } = loadServices();
if (!databaseUrl && isCi()) throw new Error('CI=true but DATABASE_URL is not set: the deployment suite would be skipped');

/** The code in a check's ping URL (not its id, which pings nothing). */
const pingCodeOf = async (database: Database, checkId: string): Promise<string> =>
  (await database.db.select({ pingCode: checks.pingCode }).from(checks).where(eq(checks.id, checkId)))[0]!.pingCode;

describe.skipIf(!databaseUrl || !redisUrl)('two servers and two workers in their own processes', () => {
  let database: Database & { url: string | null };
  let http: HttpReceiver;
  const servers: Array<CronbeatProcess & { url: string }> = [];
  const workers: Array<CronbeatProcess & { metricsUrl: string }> = [];

  beforeAll(async () => {
    [database, http] = await Promise.all([openTestDatabase('postgres'), startHttpReceiver()]);
    const env = {
      DATABASE_URL: database.url ?? '',
      REDIS_URL: redisUrl ?? '',
      QUEUE_PREFIX: uniquePrefix('deployment'),
      HOST: '127.0.0.1',
      // The webhook receiver listens on loopback, which channels reach only when allowed.
      ALLOW_PRIVATE_TARGETS: '127.0.0.0/8',
    };
    const migrate = run('migrate', env);
    expect(await migrate.exited, migrate.output()).toBe(0);
    expect(migrate.output()).toContain('Migrations applied (Postgres)');

    const ports = await Promise.all([0, 1, 2, 3].map(() => freePort()));
    for (const i of [0, 1]) {
      const url = `http://127.0.0.1:${ports[i]}`;
      servers.push({ ...run('server', { ...env, PORT: String(ports[i]), BASE_URL: url }), url });
      const metricsUrl = `http://127.0.0.1:${ports[i + 2]}/metrics`;
      workers.push({
        ...run('worker', { ...env, METRICS_PORT: String(ports[i + 2]), SELF_PING_URL: `${http.url}/self/${i}` }),
        metricsUrl,
      });
    }
    await Promise.all([
      ...servers.map((server) => waitForOk(`${server.url}/readyz`, server)),
      ...workers.map((worker) => waitForOk(worker.metricsUrl, worker)),
    ]);
  }, 60_000);

  afterAll(async () => {
    for (const started of [...servers, ...workers]) started.child.kill('SIGTERM');
    await Promise.all([...servers, ...workers].map((started) => started.exited));
    await Promise.all([database?.close(), http?.close()]);
  });

  it('takes pings through both servers and sends exactly one webhook when the check goes down', async () => {
    const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
    const { projectId, channelIds } = await seedProject(database.db, { webhook: { url: `${http.url}/hook` } });
    const name = `deploy-${randomUUID().slice(0, 8)}`;
    const checkId = await seedCheck(database.db, projectId, channelIds, {
      name,
      schedule: { kind: 'period', period: 2 },
      grace: 1,
      state: { status: 'new' },
    });
    const pingCode = await pingCodeOf(database, checkId);
    expect((await fetch(`${a.url}/ping/${pingCode}`)).status).toBe(200);
    expect((await fetch(`${b.url}/ping/${pingCode}`)).status).toBe(200);
    const [row] = await database.db.select().from(checks).where(eq(checks.id, checkId));
    expect(row).toMatchObject({ status: 'up', nPings: 2 });

    const hooks = () => http.requests.filter((request) => request.path === '/hook' && JSON.parse(request.body).check.name === name);
    await eventually(() => hooks().length >= 1, 15_000, 'the down webhook');
    // Two workers share the sweep and the deliveries; give a duplicate time to show.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(hooks()).toHaveLength(1);
    expect((await database.db.select().from(checks).where(eq(checks.id, checkId)))[0]?.status).toBe('down');

    const sent = (await Promise.all(workers.map((worker) => scrape(worker.metricsUrl)))).reduce(
      (sum, text) => sum + sample(text, 'cronbeat_notifications_total{channel="webhook",outcome="sent"}'),
      0,
    );
    expect(sent).toBeGreaterThanOrEqual(1);
  });

  it('exposes metrics that change as pings arrive and sweeps run', async () => {
    const server = servers[1]!;
    const { projectId } = await seedProject(database.db, {});
    const checkId = await seedCheck(database.db, projectId, [], { state: { status: 'new' } });
    const pingCode = await pingCodeOf(database, checkId);
    const before = await scrape(`${server.url}/metrics`);
    const workerBefore = await scrape(workers[0]!.metricsUrl);
    for (let i = 0; i < 5; i++) expect((await fetch(`${server.url}/ping/${pingCode}`)).status).toBe(200);
    expect((await fetch(`${server.url}/ping/${pingCode}/start`)).status).toBe(200);
    const after = await scrape(`${server.url}/metrics`);
    expect(sample(after, 'cronbeat_pings_total{kind="success"}') - sample(before, 'cronbeat_pings_total{kind="success"}')).toBe(5);
    expect(sample(after, 'cronbeat_pings_total{kind="start"}') - sample(before, 'cronbeat_pings_total{kind="start"}')).toBe(1);
    expect(
      sample(after, 'cronbeat_ping_duration_seconds_count{code="200"}') -
        sample(before, 'cronbeat_ping_duration_seconds_count{code="200"}'),
    ).toBe(6);

    // Sweeps run about every second, on whichever worker BullMQ hands them to.
    const sweeps = (text: string) => sample(text, 'cronbeat_sweep_duration_seconds_count{outcome="ok"}');
    await eventually(
      async () => {
        const now = await Promise.all(workers.map((worker) => scrape(worker.metricsUrl)));
        return now.reduce((sum, text) => sum + sweeps(text), 0) > sweeps(workerBefore) + 1;
      },
      10_000,
      'more sweeps',
    );
    const workerText = await scrape(workers[0]!.metricsUrl);
    expect(workerText).toMatch(/^cronbeat_sweep_lag_seconds \d/m);
    expect(workerText).toMatch(/^cronbeat_queue_jobs\{queue="deliver",state="waiting"\} \d/m);
  });

  it('pings SELF_PING_URL after every sweep, from each worker that sweeps', async () => {
    const selfPings = (i: number) => http.requests.filter((request) => request.path === `/self/${i}`).length;
    await eventually(() => selfPings(0) + selfPings(1) >= 4, 10_000, 'self-pings');
    // A self-ping leaves right after its sweep is counted, so the two counts differ by at most the one in flight.
    for (const [i, worker] of workers.entries()) {
      const swept = sample(await scrape(worker.metricsUrl), 'cronbeat_sweep_duration_seconds_count{outcome="ok"}');
      expect(Math.abs(swept - selfPings(i))).toBeLessThanOrEqual(2);
    }
  });

  it('stops a server on SIGTERM within the bound, and every ping it answered 200 is stored', async () => {
    const server = servers[0]!;
    const { projectId } = await seedProject(database.db, {});
    const checkId = await seedCheck(database.db, projectId, [], { state: { status: 'new' } });
    const pingCode = await pingCodeOf(database, checkId);
    const answered: string[] = [];
    let refused = 0;
    let stopAt = 0;
    let next = 0;
    // Twenty clients ping back to back; the signal lands while they are at it.
    const client = async () => {
      while (stopAt === 0 || Date.now() < stopAt + 1500) {
        const body = `burst-${next++}`;
        try {
          const response = await fetch(`${server.url}/ping/${pingCode}`, { method: 'POST', body });
          if (response.status === 200) answered.push(body);
          await response.text();
        } catch {
          refused++;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
    };
    const clients = Array.from({ length: 20 }, client);
    await eventually(() => answered.length >= 200, 10_000, '200 answered pings');
    stopAt = Date.now();
    server.child.kill('SIGTERM');
    const code = await server.exited;
    const tookMs = Date.now() - stopAt;
    await Promise.all(clients);

    expect(code, server.output()).toBe(0);
    expect(tookMs).toBeLessThan(10_000);
    expect(refused).toBeGreaterThan(0);
    const stored = new Set(
      (await database.db.select({ body: pings.body }).from(pings).where(eq(pings.checkId, checkId))).map((row) => row.body),
    );
    const lost = answered.filter((body) => !stored.has(body));
    expect(lost).toEqual([]);
    expect(stored.size).toBeGreaterThanOrEqual(answered.length);
  });
});
