/**
 * `npm run bench:alerts [-- --checks 1000]`: (1) deadline → webhook received
 * latency for N checks whose deadlines fall in the next seconds, through the
 * real worker in its own process, as deployed (BullMQ when REDIS_URL is set,
 * else in-process); the receiver runs here, so it does not compete with the
 * worker for one event loop, as a customer's endpoint would not; (2) the cost of
 * one sweep with 1,000 due checks among 10,000 … 1,000,000. Needs DATABASE_URL
 * (creates and drops its own databases on that server).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadServices } from '@cronbeat/config';
import { createDb, type Database, migrate, queryRows } from '@cronbeat/db';
import { startHttpReceiver } from '@cronbeat/notify/testing';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { DEFAULT_WORKER_OPTIONS, sweep } from '../src';

const { values } = parseArgs({
  options: { checks: { type: 'string', default: '1000' }, totals: { type: 'string', default: '10000,100000,1000000' } },
});
const { databaseUrl, redisUrl } = loadServices();
if (!databaseUrl) throw new Error('set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)');
const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });

async function withDatabase<T>(run: (database: Database, url: string) => Promise<T>): Promise<T> {
  const name = `cronbeat_bench_${randomBytes(4).toString('hex')}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(databaseUrl as string);
  url.pathname = `/${name}`;
  const database = await createDb({ databaseUrl: url.toString(), dataDir: '' });
  try {
    await migrate(database, url.toString());
    return await run(database, url.toString());
  } finally {
    await database.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function project(database: Database): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    database.db,
    sql`insert into projects (name, ping_key) values ('bench', ${randomBytes(8).toString('hex')}) returning id`,
  );
  return row!.id;
}

/** A worker process on the bench database; resolves once it is ready, with how to stop it. */
async function spawnWorker(databaseUrl: string): Promise<() => Promise<void>> {
  const entry = fileURLToPath(new URL('../test/support/worker-process.ts', import.meta.url));
  const options = { queuePrefix: `cronbeat-bench-${randomBytes(4).toString('hex')}` };
  const child = spawn(process.execPath, ['--import', 'tsx', entry, JSON.stringify({ databaseUrl, redisUrl, smtpUrl: null, options })], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
  });
  return async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
}

async function latency(count: number): Promise<void> {
  await withDatabase(async (database, databaseUrl) => {
    const receiver = await startHttpReceiver();
    const received = new Map<string, number>();
    receiver.respond = (request) => {
      received.set(JSON.parse(request.body).check.name, Date.now());
      return { status: 200 };
    };
    const stopWorker = await spawnWorker(databaseUrl);
    const projectId = await project(database);
    const [channel] = await queryRows<{ id: string }>(
      database.db,
      sql`insert into channels (project_id, kind, name, config) values (${projectId}, 'webhook', 'bench', ${JSON.stringify({ url: `${receiver.url}/hook` })}::jsonb) returning id`,
    );
    // Deadlines spread over 5 s starting 2 s from now, so they land at every phase of the sweep interval.
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
      insert into check_channels (check_id, channel_id) select id, ${channel!.id}::uuid from seeded`);
    const deadline = Date.now() + 30_000;
    while (received.size < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await stopWorker();
    await receiver.close();
    const latencies = [...received].map(([name, at]) => at - (base + Number(name.slice(6)) * (spreadMs / count))).sort((a, b) => a - b);
    console.log(
      `deadline → webhook, ${count} checks, ${redisUrl ? 'bullmq' : 'in-process'} driver (worker process), sweep at each due time (idle sleep at most ${DEFAULT_WORKER_OPTIONS.maxSleepMs} ms): ` +
        `received ${received.size}, p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms`,
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

try {
  await latency(Number(values.checks));
  for (const total of values.totals.split(',').map(Number)) await sweepCost(total);
} finally {
  await admin.end();
}
