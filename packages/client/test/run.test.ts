import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TAIL_LIMIT } from '../src/tail';
import { addCheck, type CronbeatServer, checkRow, checksOfProject, cli, envFor, pingsOf, startCronbeat } from './cronbeat-server';

let server: CronbeatServer;
beforeAll(async () => {
  server = await startCronbeat();
});
afterAll(() => server.close());

describe('cronbeat run against a real server', () => {
  it('reports start and exit status 0 with the output, paired by one run id', async () => {
    const check = await addCheck(server);
    const result = await cli(['run', check.pingCode, '--', 'sh', '-c', 'echo to stdout; echo to stderr >&2'], { env: envFor(server) });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('to stdout\n');
    expect(result.stderr).toBe('to stderr\n');
    const stored = await pingsOf(server, check.id);
    expect(stored.map((ping) => ping.kind)).toEqual(['start', 'success']);
    expect(stored[1]!.exitStatus).toBe(0);
    expect(stored[0]!.rid).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored[1]!.rid).toBe(stored[0]!.rid);
    expect(stored[1]!.body).toContain('to stdout\n');
    expect(stored[1]!.body).toContain('to stderr\n');
    expect(stored[1]!.duration).not.toBeNull();
    expect((await checkRow(server, check.id)).status).toBe('up');
  });

  it('creates an unknown slug with --create --lock: the lock request makes the check, the command runs with token 1, start and end are reported', async () => {
    const result = await cli(
      ['run', 'locked-and-new', '--lock', '--create', '--', 'sh', '-c', 'echo "ran with token $CRONBEAT_FENCING_TOKEN"'],
      {
        env: envFor(server),
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('ran with token 1\n');
    const check = (await checksOfProject(server)).find((row) => row.slug === 'locked-and-new');
    expect(check).toMatchObject({ autoCreated: true });
    const stored = await pingsOf(server, check!.id);
    expect(stored.map((ping) => [ping.kind, ping.exitStatus])).toEqual([
      ['start', null],
      ['success', 0],
    ]);
    expect(stored[1]!.body).toContain('ran with token 1');
  });

  it('exits with the command’s own code 3 and reports it as a failure', async () => {
    const check = await addCheck(server, { slug: 'exits-three' });
    const result = await cli(['run', 'exits-three', '--', 'sh', '-c', 'echo broken >&2; exit 3'], { env: envFor(server) });
    expect(result.code).toBe(3);
    const stored = await pingsOf(server, check.id);
    expect(stored.map((ping) => [ping.kind, ping.exitStatus])).toEqual([
      ['start', null],
      ['fail', 3],
    ]);
    expect(stored[1]!.body).toBe('broken\n');
    expect((await checkRow(server, check.id)).status).toBe('down');
  });

  it('reports a command killed by SIGTERM as fail naming the signal, and exits 143 like a shell', async () => {
    const check = await addCheck(server);
    const killed = await cli(['run', check.pingCode, '--', 'sh', '-c', 'echo bye; kill -TERM $$'], { env: envFor(server) });
    expect(killed.code).toBe(143);
    expect(killed.stdout).toBe('bye\n');
    const last = (await pingsOf(server, check.id)).at(-1)!;
    expect(last.kind).toBe('fail');
    expect(last.exitStatus).toBeNull();
    expect(last.body).toContain('bye\n');
    expect(last.body).toContain('killed by SIGTERM');
  });

  it('keeps only the last 10 KB of output in the ping but passes all of it through', async () => {
    const check = await addCheck(server);
    // 3,000 numbered lines (~40 KB): the first lines must be gone from the ping, the last ones kept.
    const script = 'i=1; while [ $i -le 3000 ]; do echo "line $i of the job output"; i=$((i+1)); done';
    const result = await cli(['run', check.pingCode, '--', 'sh', '-c', script], { env: envFor(server) });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toHaveLength(3001);
    const body = (await pingsOf(server, check.id)).at(-1)!.body!;
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(TAIL_LIMIT);
    expect(Buffer.byteLength(body)).toBeGreaterThan(TAIL_LIMIT - 100);
    expect(body.endsWith('line 3000 of the job output\n')).toBe(true);
    expect(body).not.toContain('line 1 of the job');
  });

  it('passes stdin through to the command unchanged', async () => {
    const check = await addCheck(server);
    const input = Buffer.from('first line\nsecond line\n\u00e9t\u00e9 \u2603\n');
    const result = await cli(['run', check.pingCode, '--', 'cat'], { env: envFor(server), stdin: input });
    expect(result.code).toBe(0);
    expect(Buffer.from(result.stdout)).toEqual(input);
    expect((await pingsOf(server, check.id)).at(-1)!.body).toBe(input.toString());
  });

  it('creates an unknown slug with --create', async () => {
    const result = await cli(['run', 'brand-new-job', '--create', '--', 'true'], { env: envFor(server) });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const created = (await checksOfProject(server)).find((check) => check.slug === 'brand-new-job');
    expect(created).toBeDefined();
    expect((await pingsOf(server, created!.id)).map((ping) => ping.kind)).toEqual(['start', 'success']);
  });

  it('exits 127 and reports fail when the command does not exist', async () => {
    const check = await addCheck(server);
    const result = await cli(['run', check.pingCode, '--', 'no-such-program-cronbeat'], { env: envFor(server) });
    expect(result.code).toBe(127);
    const last = (await pingsOf(server, check.id)).at(-1)!;
    expect(last.kind).toBe('fail');
    expect(last.body).toContain('could not start no-such-program-cronbeat');
  });

  it('passes a SIGTERM sent to cronbeat on to the job and reports how the job ended', async () => {
    const check = await addCheck(server);
    // The job traps TERM and exits 7 after cleaning up, as a well-behaved job would.
    const script = 'trap "echo cleaning up; exit 7" TERM; echo started; while :; do sleep 0.05; done';
    const running = cli(['run', check.pingCode, '--', 'sh', '-c', script], {
      env: envFor(server),
      onSpawn: (child) => waitAndTerminate(child),
    });
    const result = await running;
    expect(result.code).toBe(7);
    expect(result.stdout).toBe('started\ncleaning up\n');
    const last = (await pingsOf(server, check.id)).at(-1)!;
    expect([last.kind, last.exitStatus]).toEqual(['fail', 7]);
  });
  it('keeps going and still reports when whoever reads its output goes away', async () => {
    const check = await addCheck(server);
    const script = 'seq 1 200000; exit 6';
    const result = await cli(['run', check.pingCode, '--', 'sh', '-c', script], {
      env: envFor(server),
      onSpawn: (child) => child.stdout?.once('data', () => child.stdout?.destroy()),
    });
    expect(result.code).toBe(6);
    const last = (await pingsOf(server, check.id)).at(-1)!;
    expect([last.kind, last.exitStatus]).toEqual(['fail', 6]);
    expect(last.body).toMatch(/\n200000\n$/);
  });
});

/** Sends SIGTERM to the cronbeat process once the job has printed its first line. */
function waitAndTerminate(child: ChildProcess) {
  child.stdout?.once('data', () => child.kill('SIGTERM'));
}
