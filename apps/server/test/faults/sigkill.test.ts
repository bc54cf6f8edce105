/**
 * Fault (a): a burst of pings against a real server process, which is
 * killed with SIGKILL a third of the way through and started again. Every
 * ping answered 200 must be in the database: acknowledged ⊆ stored. Half
 * the checks count every ping as a failed run (a failure keyword, threshold
 * 100): what their alert policy remembers must match the pings stored, so
 * a run record is never written without its pings or the other way round.
 */
import { checks, type Database, pings } from '@cronbeat/db';
import { openTestDatabase } from '@cronbeat/db/testing';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCheck, aProject } from '../ping-fixtures';
import { faultDatabaseUrl, freePort, type ServerProcess, sendPing, startServer, stopServer, Tally } from './support';

const databaseUrl = faultDatabaseUrl('(a)');

const CHECKS = 40;
const PINGS = 1500;
const SENDERS = 32;
/** Longest the burst may take, kill and restart included. */
const BURST_MS = 40_000;

describe.skipIf(!databaseUrl)('fault (a): the server killed with SIGKILL mid-burst', () => {
  let database: Database & { url: string | null };
  const servers: ServerProcess[] = [];
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
  });
  afterAll(async () => {
    for (const server of servers) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await database?.close();
  });

  it('stores every ping it acknowledged, across the kill and the restart', async () => {
    const project = await aProject(database.db);
    const made = await Promise.all(Array.from({ length: CHECKS }, async () => (await aCheck(database.db, { project })).check));
    const codes = made.map((check) => check.pingCode);
    const counting = made.filter((_, i) => i % 2 === 0).map((check) => check.id);
    await database.db
      .update(checks)
      .set({ failureThreshold: 100, failureKeywords: ['A-'] })
      .where(inArray(checks.id, counting));
    const port = await freePort();
    let server = await startServer(database.url!, port);
    servers.push(server);

    const tally = new Tally();
    let attempts = 0;
    let next = 0;
    let killedAt = 0;
    let restartMs = 0;
    let restarting: Promise<void> | null = null;
    const until = Date.now() + BURST_MS;
    const killAndRestart = async () => {
      killedAt = Date.now();
      server.child.kill('SIGKILL');
      await server.exited;
      server = await startServer(database.url!, port);
      servers.push(server);
      restartMs = Date.now() - killedAt;
    };

    // Each ping is one job run: sent until answered (200 or 503), as `cronbeat ping` retries.
    const sender = async () => {
      for (let i = next++; i < PINGS && Date.now() < until; i = next++) {
        const body = `a-${i}`;
        for (;;) {
          attempts += 1;
          const outcome = await sendPing(server.url, codes[i % CHECKS]!, body);
          tally.add(body, outcome);
          if (outcome.status === 200) break;
          if (Date.now() >= until) break;
          // Refused or cut off while the server is down: try again shortly.
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        if (!restarting && tally.acknowledged.size >= PINGS / 3) restarting = killAndRestart();
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
    await restarting;

    const stored = await database.db.select({ body: pings.body, checkId: pings.checkId, keyword: pings.keyword }).from(pings);
    const storedBodies = new Set(stored.map((ping) => ping.body));
    const lost = [...tally.acknowledged].filter((body) => !storedBodies.has(body));
    const { code, ms: shutdownMs } = await stopServer(server);
    console.log(
      `fault (a): pings=${PINGS} attempts=${attempts} acknowledged=${tally.acknowledged.size} stored=${storedBodies.size} ` +
        `stored-rows=${stored.length} acknowledged-not-stored=${lost.length} 503s=${tally.unavailable} ` +
        `refused-or-cut-off=${tally.failed} hung=${tally.hung} killed-after-ms=${killedAt ? killedAt - (until - BURST_MS) : 'never'} ` +
        `restart-to-ready-ms=${restartMs} shutdown-ms=${shutdownMs} exit=${code}`,
    );

    // Every ping to a counting check is a failed run, none reaches the threshold: each one stored is one remembered.
    const records = await database.db.select({ id: checks.id, runRecord: checks.runRecord, status: checks.status }).from(checks);
    for (const check of records.filter((record) => counting.includes(record.id))) {
      const storedHere = stored.filter((ping) => ping.checkId === check.id);
      expect(storedHere.every((ping) => ping.keyword === 'A-')).toBe(true);
      expect((check.runRecord as { failures?: unknown[] }).failures?.length ?? 0, `check ${check.id}`).toBe(storedHere.length);
      expect(check.status).toBe('up');
    }

    expect(killedAt, 'the server was killed mid-burst').toBeGreaterThan(0);
    expect(tally.acknowledged.size, 'every ping was acknowledged in the end').toBe(PINGS);
    expect(lost, 'acknowledged but not stored').toEqual([]);
    expect(tally.hung).toBe(0);
    expect(Object.fromEntries(tally.other)).toEqual({});
    expect(tally.badUnavailable).toBe(0);
    expect(code).toBe(0);
  }, 90_000);
});
