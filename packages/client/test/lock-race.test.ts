import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCheck, type CliResult, type CronbeatServer, cli, envFor, pingsOf, startCronbeat } from './cronbeat-server';

const ROUNDS = Number(process.env.LOCK_RACE_ROUNDS ?? 100);
/** Checks raced on side by side. */
const LANES = 4;
/** How long a round may take before it is called: both runners started, one skipped, the other released. */
const ROUND_DEADLINE_MS = 120_000;

let server: CronbeatServer;
let dir: string;
beforeAll(async () => {
  server = await startCronbeat();
  dir = mkdtempSync(join(tmpdir(), 'cronbeat-lock-race-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const withDeadline = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: no end after ${ms} ms`)), ms))]);

interface Lane {
  tokens: number[];
  skippedLines: string[];
}

/**
 * One check, `rounds` rounds one after another: two runners started at
 * once, the command of the one that got the lease recording its fencing
 * token and waiting for the test's word, so "exactly one" is judged while
 * both were trying (the runner that lost exits by itself; if both won,
 * neither would until told).
 */
async function raceOn(lane: number, rounds: number): Promise<Lane> {
  const check = await addCheck(server);
  const ran = join(dir, `ran-${lane}`);
  const job = ['sh', '-c', 'echo "$CRONBEAT_FENCING_TOKEN" >> "$RAN"; while [ ! -e "$GO" ]; do sleep 0.02; done'];
  const skippedLines: string[] = [];
  // A generous timeout: on a loaded machine an answer may be slow, and this test is about "exactly one", not speed.
  for (let round = 1; round <= rounds; round++) {
    const go = join(dir, `go-${lane}-${round}`);
    const children: ChildProcess[] = [];
    const runner = () =>
      cli(['run', check.pingCode, '--lock', '--timeout', '60s', '--', ...job], {
        env: { ...envFor(server), RAN: ran, GO: go },
        onSpawn: (child) => children.push(child),
      });
    const runners = [runner(), runner()];
    try {
      const first = await withDeadline(Promise.race(runners), ROUND_DEADLINE_MS, `lane ${lane} round ${round}`).catch(() => null);
      if (first) skippedLines.push(first.stderr);
    } finally {
      writeFileSync(go, '');
    }
    const results: CliResult[] = await withDeadline(Promise.all(runners), ROUND_DEADLINE_MS, `lane ${lane} round ${round}`).catch(
      (error) => {
        for (const child of children) child.kill('SIGKILL');
        throw error;
      },
    );
    const where = `lane ${lane} round ${round}: ${results.map((result) => result.stderr).join(' | ')}`;
    expect(
      results.map((result) => result.code),
      where,
    ).toEqual([0, 0]);
    expect(readFileSync(ran, 'utf8').trim().split('\n'), where).toHaveLength(round);
  }
  const kinds = (await pingsOf(server, check.id)).map((ping) => ping.kind);
  expect(kinds.filter((kind) => kind === 'skipped')).toHaveLength(rounds);
  expect(kinds.filter((kind) => kind === 'start')).toHaveLength(rounds);
  expect(kinds.filter((kind) => kind === 'success')).toHaveLength(rounds);
  return { tokens: readFileSync(ran, 'utf8').trim().split('\n').map(Number), skippedLines };
}

describe('cronbeat run --lock, two runners racing', () => {
  it(`runs the command exactly once in each of ${ROUNDS} rounds, with fencing tokens 1, 2, 3… per check`, async () => {
    const started = Date.now();
    // Lanes on checks of their own run side by side, so process start-ups overlap; every round is still two runners on one check.
    const perLane = Math.ceil(ROUNDS / LANES);
    const lanes = await Promise.all(Array.from({ length: LANES }, (_, lane) => raceOn(lane, perLane)));
    const elapsed = Date.now() - started;
    for (const lane of lanes) {
      expect(lane.tokens).toEqual(Array.from({ length: perLane }, (_, i) => i + 1));
      for (const line of lane.skippedLines) {
        expect(line).toMatch(/^cronbeat: skipped: the run lock of [0-9a-f-]{36} is held by .+ \(pid \d+\) since \d{4}-/);
      }
    }
    const rounds = perLane * LANES;
    const exactlyOnce = lanes.reduce((sum, lane) => sum + lane.tokens.length, 0);
    // The figures for the issue: rounds, how many ran exactly once, and the time a round took.
    console.info(
      `run lock race: ${rounds} rounds (${LANES} checks side by side), exactly one runner ran in ${exactlyOnce}; ` +
        `${(elapsed / 1000).toFixed(1)} s in all, ${((elapsed * LANES) / rounds).toFixed(0)} ms a round`,
    );
  }, 900_000);
});
