/**
 * Fault (c): Redis taken away for 30 s and brought back. A server and a
 * worker run in their own processes, started as docker-compose starts them,
 * on real Postgres (a database of their own) and a real Redis (a key prefix
 * of their own) that they reach only through a loopback TCP proxy; cutting
 * the proxy resets every connection and refuses new ones. During the outage
 * a job keeps pinging, one check's deadline passes and another gets a `fail`
 * ping. What must hold: every ping is answered 200 and stored; both alerts
 * reach a real HTTP receiver once, after Redis is back; the worker's /readyz
 * is 503 while Redis is away and 200 again after; the worker said "Redis
 * unreachable" once, through pino.
 */
import { isCi, loadServices } from '@cronbeat/config';
import { checks, type Database, pings } from '@cronbeat/db';
import { openTestDatabase } from '@cronbeat/db/testing';
import { eventually, type HttpReceiver, startHttpReceiver } from '@cronbeat/notify/testing';
import { startTcpProxy, type TcpProxy } from '@cronbeat/runtime';
import { freePort } from '@cronbeat/runtime/testing';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CronbeatProcess, run, waitForOk } from '../support/deployment';
import { seedCheck, seedProject, testRedisUrl, uniquePrefix } from '../support/seed';

const redisUrl = testRedisUrl();
const { databaseUrl } = loadServices();
if (!databaseUrl && isCi()) throw new Error('CI=true but DATABASE_URL is not set: fault (c) would be skipped');

/** How long Redis stays away, in milliseconds. */
const OUTAGE_MS = 30_000;
/** How often the job pings and the orchestrator asks /readyz, in milliseconds. */
const EVERY_MS = 250;
/** Longest anything may wait for an answer, in milliseconds: a hang is a failure, not a slow test. */
const ANSWER_MS = 5000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The status of a GET, or 0 when none came within ANSWER_MS. */
const statusOf = (url: string): Promise<number> =>
  fetch(url, { signal: AbortSignal.timeout(ANSWER_MS) }).then(
    async (response) => {
      await response.body?.cancel();
      return response.status;
    },
    () => 0,
  );

/** A process's pino output as parsed lines; a line that is not JSON (a raw stack trace, a console print) fails the test. */
function logLines(started: CronbeatProcess): Array<{ level: number; msg: string }> {
  return started
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as { level: number; msg: string };
      } catch {
        throw new Error(`not a pino line: ${line}`);
      }
    });
}

describe.skipIf(!databaseUrl || !redisUrl)('fault (c): Redis away for 30 s behind a TCP proxy', () => {
  let database: Database & { url: string | null };
  let http: HttpReceiver;
  let proxy: TcpProxy;
  let server: CronbeatProcess & { url: string };
  let worker: CronbeatProcess & { url: string };
  /** Webhook calls, with when they arrived. */
  const arrivals: Array<{ at: number; name: string }> = [];

  beforeAll(async () => {
    const redis = new URL(redisUrl ?? '');
    [database, http, proxy] = await Promise.all([
      openTestDatabase('postgres'),
      startHttpReceiver(),
      startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) }),
    ]);
    http.respond = (request) => {
      arrivals.push({ at: Date.now(), name: JSON.parse(request.body).check.name });
      return { status: 200 };
    };
    const env = {
      DATABASE_URL: database.url ?? '',
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
      QUEUE_PREFIX: uniquePrefix('fault-c'),
      HOST: '127.0.0.1',
    };
    const [serverPort, workerPort] = await Promise.all([freePort(), freePort()]);
    const serverUrl = `http://127.0.0.1:${serverPort}`;
    server = { ...run('server', { ...env, PORT: String(serverPort), BASE_URL: serverUrl, LOG_LEVEL: 'warn' }), url: serverUrl };
    worker = {
      // The alerts go to a receiver on loopback, which the network guard refuses unless allowed.
      ...run('worker', { ...env, METRICS_PORT: String(workerPort), LOG_LEVEL: 'info', ALLOW_PRIVATE_TARGETS: '127.0.0.0/8' }),
      url: `http://127.0.0.1:${workerPort}`,
    };
    await Promise.all([waitForOk(`${server.url}/readyz`, server), waitForOk(`${worker.url}/readyz`, worker)]);
  }, 30_000);

  afterAll(async () => {
    await proxy?.restore();
    for (const started of [server, worker]) started?.child.kill('SIGTERM');
    await Promise.all([server?.exited, worker?.exited]);
    await Promise.all([database?.close(), http?.close(), proxy?.close()]);
  });

  it('keeps taking pings, says the worker is not ready, and delivers the alerts of the outage once when Redis is back', async () => {
    const { projectId, channelIds } = await seedProject(database.db, { webhook: { url: `${http.url}/hook` } });
    const schedule = { kind: 'period' as const, period: 60 };
    const pingCodeOf = async (checkId: string) =>
      (await database.db.select({ pingCode: checks.pingCode }).from(checks).where(eq(checks.id, checkId)))[0]?.pingCode;
    // Pinged all along: must stay up, every ping stored.
    const steadyId = await seedCheck(database.db, projectId, channelIds, {
      name: 'steady-job',
      schedule,
      grace: 60,
      state: { lastPing: new Date() },
    });
    // Its deadline (last ping + period + grace) passes 8 s into the outage.
    await seedCheck(database.db, projectId, channelIds, {
      name: 'missed-during-outage',
      schedule,
      grace: 60,
      state: { lastPing: new Date(Date.now() - 120_000 + 8000) },
    });
    // Reports a failure during the outage: a flip the server writes.
    const failingId = await seedCheck(database.db, projectId, channelIds, {
      name: 'failed-during-outage',
      schedule,
      grace: 60,
      state: { lastPing: new Date() },
    });
    const expectedAlerts = ['missed-during-outage', 'failed-during-outage'];
    const [steadyCode, failingCode] = await Promise.all([pingCodeOf(steadyId), pingCodeOf(failingId)]);
    expect((await fetch(`${worker.url}/readyz`)).status).toBe(200);

    // The outage. The orchestrator asks /readyz and the job pings, both every EVERY_MS, until the worker is ready again.
    const cutAt = Date.now();
    await proxy.cut();
    let restoredAt = Number.POSITIVE_INFINITY;
    const readiness: Array<{ at: number; status: number }> = [];
    let readyAgain = false;
    const asking = (async () => {
      while (!readyAgain) {
        const at = Date.now();
        const status = await statusOf(`${worker.url}/readyz`);
        readiness.push({ at, status });
        if (at > restoredAt && status === 200) readyAgain = true;
        else await sleep(EVERY_MS);
      }
    })();
    const pingStatuses: number[] = [];
    const pinging = (async () => {
      while (Date.now() - cutAt < OUTAGE_MS) {
        pingStatuses.push(await statusOf(`${server.url}/ping/${steadyCode}`));
        await sleep(EVERY_MS);
      }
    })();
    await sleep(4000);
    expect(await statusOf(`${server.url}/ping/${failingCode}/fail`)).toBe(200);
    const serverReadiness = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(ANSWER_MS) });
    expect(serverReadiness.status).toBe(200);
    expect(await serverReadiness.json()).toMatchObject({ status: 'degraded', database: 'ok', redis: 'unreachable' });
    await pinging;
    await sleep(cutAt + OUTAGE_MS - Date.now());
    // Nothing was sent while Redis was away: the worker does not sweep without it.
    expect(arrivals).toEqual([]);
    restoredAt = Date.now();
    await proxy.restore();

    await asking;
    await eventually(
      () => expectedAlerts.every((name) => arrivals.some((arrival) => arrival.name === name)),
      20_000,
      'the alerts of the outage',
    );
    // Time for a duplicate to show: a few sweeps and a delivery retry.
    await sleep(2500);

    // Pings: all answered 200, all stored.
    const accepted = pingStatuses.filter((status) => status === 200).length;
    const [stored] = await database.db.select({ n: count() }).from(pings).where(eq(pings.checkId, steadyId));
    expect(pingStatuses.length).toBeGreaterThanOrEqual(OUTAGE_MS / (EVERY_MS + 100));
    expect(accepted).toBe(pingStatuses.length);
    expect(stored?.n).toBe(accepted);
    const [steady] = await database.db.select({ status: checks.status }).from(checks).where(eq(checks.id, steadyId));
    expect(steady?.status).toBe('up');

    // Alerts: each once, none before Redis was back, none for the check that kept pinging.
    const names = arrivals.map((arrival) => arrival.name).sort();
    expect(names).toEqual([...expectedAlerts].sort());
    expect(arrivals.every((arrival) => arrival.at >= restoredAt)).toBe(true);
    const duplicates = arrivals.length - new Set(names).size;

    // Readiness: 200 before, 503 from within seconds of the cut until Redis was back, then 200.
    const during = readiness.filter((sample) => sample.at < restoredAt);
    const firstNotReady = during.find((sample) => sample.status === 503);
    expect(firstNotReady, JSON.stringify(readiness.slice(0, 5))).toBeDefined();
    expect((firstNotReady?.at ?? Number.POSITIVE_INFINITY) - cutAt).toBeLessThan(ANSWER_MS);
    expect(during.filter((sample) => sample.at >= (firstNotReady?.at ?? 0)).every((sample) => sample.status === 503)).toBe(true);
    const readyAt = readiness.at(-1);
    expect(readyAt?.status).toBe(200);
    expect((readyAt?.at ?? Number.POSITIVE_INFINITY) - restoredAt).toBeLessThan(10_000);
    const notReadyFor = ((readyAt?.at ?? 0) - (firstNotReady?.at ?? 0)) / 1000;

    // Logs: one line for the outage from each process, through pino, and nothing else printed.
    const workerLines = logLines(worker);
    const unreachable = workerLines.filter((line) => line.msg.startsWith('Redis unreachable'));
    expect(unreachable).toHaveLength(1);
    expect(workerLines.filter((line) => line.msg === 'Redis reachable again')).toHaveLength(1);
    expect(workerLines.filter((line) => line.level >= 40).map((line) => line.msg)).toEqual([unreachable[0]?.msg]);
    expect(logLines(server).filter((line) => line.msg.startsWith('Redis unreachable'))).toHaveLength(1);

    console.log(
      `fault (c): outage ${OUTAGE_MS / 1000} s, pings ${stored?.n}/${pingStatuses.length} stored, ` +
        `alerts delivered ${arrivals.length} (expected ${expectedAlerts.length}, duplicates ${duplicates}), ` +
        `worker not-ready for ${notReadyFor.toFixed(1)} s, log lines ${unreachable.length}`,
    );
  }, 75_000);
});
