/**
 * `npm run bench:alerts [-- --checks 1000 --totals 10000,100000,1000000 --wave 100000 --cases latency,sweep,wave]`:
 * (1) deadline → webhook received latency for N checks whose deadlines fall
 * in the next seconds, through the real worker in its own process, with the
 * in-process driver and, when REDIS_URL is set, with BullMQ; the receiver
 * runs here, so it does not compete with the worker for one event loop, as a
 * customer's endpoint would not; (2) the cost of one sweep pass with 1,000 due
 * checks among 10,000 … 1,000,000; (3) a wave: 100,000 checks due in the same
 * second (a top-of-the-hour `0 * * * *`), all notified to a local webhook
 * receiver, drained by 1 and by 2 worker processes (BullMQ when REDIS_URL is
 * set). Needs DATABASE_URL (creates and drops its own databases on that
 * server).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadServices } from '@cronbeat/config';
import { createDb, type Database, migrate, queryRows } from '@cronbeat/db';
import { startHttpReceiver } from '@cronbeat/notify/testing';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { DEFAULT_WORKER_OPTIONS, sweep } from '../src';

const { values } = parseArgs({
  options: {
    checks: { type: 'string', default: '1000' },
    totals: { type: 'string', default: '10000,100000,1000000' },
    wave: { type: 'string', default: '100000' },
    cases: { type: 'string', default: 'latency,sweep,wave' },
  },
});
const cases = new Set(values.cases.split(','));
const { databaseUrl, redisUrl } = loadServices();
if (!databaseUrl) throw new Error('set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)');
const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });

async function withDatabase<T>(run: (database: Database, url: string) => Promise<T>): Promise<T> {
  const name = `cronbeat_bench_${randomBytes(4).toString('hex')}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(databaseUrl as string);
  url.pathname = `/${name}`;
  // Seeding a million checks may outlast the pool's 30 s statement timeout on a busy machine: the bench's own writes need none.
  const database = await createDb({ databaseUrl: url.toString(), dataDir: '', statementTimeoutMs: 0 });
  try {
    await migrate(database, url.toString());
    return await run(database, url.toString());
  } finally {
    await database.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function project(database: Database): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    database.db,
    sql`insert into projects (name, ping_key) values ('bench', ${randomBytes(8).toString('hex')}) returning id`,
  );
  return row!.id;
}

async function webhookChannel(database: Database, projectId: string, url: string): Promise<string> {
  const [channel] = await queryRows<{ id: string }>(
    database.db,
    sql`insert into channels (project_id, kind, name, config) values (${projectId}, 'webhook', 'bench', ${JSON.stringify({ url })}::jsonb) returning id`,
  );
  return channel!.id;
}

/** Worker processes on the bench database, one BullMQ prefix between them; resolves once all are ready, with how to stop them. */
async function spawnWorkers(databaseUrl: string, count: number, redis: string | null): Promise<() => Promise<void>> {
  const entry = fileURLToPath(new URL('../test/support/worker-process.ts', import.meta.url));
  const options = { queuePrefix: `cronbeat-bench-${randomBytes(4).toString('hex')}` };
  const children = await Promise.all(
    Array.from({ length: count }, async () => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', entry, JSON.stringify({ databaseUrl, redisUrl: redis, smtpUrl: null, options })],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
        child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
      });
      return child;
    }),
  );
  return async () => {
    await Promise.all(
      children.map((child) => {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        return exited;
      }),
    );
  };
}

async function latency(count: number, redis: string | null): Promise<void> {
  await withDatabase(async (database, databaseUrl) => {
    const receiver = await startHttpReceiver();
    const received = new Map<string, number>();
    receiver.respond = (request) => {
      received.set(JSON.parse(request.body).check.name, Date.now());
      return { status: 200 };
    };
    const stopWorker = await spawnWorkers(databaseUrl, 1, redis);
    const projectId = await project(database);
    const channelId = await webhookChannel(database, projectId, `${receiver.url}/hook`);
    // Deadlines spread over 5 s starting 2 s from now, so they land at every phase of any timer.
    const base = Date.now() + 2000;
    const spreadMs = 5000;
    // Checks and their channel in one statement: a sweep in between would flip checks that notify no one.
    await database.db.execute(sql`
      with seeded as (
        insert into checks (project_id, name, period, grace, status, last_ping, next_due, alert_after, sweep_at)
        select ${projectId}, 'bench-' || n, 60, 60, 'late', now() - interval '1 minute', now() - interval '1 second', deadline, deadline
          from generate_series(0, ${count - 1}) as n,
               to_timestamp((${base}::bigint + n * ${spreadMs / count}::double precision) / 1000) as deadline
        returning id)
      insert into check_channels (check_id, channel_id) select id, ${channelId}::uuid from seeded`);
    const deadline = Date.now() + 30_000;
    while (received.size < count && Date.now() < deadline) await sleep(100);
    await stopWorker();
    await receiver.close();
    const deadlineOf = (name: string) => base + Number(name.slice(6)) * (spreadMs / count);
    const latencies = [...received].map(([name, at]) => at - deadlineOf(name)).sort((a, b) => a - b);
    // Where the time went: deadline → flip committed by the sweep, and flip → delivery recorded.
    const stages = await queryRows<{ name: string; flipped: string | Date; sent: string | Date | null }>(
      database.db,
      sql`select checks.name, flips.created_at as flipped, notifications.sent_at as sent
            from flips join checks on checks.id = flips.check_id join notifications on notifications.flip_id = flips.id
           where flips.to_status = 'down'`,
    );
    const swept = stages.map((row) => new Date(row.flipped).getTime() - deadlineOf(row.name)).sort((a, b) => a - b);
    const sent = stages
      .filter((row) => row.sent !== null)
      .map((row) => new Date(row.sent as string).getTime() - new Date(row.flipped).getTime())
      .sort((a, b) => a - b);
    console.log(
      `deadline → webhook, ${count} checks, ${redis ? 'bullmq' : 'in-process'} driver (worker process), sweep woken at each due time: ` +
        `received ${received.size}, p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms ` +
        `(deadline → flip p50 ${percentile(swept, 50)} ms, p99 ${percentile(swept, 99)} ms; flip → sent p50 ${percentile(sent, 50)} ms, p99 ${percentile(sent, 99)} ms)`,
    );
  });
}

async function sweepCost(total: number, due = 1000): Promise<void> {
  await withDatabase(async (database) => {
    const projectId = await project(database);
    const seedStarted = Date.now();
    await database.db.execute(sql`
      insert into checks (project_id, name, period, grace, status, last_ping, next_due, alert_after, sweep_at)
      select ${projectId}, 'c' || n, 86400, 3600, 'up', now(), now() + interval '1 day' + n * interval '1 millisecond',
             now() + interval '1 day 1 hour' + n * interval '1 millisecond', now() + interval '1 day' + n * interval '1 millisecond'
        from generate_series(1, ${total - due}) as n`);
    await database.db.execute(sql`vacuum analyze checks`);
    const seconds = ((Date.now() - seedStarted) / 1000).toFixed(1);
    const timings: number[] = [];
    for (let round = 0; round < 5; round++) {
      // 1,000 checks past their deadline, re-armed every round.
      await database.db.execute(sql`delete from checks where name like 'due-%'`);
      await database.db.execute(sql`
        insert into checks (project_id, name, period, grace, status, last_ping, next_due, alert_after, sweep_at)
        select ${projectId}, 'due-' || n, 60, 60, 'late', now() - interval '3 minutes', now() - interval '2 minutes',
               now() - interval '1 second', now() - interval '1 second'
          from generate_series(1, ${due}) as n`);
      const started = performance.now();
      const result = await sweep(database.db, { batchSize: DEFAULT_WORKER_OPTIONS.batchSize });
      timings.push(performance.now() - started);
      if (result.flips !== due) throw new Error(`expected ${due} flips, got ${result.flips}`);
    }
    timings.sort((a, b) => a - b);
    console.log(
      `one sweep, ${due} due among ${total.toLocaleString('en')} checks (seeded in ${seconds} s): ` +
        `median ${timings[2]?.toFixed(1)} ms, min ${timings[0]?.toFixed(1)} ms, max ${timings[4]?.toFixed(1)} ms`,
    );
  });
}

/** A webhook receiver that only counts: 100,000 stored requests would measure this process, not the worker. */
async function countingReceiver(): Promise<{ url: string; count: () => number; lastAt: () => number; close: () => Promise<void> }> {
  let count = 0;
  let lastAt = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      count += 1;
      lastAt = Date.now();
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    count: () => count,
    lastAt: () => lastAt,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function wave(count: number, workers: number, redis: string | null): Promise<void> {
  await withDatabase(async (database, databaseUrl) => {
    const receiver = await countingReceiver();
    const projectId = await project(database);
    const channelId = await webhookChannel(database, projectId, receiver.url);
    // Seeded far from due, then all made due in the same second once the workers run.
    await database.db.execute(sql`
      with seeded as (
        insert into checks (project_id, name, cron, grace, status, last_ping, next_due, alert_after, sweep_at)
        select ${projectId}, 'wave-' || n, '0 * * * *', 60, 'late', now() - interval '1 hour', now() + interval '1 day',
               now() + interval '1 day', now() + interval '1 day'
          from generate_series(1, ${count}) as n
        returning id)
      insert into check_channels (check_id, channel_id) select id, ${channelId}::uuid from seeded`);
    await database.db.execute(sql`vacuum analyze`);
    const stopWorkers = await spawnWorkers(databaseUrl, workers, redis);
    const due = Date.now() + 3000;
    const at = new Date(due).toISOString();
    await database.db.execute(sql`update checks set alert_after = ${at}::timestamptz, sweep_at = ${at}::timestamptz`);
    const deadline = due + 600_000;
    let swept: number | null = null;
    while (receiver.count() < count && Date.now() < deadline) {
      // Once a second, and stopping at the first check not yet down: this look must not slow what it measures.
      await sleep(swept === null ? 1000 : 200);
      if (swept === null) {
        const left = await queryRows(database.db, sql`select 1 from checks where status <> 'down' limit 1`);
        if (left.length === 0) swept = Date.now() - due;
      }
    }
    await stopWorkers();
    await receiver.close();
    console.log(
      `wave: ${count.toLocaleString('en')} checks due in the same second, ${workers} worker process${workers > 1 ? 'es' : ''} ` +
        `(${redis ? 'bullmq' : 'in-process'} driver): all swept after ${swept === null ? '?' : (swept / 1000).toFixed(1)} s, ` +
        `${receiver.count().toLocaleString('en')} webhooks received, the last ${((receiver.lastAt() - due) / 1000).toFixed(1)} s after the deadline`,
    );
  });
}

try {
  if (cases.has('latency')) {
    await latency(Number(values.checks), null);
    if (redisUrl) await latency(Number(values.checks), redisUrl);
  }
  if (cases.has('sweep')) for (const total of values.totals.split(',').map(Number)) await sweepCost(total);
  if (cases.has('wave')) for (const workers of [1, 2]) await wave(Number(values.wave), workers, redisUrl);
} finally {
  await admin.end();
}
