/**
 * `npm run bench:ping`: ping ingestion against its ceiling, on real Postgres.
 *
 * Creates a throwaway database on the DATABASE_URL server with 10,000
 * checks (every other one with alert policies set), then, with the servers and the load generator (`load.ts`) each in
 * its own process (`processes.ts`): rounds of the bare one-UPDATE baseline and Cronbeat at
 * full load, each of them at half its own peak rate (for p99), and a hot set
 * of 200 checks pinged by many clients (for deadlocks and lost pings). Every
 * Cronbeat run compares the pings stored with the 200s received, and on
 * Linux every run reports the server's, a local Postgres's and the load
 * generator's CPU time per request: on a shared machine that is steadier
 * than requests per second, which move with whatever else the machine is
 * doing. Every run also reports the server's garbage collections and how
 * long they paused it, which is what sets p99 at half the peak rate.
 * Drops the database.
 *
 * Options: --seconds <n> per run (default 10), --connections <n> (default 100),
 * --rounds <n> of baseline-then-Cronbeat (default 2).
 */
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadServices } from '@cronbeat/config';
import { createDb, migrate } from '@cronbeat/db';
import postgres from 'postgres';
import type { LoadOptions } from './load';
import { runLoad, type Server, withServer } from './processes';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '2' },
  },
});
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const ROUNDS = Number(args.rounds);
const CHECKS = 10_000;
const HOT_CHECKS = 200;
const HOT_CONNECTIONS = 200;

const serverUrl = loadServices().databaseUrl;
if (!serverUrl) throw new Error('bench:ping needs real Postgres: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)');
const dbName = `cronbeat_bench_${randomBytes(4).toString('hex')}`;
const dbUrl = Object.assign(new URL(serverUrl), { pathname: `/${dbName}` }).toString();
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
const idsFile = join(tmpdir(), `${dbName}-ids.json`);
const hotIdsFile = join(tmpdir(), `${dbName}-hot.json`);

/** Runs the load generator for the bench's run length unless told otherwise (see `runLoad`). */
const load = (options: Omit<LoadOptions, 'seconds'> & { seconds?: number }, server?: Server) =>
  runLoad({ seconds: SECONDS, ...options }, server);

/**
 * What the database holds: pings stored (and the newest id), pings counted
 * on checks, deadlocks so far, and check row updates, of them in place (HOT).
 */
async function counters(db: postgres.Sql) {
  const [row] = await db`select (select count(*) from pings)::int as pings, (select coalesce(max(id), 0) from pings)::bigint as last_id,
      (select sum(n_pings) from checks)::int as n_pings, d.deadlocks::int as deadlocks,
      t.n_tup_upd::int as updates, t.n_tup_hot_upd::int as hot_updates
    from pg_stat_database d, pg_stat_user_tables t where d.datname = current_database() and t.relname = 'checks'`;
  return row as { pings: number; last_id: string; n_pings: number; deadlocks: number; updates: number; hot_updates: number };
}

async function measured(db: postgres.Sql, server: Server, options: Omit<LoadOptions, 'seconds' | 'url'>) {
  // pg_stat_database shows a backend's deadlocks up to a second late: settle before each reading.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1100));
  // The last run left dead check rows behind: vacuum now, so autovacuum does not land in this one.
  await db`vacuum (analyze) checks, pings`;
  await settle();
  const before = await counters(db);
  const result = await load({ url: server.url, ...options }, server);
  await settle();
  const after = await counters(db);
  // Every batch is one transaction, so its pings share an xmin.
  const [{ transactions }] =
    (await db`select count(distinct xmin::text)::int as transactions from pings where id > ${before.last_id}`) as unknown as [
      { transactions: number },
    ];
  const stored = after.pings - before.pings;
  return {
    ...result,
    stored,
    counted: after.n_pings - before.n_pings,
    deadlocks: after.deadlocks - before.deadlocks,
    hotUpdates: (after.hot_updates - before.hot_updates) / Math.max(1, after.updates - before.updates),
    pingsPerCommit: stored / Math.max(1, transactions),
  };
}

type Run = Awaited<ReturnType<typeof measured>>;

/** How long the server's collections paused it over a run (`GC 15 young 181 ms, 1 old 13 ms`), else nothing. */
function gcPauses({ gc }: Run): string[] {
  return gc ? [`GC ${gc.young} young ${gc.youngMs} ms, ${gc.old} old ${gc.oldMs} ms`] : [];
}

/** What one request cost in CPU, where it could be read (`CPU server 120 µs + Postgres 110 µs per ping`), else nothing. */
function cpuCost({ cpu }: Run, per: string): string[] {
  const parts: string[] = [];
  if (cpu.server !== null) parts.push(`server ${cpu.server} µs`);
  if (cpu.postgres !== null) parts.push(`Postgres ${cpu.postgres} µs`);
  if (parts.length === 0) return [];
  return [`CPU ${parts.join(' + ')} per ${per}${cpu.load === null ? '' : ` (load generator ${cpu.load} µs)`}`];
}

function report(name: string, run: Run) {
  const exact = run.stored === run.pingsOk && run.counted === run.pingsOk;
  console.log(
    `${name}: ${run.pingsPerSecond} pings/s, p50 ${run.p50} ms, p99 ${run.p99} ms, max ${run.max} ms | ` +
      `200s ${run.pingsOk}, stored ${run.stored}, n_pings +${run.counted} ${exact ? '(equal)' : '(MISMATCH)'} | ` +
      `other ${JSON.stringify(run.otherStatuses)}, errors ${run.errors}, timeouts ${run.timeouts}, ` +
      [
        `deadlocks ${run.deadlocks}`,
        `${run.pingsPerCommit.toFixed(1)} pings per transaction`,
        `${Math.round(run.hotUpdates * 100)}% of check updates in place (HOT)`,
        ...cpuCost(run, 'ping'),
        ...gcPauses(run),
      ].join(', '),
  );
  return exact;
}

async function main() {
  await admin.unsafe(`create database ${dbName}`);
  const bench = postgres(dbUrl, { max: 2, onnotice: () => {} });
  try {
    const database = await createDb({ databaseUrl: dbUrl, dataDir: '' });
    await migrate(database, dbUrl);
    await database.close();
    const [project] =
      await bench`insert into projects (name, ping_key) values ('bench', ${randomBytes(16).toString('base64url')}) returning id`;
    // Pings address checks by ping code; the baseline looks them up by the same unique index.
    // Every other check sets each alert policy a success ping reads (thresholds, keywords,
    // overlapping runs, unusual durations), so the load carries their columns and run record.
    const ids = (
      await bench`insert into checks (project_id, name, period, grace, failure_threshold, recovery_threshold,
                                      success_keywords, failure_keywords, max_concurrent_runs, duration_anomaly)
        select ${project!.id}, 'check ' || g, 60, 60, p.failure_threshold, p.recovery_threshold,
               p.success_keywords, p.failure_keywords, p.max_concurrent_runs, p.duration_anomaly
          from generate_series(1, ${CHECKS}) g
          cross join lateral (
            select 3 as failure_threshold, 2 as recovery_threshold, '{done}'::text[] as success_keywords,
                   '{error,traceback}'::text[] as failure_keywords, 2 as max_concurrent_runs,
                   '{"mode":"auto","factor":3}'::jsonb as duration_anomaly
             where g % 2 = 0
            union all
            select 1, 1, '{}', '{}', null, null where g % 2 = 1
          ) p
        returning ping_code`
    ).map((row) => row.ping_code as string);
    writeFileSync(idsFile, JSON.stringify(ids));
    writeFileSync(hotIdsFile, JSON.stringify(ids.slice(0, HOT_CHECKS)));
    console.log(
      `database ${dbName}: ${CHECKS} checks; ${SECONDS} s per run, ${CONNECTIONS} connections; server and load in separate processes`,
    );

    // The two servers take turns under load, so a noisy neighbour on the
    // machine hits both sides of the ratio alike, and each turn gets a fresh
    // server, warmed up first: the baseline writes every check, which leaves
    // each check a Cronbeat server knows out of date, and postgres.js 3.4
    // slows down for as long as a process lives once more queries are in
    // flight than it has connections, which the baseline always has (its
    // connection queues grow a slot per query and are searched linearly).
    //
    // The warm-up pings every check once, then loads the server for a few
    // seconds. A server that has run for a while has seen each of its checks,
    // so it writes their pings without reading them first; without this a
    // fifth of the measured run's checks would still be new to the server.
    // The baseline gets the same warm-up. Cronbeat's also takes the checks up.
    //
    // A checkpoint comes first, so none lands in the measured run, and the
    // warm-up then writes every page once: Postgres logs a page's full image
    // on its first write after a checkpoint (once per page every few minutes
    // in a steady state), and those fall in the warm-up, not in the run.
    const warm = <T>(mode: 'cronbeat' | 'baseline', run: (server: Server) => Promise<T>) =>
      withServer(mode, dbUrl, async (server) => {
        await bench`checkpoint`;
        const { url } = server;
        const prefix = mode === 'baseline' ? '/baseline/' : '/ping/';
        const everyCheck = await load({ url, prefix, idsFile, connections: CONNECTIONS, everyId: true });
        if (everyCheck.pingsOk !== CHECKS) throw new Error(`${mode} warm-up: ${everyCheck.pingsOk} of ${CHECKS} checks answered 200`);
        await load({ url, prefix, idsFile, connections: CONNECTIONS, seconds: 3 });
        return run(server);
      });
    const rounds: Array<{ baseline: Run; peak: Run }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      const baseline = await warm('baseline', (server) =>
        measured(bench, server, { prefix: '/baseline/', idsFile, connections: CONNECTIONS }),
      );
      const peak = await warm('cronbeat', (server) => measured(bench, server, { prefix: '/ping/', idsFile, connections: CONNECTIONS }));
      const baselineDetails = [
        `p50 ${baseline.p50} ms`,
        `p99 ${baseline.p99} ms`,
        ...cpuCost(baseline, 'request'),
        ...gcPauses(baseline),
      ].join(', ');
      const peakDetails = cpuCost(peak, 'ping')
        .map((cost) => ` (${cost})`)
        .join('');
      const ratio = (peak.pingsPerSecond / baseline.pingsPerSecond).toFixed(2);
      console.log(
        `round ${round + 1}: baseline ${baseline.pingsPerSecond} req/s (${baselineDetails}), cronbeat ${peak.pingsPerSecond} pings/s${peakDetails}: ratio ${ratio}`,
      );
      rounds.push({ baseline, peak });
    }
    const peakRate = Math.round(rounds.reduce((sum, r) => sum + r.peak.pingsPerSecond, 0) / ROUNDS);
    // The same machine's floor for p99: the bare route at half its own peak
    // pays for a commit per request too, and so meets every stall of the disk.
    const baselineRate = Math.round(rounds.reduce((sum, r) => sum + r.baseline.pingsPerSecond, 0) / ROUNDS);
    const baselineHalf = await warm('baseline', (server) =>
      measured(bench, server, { prefix: '/baseline/', idsFile, connections: CONNECTIONS, rate: Math.round(baselineRate / 2) }),
    );
    const results = await warm('cronbeat', async (server) => {
      const half = await measured(bench, server, { prefix: '/ping/', idsFile, connections: CONNECTIONS, rate: Math.round(peakRate / 2) });
      const hot = await measured(bench, server, { prefix: '/ping/', idsFile: hotIdsFile, connections: HOT_CONNECTIONS });
      return { rounds, peakRate, half, hot };
    });
    const sum = (runs: Run[]) => runs.reduce((total, run) => total + run.pingsOk, 0);
    const ratio = sum(results.rounds.map((r) => r.peak)) / sum(results.rounds.map((r) => r.baseline));
    const exact = [
      ...results.rounds.map((r, i) => report(`cronbeat, full load, round ${i + 1}`, r.peak)),
      report(`cronbeat, half peak (${Math.round(results.peakRate / 2)}/s)`, results.half),
      report(`cronbeat, hot set (${HOT_CHECKS} checks, ${HOT_CONNECTIONS} connections)`, results.hot),
    ].every(Boolean);
    console.log(`ratio to baseline over ${ROUNDS} rounds: ${ratio.toFixed(2)} (target ≥ 1.5)`);
    const serverGc = (run: Run) => gcPauses(run).map((pauses) => `, server ${pauses}`);
    console.log(
      `p99 at half peak: ${results.half.p99} ms (target < 20 ms)${serverGc(results.half).join('')}; the bare route at half its own peak ` +
        `(${Math.round(baselineRate / 2)}/s): p50 ${baselineHalf.p50} ms, p99 ${baselineHalf.p99} ms${serverGc(baselineHalf).join('')}`,
    );
    console.log(`hot set: ${results.hot.deadlocks} deadlocks, ${results.hot.pingsOk - results.hot.stored} lost pings`);
    if (!exact || results.hot.deadlocks > 0) process.exitCode = 1;
  } finally {
    await bench.end();
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
    rmSync(idsFile, { force: true });
    rmSync(hotIdsFile, { force: true });
  }
}

await main();
