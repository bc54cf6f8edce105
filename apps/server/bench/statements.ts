/**
 * `npx tsx apps/server/bench/statements.ts`: what the ping hot path
 * (`packages/db/src/ping-hot-path`) saves the server per batch, without a
 * database. For one batch of pings (33 pings to 33 checks by default, the
 * pings per transaction `bench:ping` measures), times binding the
 * pre-rendered write statement against building the same writes with
 * drizzle's query builder (one insert of the pings, one update per check)
 * and rendering them to SQL, which is what the server would do per batch
 * otherwise. Prints CPU time, not time on the clock. Options: --pings <n>, --seconds <n> each way (default 3).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { newCheckState } from '@cronbeat/core';
import { type CheckAfterPings, checks, type NewPing, pings, writePingBatchQuery } from '@cronbeat/db';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pg-proxy';

const { values: args } = parseArgs({
  options: { pings: { type: 'string', default: '33' }, seconds: { type: 'string', default: '3' } },
});
const PINGS = Number(args.pings);
const SECONDS = Number(args.seconds);

// Renders only: the callback that would run a query is never called.
const db = drizzle(async () => ({ rows: [] }));
const at = new Date();
const batch = Array.from({ length: PINGS }, () => {
  const checkId = randomUUID();
  const ping: NewPing = {
    checkId,
    n: 42,
    kind: 'success',
    at,
    exitStatus: 0,
    rid: null,
    method: 'GET',
    scheme: 'https',
    remoteAddr: '203.0.113.7',
    userAgent: 'curl/8.5.0',
    body: null,
    bodyRaw: null,
    bodySize: 0,
    duration: null,
    keyword: null,
  };
  const state = { ...newCheckState({ schedule: { kind: 'period', period: 60 }, grace: 60 }), status: 'up' as const, lastPing: at };
  const check: CheckAfterPings = { id: checkId, version: '1234', slug: null, nPings: 42, state, sweepAt: new Date(at.getTime() + 60_000) };
  return { ping, check };
});
const newPings = batch.map((b) => b.ping);
const checksAfter = batch.map((b) => b.check);

function preRendered(): number {
  return writePingBatchQuery({ pings: newPings, checks: checksAfter, flips: [] }).params.length;
}

function builtWithDrizzle(): number {
  let length = db
    .insert(pings)
    .values(newPings.map(({ at: createdAt, ...ping }) => ({ ...ping, createdAt })))
    .toSQL().sql.length;
  for (const { id, version, nPings, state, sweepAt } of checksAfter) {
    length += db
      .update(checks)
      .set({
        nPings,
        status: state.status,
        lastPing: state.lastPing,
        lastStart: state.lastStart,
        lastStartRid: state.lastStartRid,
        lastDuration: state.lastDuration,
        nextDue: state.nextDue,
        alertAfter: state.alertAfter,
        sweepAt,
      })
      .where(sql`${eq(checks.id, id)} and xmin = ${version}::xid`)
      .toSQL().sql.length;
  }
  return length;
}

/**
 * Runs `run` for the bench's seconds after a warm-up, and returns the CPU
 * time it took per run in microseconds: on a shared machine steadier than
 * the time on the clock.
 */
function microsPerBatch(run: () => number): number {
  for (let i = 0; i < 100; i++) run();
  const until = Date.now() + SECONDS * 1000;
  const before = process.cpuUsage();
  let runs = 0;
  do {
    for (let i = 0; i < 10; i++) run();
    runs += 10;
  } while (Date.now() < until);
  const { user, system } = process.cpuUsage(before);
  return (user + system) / runs;
}

const bound = microsPerBatch(preRendered);
const built = microsPerBatch(builtWithDrizzle);
console.log(
  `Node ${process.version}, ${PINGS} pings to ${PINGS} checks per batch, CPU time: pre-rendered statement ${bound.toFixed(1)} µs per batch ` +
    `(${(bound / PINGS).toFixed(2)} µs per ping); drizzle's builder rendered per batch ${built.toFixed(1)} µs ` +
    `(${(built / PINGS).toFixed(2)} µs per ping): ${(built / bound).toFixed(1)} times as much`,
);
