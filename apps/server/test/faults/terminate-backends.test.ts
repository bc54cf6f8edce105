/**
 * Fault (b): pings flow into a real server process while its Postgres
 * backends are terminated (`pg_terminate_backend`) again and again, busy or
 * mid-transaction among them. The process must survive, every ping answered
 * 200 must be stored, no ping may go unanswered, every check must take pings
 * again within seconds of the last termination, and SIGTERM must stop it in
 * time.
 */
import { type Database, pings } from '@cronbeat/db';
import { openTestDatabase } from '@cronbeat/db/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCheck, aProject } from '../ping-fixtures';
import { faultDatabaseUrl, freePort, type ServerProcess, sendPing, startServer, stopServer, Tally, waitForReady } from './support';

const databaseUrl = faultDatabaseUrl('(b)');

const CHECKS = 60;
const SENDERS = 32;
const LOAD_MS = 12_000;
/**
 * Terminations run from `KILL_FROM_MS` into the load until `KILL_UNTIL_MS`,
 * in rounds of `ROUND_MS`: each round terminates the first of the server's
 * backends seen busy (running a statement, or inside a transaction), then
 * all of them.
 */
const KILL_FROM_MS = 1000;
const ROUND_MS = 400;
const KILL_UNTIL_MS = 9000;
/** The server's connections are told apart from the test's by their application_name. */
const APPLICATION = 'cronbeat-fault-b';
/** Every check must be pingable again this soon after the last termination. */
const RECOVERY_LIMIT_MS = 10_000;
/** The runtime exits 1 after 15 s of shutdown; well within it. */
const SHUTDOWN_LIMIT_MS = 14_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!databaseUrl)('fault (b): the server’s Postgres backends terminated mid-flush under load', () => {
  let database: Database & { url: string | null };
  let admin: postgres.Sql;
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    admin = postgres(databaseUrl!, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await admin?.end();
    await database?.close();
  });

  it('survives, stores every ping it acknowledged, takes pings for every check again within seconds, and stops in time', async () => {
    const project = await aProject(database.db);
    const codes = await Promise.all(Array.from({ length: CHECKS }, async () => (await aCheck(database.db, { project })).check.pingCode));
    const name = new URL(database.url!).pathname.slice(1);
    server = await startServer(database.url!, await freePort(), { PGAPPNAME: APPLICATION });
    const running = server;

    const tally = new Tally();
    const started = Date.now();
    let sequence = 0;
    const sender = async (until: number) => {
      while (Date.now() < until) {
        const body = `b-${sequence++}`;
        tally.add(body, await sendPing(running.url, codes[Math.floor(Math.random() * CHECKS)]!, body));
      }
    };
    const load = Promise.all(Array.from({ length: SENDERS }, () => sender(started + LOAD_MS)));

    // The terminations, while the load runs.
    const terminate = async (busyOnly: boolean) => {
      const [round] = await admin<{ all: number; busy: number }[]>`
        select count(*)::int as all, count(*) filter (where state <> 'idle')::int as busy
        from (select state, pg_terminate_backend(pid) from pg_stat_activity
              where datname = ${name} and application_name = ${APPLICATION}
                and (not ${busyOnly} or state in ('active', 'idle in transaction'))) as killed`;
      return round!;
    };
    let rounds = 0;
    let terminated = 0;
    let busyWhenTerminated = 0;
    let lastTermination = 0;
    await sleep(KILL_FROM_MS);
    while (Date.now() - started < KILL_UNTIL_MS) {
      const roundEnds = Date.now() + ROUND_MS;
      // Mid-flush: polled until one of the server's backends is caught at work.
      while (Date.now() < roundEnds) {
        const { busy } = await terminate(true);
        busyWhenTerminated += busy;
        terminated += busy;
        if (busy > 0) break;
      }
      terminated += (await terminate(false)).all;
      rounds += 1;
      lastTermination = Date.now();
      await sleep(Math.max(0, roundEnds - Date.now()));
    }

    // Every check answers 200 again: each is pinged until it does.
    const recoveries = await Promise.all(
      codes.map(async (code, i) => {
        for (let attempt = 0; ; attempt++) {
          const body = `recovery-${i}-${attempt}`;
          const outcome = await sendPing(running.url, code, body);
          tally.add(body, outcome);
          if (outcome.status === 200) return Date.now() - lastTermination;
          if (Date.now() - lastTermination > RECOVERY_LIMIT_MS + 5000) return Number.POSITIVE_INFINITY;
          await sleep(100);
        }
      }),
    );
    const recoveryMs = Math.max(...recoveries);
    await load;
    const aliveAfterLoad = running.child.exitCode === null && running.child.signalCode === null;
    const readyMs = await waitForReady(running, 10_000);

    // SIGTERM with pings still coming in: Fastify refuses new ones (503) while it closes, then nothing listens.
    let stopping = false;
    const shutdown = new Tally();
    const tail = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (!stopping) {
          const body = `tail-${sequence++}`;
          shutdown.add(body, await sendPing(running.url, codes[0]!, body));
        }
      }),
    );
    await sleep(500);
    const { code, ms: shutdownMs } = await stopServer(running);
    stopping = true;
    await tail;

    const stored = await database.db.select({ body: pings.body }).from(pings);
    const storedBodies = new Set(stored.map((ping) => ping.body));
    const lost = [...tally.acknowledged, ...shutdown.acknowledged].filter((body) => !storedBodies.has(body));
    const output = running.output();
    const stalls = output.split('\n').filter((line) => line.includes('pings cannot be written')).length;
    const crashes = output.split('\n').filter((line) => /TypeError|uncaught|unhandled/i.test(line));
    console.log(
      `fault (b): sent=${tally.sent} acknowledged=${tally.acknowledged.size} stored=${storedBodies.size} ` +
        `acknowledged-not-stored=${lost.length} 503s=${tally.unavailable} other=${JSON.stringify(Object.fromEntries(tally.other))} ` +
        `refused-or-cut-off=${tally.failed} hung=${tally.hung} termination-rounds=${rounds} backends-terminated=${terminated} ` +
        `busy-when-terminated=${busyWhenTerminated} every-check-pingable-after-ms=${recoveryMs} ready-after-ms=${readyMs} ` +
        `stall-spells-logged=${stalls} shutdown-ms=${shutdownMs} exit=${code} ` +
        `during-shutdown: sent=${shutdown.sent} acknowledged=${shutdown.acknowledged.size} refused=${shutdown.failed + shutdown.unavailable + [...shutdown.other.values()].reduce((a, b) => a + b, 0)}`,
    );

    expect(aliveAfterLoad, 'the process survived the terminations').toBe(true);
    expect(crashes, 'no crash in the server log').toEqual([]);
    expect(busyWhenTerminated, 'backends were terminated while busy').toBeGreaterThan(0);
    expect(lost, 'acknowledged but not stored').toEqual([]);
    expect(tally.hung, 'no ping went unanswered').toBe(0);
    expect(Object.fromEntries(tally.other), 'every refusal is a 503').toEqual({});
    expect(tally.badUnavailable, 'every 503 has Retry-After and a plain-text reason').toBe(0);
    expect(recoveryMs).toBeLessThan(RECOVERY_LIMIT_MS);
    expect(shutdownMs).toBeLessThan(SHUTDOWN_LIMIT_MS);
    expect(code).toBe(0);
  }, 90_000);
});
