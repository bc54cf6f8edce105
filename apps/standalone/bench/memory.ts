/**
 * `npm run bench:memory`: how much memory each kind of Cronbeat process
 * holds once idle, each started as its npm script starts it
 * (`processes.ts`):
 *
 *   embedded, first start   `npm start` on a new data directory (PGlite's initdb runs)
 *   embedded, restart       `npm start` again on that data directory, its database empty
 *   embedded, N checks      `npm start` on that data directory holding N checks
 *   scaled server           `npm run start:server` on Postgres and Redis, with N checks
 *   scaled worker           `npm run start:worker` beside it
 *
 * Each figure is read `--seconds` after the process said it was ready; with
 * checks, after every check was pinged once (so the server knows them all,
 * as one that has run for a while does) and then pinged at random by many
 * clients for `--load` seconds, so what a burst of work leaves behind shows
 * too. It is the RSS and the peak RSS from /proc, and V8's heap and the
 * memory outside it (Buffers, PGlite's WebAssembly memory) from the
 * process's /metrics. The scaled processes need DATABASE_URL and REDIS_URL; they get
 * a database of their own on that server and a QUEUE_PREFIX of their own,
 * both removed at the end.
 *
 * Options: --seconds <n> idle before each reading (default 45), --checks <n>
 * (default 10,000), --load <seconds> of pings before idling (default 10),
 * --only embedded|scaled, --compiled to run the bundles of `npm run build:apps`
 * (as the image does) instead of the TypeScript through tsx.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { loadServices } from '@cronbeat/config';
import { createDb, type Database, migrate } from '@cronbeat/db';
import { describeReading, freePort, type MemoryReading, type Running, readMemory, startRole } from './processes';
import { dropRedisKeys } from './redis-keys';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '45' },
    checks: { type: 'string', default: '10000' },
    load: { type: 'string', default: '10' },
    compiled: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const IDLE_SECONDS = Number(args.seconds);
const CHECKS = Number(args.checks);
const LOAD_SECONDS = Number(args.load);
const COMPILED = args.compiled;
/** Pings in flight while every check is pinged once, and during the load. */
const PING_CONCURRENCY = 50;

/** Adds a project with `count` checks (hourly, so none falls due while measured); returns their ping codes. */
async function seedChecks(database: Database, count: number): Promise<string[]> {
  const text = `with project as (insert into projects (name, ping_key) values ('bench', '${randomBytes(16).toString('base64url')}') returning id)
    insert into checks (project_id, name, period, grace)
    select project.id, 'check ' || g, 3600, 3600 from project, generate_series(1, ${count}) g returning ping_code`;
  const rows =
    database.kind === 'pglite'
      ? (await database.client.query<{ ping_code: string }>(text)).rows
      : await database.client.unsafe<Array<{ ping_code: string }>>(text);
  return rows.map((row) => row.ping_code);
}

/**
 * Pings every check once, then checks at random for `seconds`, from
 * `PING_CONCURRENCY` clients; returns the random pings' rate per second.
 */
async function pingChecks(baseUrl: string, pingCodes: string[], seconds: number): Promise<number> {
  if (pingCodes.length === 0) return 0;
  let next = 0;
  let randomPings = 0;
  let loadStarted = 0;
  let loadEnds = 0;
  const failures: string[] = [];
  const ping = async (code: string) => {
    const answer = await fetch(`${baseUrl}/ping/${code}`);
    await answer.arrayBuffer();
    if (answer.status !== 200) failures.push(`${code}: ${answer.status}`);
  };
  const everyCheck = async () => {
    while (next < pingCodes.length) await ping(pingCodes[next++]!);
  };
  const atRandom = async () => {
    for (; performance.now() < loadEnds; randomPings++) await ping(pingCodes[Math.floor(Math.random() * pingCodes.length)]!);
  };
  const clients = Array.from({ length: PING_CONCURRENCY });
  await Promise.all(clients.map(everyCheck));
  loadStarted = performance.now();
  loadEnds = loadStarted + seconds * 1000;
  await Promise.all(clients.map(atRandom));
  if (failures.length > 0) throw new Error(`${failures.length} pings were not answered 200, e.g. ${failures[0]}`);
  return seconds > 0 ? Math.round(randomPings / ((performance.now() - loadStarted) / 1000)) : 0;
}

function report(name: string, running: Running, reading: MemoryReading, pingsPerSecond = 0) {
  const load = pingsPerSecond > 0 ? `, after ${LOAD_SECONDS} s of ${pingsPerSecond} pings/s` : '';
  console.log(
    `${name}: ${describeReading(reading)}; ready after ${running.startSeconds.toFixed(1)} s${load}, read ${IDLE_SECONDS} s later`,
  );
}

/** Runs `npm start` on `dataDir`, pings `pingCodes` once, waits, and reports. */
async function embedded(name: string, dataDir: string, pingCodes: string[] = []): Promise<MemoryReading> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const running = await startRole('embedded', { PORT: String(port), DATA_DIR: dataDir, BASE_URL: base }, COMPILED);
  try {
    const pingsPerSecond = await pingChecks(base, pingCodes, LOAD_SECONDS);
    await sleep(IDLE_SECONDS * 1000);
    const reading = await readMemory(running.child.pid!, `${base}/metrics`);
    report(name, running, reading, pingsPerSecond);
    return reading;
  } finally {
    await running.stop();
  }
}

async function embeddedCases(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cronbeat-bench-memory-'));
  try {
    await embedded('embedded, first start (new data directory)', dataDir);
    await embedded('embedded, restart (existing data, empty database)', dataDir);
    // Seeded while no Cronbeat has the directory open: PGlite allows one process.
    const database = await createDb({ databaseUrl: null, dataDir });
    const pingCodes = await seedChecks(database, CHECKS).finally(() => database.close());
    await embedded(`embedded, restart with ${CHECKS} checks`, dataDir, pingCodes);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function scaledCases(databaseServerUrl: string, redisUrl: string): Promise<void> {
  const name = `cronbeat_bench_memory_${randomBytes(4).toString('hex')}`;
  const databaseUrl = Object.assign(new URL(databaseServerUrl), { pathname: `/${name}` }).toString();
  const queuePrefix = name;
  const admin = await createDb({ databaseUrl: databaseServerUrl, dataDir: '', poolSize: 1 });
  if (admin.kind !== 'postgres') throw new Error('unreachable: a DATABASE_URL opens Postgres');
  await admin.client.unsafe(`create database ${name}`);
  const running: Running[] = [];
  try {
    const database = await createDb({ databaseUrl, dataDir: '', poolSize: 1 });
    const pingCodes = await (async () => {
      await migrate(database, databaseUrl);
      return seedChecks(database, CHECKS);
    })().finally(() => database.close());
    const env = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: queuePrefix };
    const serverPort = await freePort();
    const metricsPort = await freePort();
    const base = `http://127.0.0.1:${serverPort}`;
    const server = await startRole('server', { ...env, PORT: String(serverPort), BASE_URL: base }, COMPILED);
    running.push(server);
    const worker = await startRole('worker', { ...env, METRICS_PORT: String(metricsPort) }, COMPILED);
    running.push(worker);
    const pingsPerSecond = await pingChecks(base, pingCodes, LOAD_SECONDS);
    await sleep(IDLE_SECONDS * 1000);
    report(`scaled server, ${CHECKS} checks`, server, await readMemory(server.child.pid!, `${base}/metrics`), pingsPerSecond);
    const workerMetrics = `http://127.0.0.1:${metricsPort}/metrics`;
    report(`scaled worker, ${CHECKS} checks`, worker, await readMemory(worker.child.pid!, workerMetrics));
  } finally {
    await Promise.all(running.map((process) => process.stop()));
    await admin.client.unsafe(`drop database if exists ${name} with (force)`);
    await admin.close();
    await dropRedisKeys(redisUrl, queuePrefix);
  }
}

console.log(
  `bench:memory: ${COMPILED ? 'compiled bundles' : 'TypeScript through tsx, as the npm scripts run it'}; ` +
    `each figure ${IDLE_SECONDS} s after the process was ready; Node ${process.version}`,
);
if (args.only !== 'scaled') await embeddedCases();
if (args.only !== 'embedded') {
  const { databaseUrl, redisUrl } = loadServices();
  if (databaseUrl && redisUrl) await scaledCases(databaseUrl, redisUrl);
  else
    console.log(
      'scaled server and worker: not measured; set DATABASE_URL and REDIS_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres, redis://127.0.0.1:6379)',
    );
}
