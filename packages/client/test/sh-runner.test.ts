import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@cronbeat/config';
import { buildApp } from '@cronbeat/server';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCheck, type CronbeatServer, checkRow, pingsOf, startCronbeat } from './cronbeat-server';

/**
 * The sh runner (packages/client/sh/cronbeat.sh) as a Cronbeat server serves
 * it, run by dash and by BusyBox's sh against that real server, sending its
 * pings with curl, GNU wget or BusyBox's wget (PATHs without curl), and
 * judged by the pings the server stored.
 */

const DASH = ['/usr/bin/dash'];
const BUSYBOX_SH = ['/usr/bin/busybox', 'sh'];
const SHELLS = { dash: DASH, 'busybox sh': BUSYBOX_SH } as const;

let server: CronbeatServer;
/** A second app on the same database whose BASE_URL is its own address, as a deployed server's is. */
let serving: FastifyInstance;
let servingUrl: string;
let scratch: string;
let runner: string;
/** PATHs: as given (curl first), every tool but curl (GNU wget), and BusyBox's applets alone (its wget). */
const paths = { curl: '', gnuWget: '', busybox: '' };

/**
 * The POSIX utilities the runner uses (and the test jobs: sh, cat, true), and nothing else: a PATH of these
 * and one HTTP client proves it needs no more than it says.
 */
const POSIX_TOOLS = [
  'sh',
  'cat',
  'date',
  'sleep',
  'od',
  'tr',
  'cut',
  'grep',
  'sed',
  'tail',
  'head',
  'wc',
  'mktemp',
  'mkfifo',
  'tee',
  'rm',
  'true',
  'echo',
];

/** A folder of links to the named programs, each where the test's own PATH finds it first. */
function pathOf(dir: string, names: string[]): string {
  mkdirSync(dir);
  const searched = (process.env.PATH ?? '').split(':').filter(Boolean);
  for (const name of names) {
    const found = searched.map((from) => join(from, name)).find((path) => existsSync(path));
    if (!found) throw new Error(`${name} is not on the PATH; the sh runner's tests need it`);
    symlinkSync(found, join(dir, name));
  }
  return dir;
}

function busyboxPath(dir: string): string {
  mkdirSync(dir);
  for (const applet of execFileSync('/usr/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
    symlinkSync('/usr/bin/busybox', join(dir, applet));
  }
  return dir;
}

/** A port nothing listens on at this moment. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.once('error', reject);
  });

beforeAll(async () => {
  server = await startCronbeat();
  const port = await freePort();
  servingUrl = `http://127.0.0.1:${port}`;
  serving = await buildApp(loadConfig({ LOG_LEVEL: 'silent', BASE_URL: servingUrl }), { database: server.database });
  await serving.listen({ host: '127.0.0.1', port });
  scratch = mkdtempSync(join(tmpdir(), 'cronbeat-sh-'));
  // The served copy, with the serving server's address filled in as the default: the runs below set no CRONBEAT_URL.
  const served = await fetch(`${servingUrl}/client/cronbeat.sh`);
  expect(served.status).toBe(200);
  runner = join(scratch, 'cronbeat.sh');
  writeFileSync(runner, await served.text());
  paths.curl = pathOf(join(scratch, 'curl'), [...POSIX_TOOLS, 'curl']);
  paths.gnuWget = pathOf(join(scratch, 'gnu-wget'), [...POSIX_TOOLS, 'wget']);
  paths.busybox = busyboxPath(join(scratch, 'busybox'));
}, 120_000);

afterAll(async () => {
  await serving?.close();
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

interface ShResult {
  code: number | null;
  stdout: string;
  stderr: string;
  elapsed: number;
}

/** Runs `shell -c script` (or the runner with args) the way cron would: a clean environment, a deadline. */
function sh(
  shell: readonly string[],
  args: string[],
  options: { path?: string; env?: Record<string, string>; stdin?: string; onSpawn?: (child: ChildProcess) => void } = {},
): Promise<ShResult> {
  const started = Date.now();
  const [program, ...first] = shell;
  const child = spawn(program!, [...first, ...args], {
    cwd: scratch,
    env: { PATH: options.path ?? paths.curl, HOME: scratch, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  child.stdin.on('error', () => {});
  child.stdin.end(options.stdin ?? '');
  options.onSpawn?.(child);
  const deadline = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(deadline);
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), elapsed: Date.now() - started });
    });
  });
}

/** The command lines of live processes whose environment holds `marker` (a run's descendants carry it). */
function processesMarked(marker: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker)) {
        found.push(readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll('\0', ' ').trim());
      }
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.each(Object.entries(SHELLS))('the sh runner under %s', (_name, shell) => {
  it('reports start and exit status 0 with the output, paired by one run id, and passes the output through', async () => {
    const check = await addCheck(server);
    const job = 'echo to stdout; echo to stderr >&2; sleep 1';
    const result = await sh(shell, [runner, 'run', check.pingCode, '--', 'sh', '-c', job]);
    expect(result.stderr).toBe('to stderr\n');
    expect(result.stdout).toBe('to stdout\n');
    expect(result.code).toBe(0);
    const stored = await pingsOf(server, check.id);
    expect(stored.map((ping) => [ping.kind, ping.exitStatus])).toEqual([
      ['start', null],
      ['success', 0],
    ]);
    expect(stored[0]!.rid).toMatch(UUID);
    expect(stored[1]!.rid).toBe(stored[0]!.rid);
    expect(stored[1]!.body).toContain('to stdout\n');
    expect(stored[1]!.body).toContain('to stderr\n');
    expect(stored[1]!.userAgent).toMatch(/^cronbeat-sh\//);
    expect(stored[1]!.duration).toBeGreaterThanOrEqual(900);
    expect((await checkRow(server, check.id)).status).toBe('up');
  });

  it("exits with the command's own status 3 and reports it as a failure with the output's tail", async () => {
    const check = await addCheck(server);
    const result = await sh(shell, [runner, 'run', check.pingCode, 'sh', '-c', 'echo broken >&2; exit 3']);
    expect(result.code).toBe(3);
    const stored = await pingsOf(server, check.id);
    expect(stored.map((ping) => [ping.kind, ping.exitStatus])).toEqual([
      ['start', null],
      ['fail', 3],
    ]);
    expect(stored[1]!.body).toBe('broken\n');
    expect((await checkRow(server, check.id)).status).toBe('down');
  });

  it('sends its pings with BusyBox wget when only BusyBox is on the PATH', async () => {
    const check = await addCheck(server);
    const result = await sh(shell, [runner, 'run', check.pingCode, '--', 'sh', '-c', 'echo via busybox; exit 4'], { path: paths.busybox });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(4);
    const stored = await pingsOf(server, check.id);
    expect(stored.map((ping) => [ping.kind, ping.exitStatus, ping.body])).toEqual([
      ['start', null, null],
      ['fail', 4, 'via busybox\n'],
    ]);
    expect(stored[1]!.rid).toBe(stored[0]!.rid);
    expect(stored[1]!.userAgent).toMatch(/^cronbeat-sh\//);
  });

  it('sends its pings with GNU wget when curl is not on the PATH', async () => {
    const check = await addCheck(server);
    const result = await sh(shell, [runner, 'run', check.pingCode, '--', 'echo', 'via wget'], { path: paths.gnuWget });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const stored = await pingsOf(server, check.id);
    expect(stored.map((ping) => [ping.kind, ping.exitStatus, ping.body])).toEqual([
      ['start', null, null],
      ['success', 0, 'via wget\n'],
    ]);
    expect(stored[1]!.rid).toBe(stored[0]!.rid);
  });

  it('says why a ping was refused (404) with either client, and still exits with the command’s status', async () => {
    for (const path of [paths.curl, paths.busybox, paths.gnuWget]) {
      const result = await sh(
        shell,
        [runner, 'run', `${server.url}/ping/00000000-0000-4000-8000-000000000000`, '--', 'sh', '-c', 'exit 6'],
        { path },
      );
      expect(result.code).toBe(6);
      expect(result.stderr).toMatch(/^cronbeat: start ping not recorded: 404 .+\ncronbeat: exit status 6 ping not recorded: 404 .+\n$/);
    }
  });
});

describe('the sh runner', () => {
  it('runs from `curl … | sh -s --` with the serving server as its default address, slug and ping key from the environment', async () => {
    const check = await addCheck(server, { slug: 'piped-job' });
    const script = `curl -fsS ${servingUrl}/client/cronbeat.sh | /usr/bin/dash -s -- run piped-job -- sh -c 'echo piped'`;
    const result = await sh(DASH, ['-c', script], { env: { CRONBEAT_PING_KEY: server.pingKey } });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('piped\n');
    expect(result.code).toBe(0);
    const stored = await pingsOf(server, check.id);
    expect(stored.map((ping) => [ping.kind, ping.body])).toEqual([
      ['start', null],
      ['success', 'piped\n'],
    ]);
  });

  it('creates an unknown slug with --create, and sends no run id with --rid off', async () => {
    const result = await sh(BUSYBOX_SH, [runner, 'run', '--create', '--rid', 'off', `${server.pingKey}/made-by-sh`, '--', 'true'], {
      path: paths.busybox,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { checksOfProject } = await import('./cronbeat-server');
    const made = (await checksOfProject(server)).find((check) => check.slug === 'made-by-sh');
    expect(made).toBeDefined();
    const stored = await pingsOf(server, made!.id);
    expect(stored.map((ping) => [ping.kind, ping.rid])).toEqual([
      ['start', null],
      ['success', null],
    ]);
  });

  it('gives the command its own stdin when run from a file', async () => {
    const check = await addCheck(server);
    const result = await sh(DASH, [runner, 'run', check.pingCode, '--', 'cat'], { stdin: 'fed through\n' });
    expect(result.stdout).toBe('fed through\n');
    expect((await pingsOf(server, check.id)).at(-1)!.body).toBe('fed through\n');
  });

  it('keeps only the last CRONBEAT_TAIL_BYTES of output, starting on a whole UTF-8 character, but passes all of it through', async () => {
    const check = await addCheck(server);
    // 2,000 lines of "é" pairs: a cut at an odd byte would land inside a character.
    const job = 'i=1; while [ $i -le 2000 ]; do echo "ligne $i éé"; i=$((i+1)); done';
    const result = await sh(BUSYBOX_SH, [runner, 'run', check.pingCode, '--', 'sh', '-c', job], { env: { CRONBEAT_TAIL_BYTES: '1001' } });
    expect(result.stdout.split('\n')).toHaveLength(2001);
    const body = (await pingsOf(server, check.id)).at(-1)!.body!;
    expect(body).not.toBeNull();
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(1001);
    expect(Buffer.byteLength(body)).toBeGreaterThan(990);
    expect(body.endsWith('ligne 2000 éé\n')).toBe(true);
    expect(body).not.toContain('\uFFFD');
  });

  it('passes SIGTERM on to the command, and reports and exits with 143', async () => {
    const check = await addCheck(server);
    let child: ChildProcess | undefined;
    const running = sh(DASH, [runner, 'run', check.pingCode, '--', 'sh', '-c', 'echo started; sleep 20; echo never'], {
      onSpawn: (spawned) => {
        child = spawned;
      },
    });
    // Stopped once the job has begun (its start ping is stored), as Kubernetes stops a pod.
    const deadline = Date.now() + 10_000;
    while ((await pingsOf(server, check.id)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child!.kill('SIGTERM');
    const result = await running;
    expect(result.code).toBe(143);
    expect(result.elapsed).toBeLessThan(15_000);
    const last = (await pingsOf(server, check.id)).at(-1)!;
    expect([last.kind, last.exitStatus]).toEqual(['fail', 143]);
    expect(last.body).toBe('started\n[cronbeat] exit status 143: 128 + SIGTERM\n');
  });

  it('remembers a SIGTERM that comes before the command is launched: the command does not run, and 143 is reported', async () => {
    // A mkfifo that takes a second, and says when it began, holds the runner between taking over signals
    // for the command and launching it: the signal cannot be passed on yet, and must not be lost.
    const slowPath = pathOf(
      join(scratch, 'slow-mkfifo'),
      [...POSIX_TOOLS, 'curl'].filter((tool) => tool !== 'mkfifo'),
    );
    const realMkfifo = join(paths.curl, 'mkfifo');
    const began = join(scratch, 'mkfifo-began');
    writeFileSync(join(slowPath, 'mkfifo'), `#!/bin/sh\n: >"${began}"\nsleep 1\nexec "${realMkfifo}" "$@"\n`, { mode: 0o755 });
    for (const shell of [DASH, BUSYBOX_SH]) {
      rmSync(began, { force: true });
      const check = await addCheck(server);
      let child: ChildProcess | undefined;
      const running = sh(shell, [runner, 'run', check.pingCode, '--', 'sh', '-c', 'echo ran; sleep 20'], {
        path: slowPath,
        onSpawn: (spawned) => {
          child = spawned;
        },
      });
      const deadline = Date.now() + 10_000;
      while (!existsSync(began) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      child!.kill('SIGTERM');
      const result = await running;
      expect(result.code).toBe(143);
      expect(result.stdout).toBe('');
      expect(result.elapsed).toBeLessThan(15_000);
      const last = (await pingsOf(server, check.id)).at(-1)!;
      expect([last.kind, last.exitStatus]).toEqual(['fail', 143]);
    }
  });

  it('runs the job and keeps its exit status when Cronbeat is down, within the timeout', async () => {
    for (const [shell, path] of [
      [DASH, paths.curl],
      [BUSYBOX_SH, paths.busybox],
      [DASH, paths.gnuWget],
    ] as const) {
      const result = await sh(
        shell,
        [runner, 'run', '--timeout', '2s', '--url', 'http://127.0.0.1:9', 'some-slug', '--', 'sh', '-c', 'echo ran; exit 7'],
        {
          path,
          env: { CRONBEAT_PING_KEY: 'k' },
        },
      );
      expect(result.stdout).toBe('ran\n');
      expect(result.code).toBe(7);
      expect(result.stderr).toMatch(
        /^cronbeat: start ping not recorded after \d attempts: .+\ncronbeat: exit status 7 ping not recorded after \d attempts: .+\n$/,
      );
      expect(result.elapsed).toBeLessThan(5_000);
    }
  });

  it('shares one --timeout between the start and end pings when Cronbeat hangs, as `cronbeat run` does', async () => {
    // Cronbeat accepts connections and never answers: the start ping uses the whole timeout, so the end ping
    // gets only its first attempt's 2 s (a timeout counted from the end ping itself would make it 5 s more).
    const held = new Set<Socket>();
    const silent = createServer((socket) => {
      held.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    try {
      for (const [shell, path] of [
        [DASH, paths.curl],
        [BUSYBOX_SH, paths.busybox],
      ] as const) {
        const result = await sh(shell, [runner, 'run', '--timeout', '5s', '--url', silentUrl, 'some-slug', '--', 'sh', '-c', 'exit 7'], {
          path,
          env: { CRONBEAT_PING_KEY: 'k' },
        });
        expect(result.code).toBe(7);
        expect(result.stderr).toMatch(/^cronbeat: start ping not recorded .+\ncronbeat: exit status 7 ping not recorded .+\n$/);
        // 5 s shared, 2 s for the end ping's one attempt, and room for a busy machine; not 5 + 5.
        expect(result.elapsed).toBeLessThan(8_500);
      }
    } finally {
      for (const socket of held) socket.destroy();
      silent.close();
    }
  });

  it('leaves no process behind, its deadline watchdogs included, when the pings are answered at once', async () => {
    // Each BusyBox wget and the output copies get a watchdog that is stopped as soon as they end: stopped
    // before it had set its trap, it left its sleep running (2 s, or the 30 s --timeout for a wget). Many
    // quick runs give that moment many chances.
    const check = await addCheck(server);
    const marker = `CRONBEAT_TEST_RUN=${randomUUID()}`;
    const [name, value] = marker.split('=') as [string, string];
    const left: string[] = [];
    for (let round = 0; round < 12; round++) {
      // Six at a time: a busy machine is where a stop lands between the fork and the trap.
      const results = await Promise.all(
        Array.from({ length: 6 }, () =>
          sh(BUSYBOX_SH, [runner, 'run', '--timeout', '30s', check.pingCode, '--', 'true'], {
            path: paths.busybox,
            env: { [name]: value },
          }),
        ),
      );
      expect(results.map((result) => result.code)).toEqual(Array(6).fill(0));
      // Looked for after each round: the output copies' watchdog sleeps only 2 s.
      left.push(...processesMarked(marker));
    }
    expect(left).toEqual([]);
  });

  it('cleans up its work directory, the output it holds, when stopped during a slow end ping', async () => {
    // The start ping is answered, the end ping never is: the runner is stopped while it waits for that answer.
    const held: ServerResponse[] = [];
    let endPingArrived: () => void = () => {};
    const slow = createHttpServer((request, response) => {
      if (request.method === 'GET') return void response.end('OK');
      held.push(response);
      endPingArrived();
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const slowUrl = `http://127.0.0.1:${(slow.address() as { port: number }).port}`;
    try {
      for (const [shell, path] of [
        [DASH, paths.curl],
        [BUSYBOX_SH, paths.busybox],
      ] as const) {
        const tmp = mkdtempSync(join(scratch, 'tmp-'));
        const arrived = new Promise<void>((resolve) => {
          endPingArrived = resolve;
        });
        let child: ChildProcess | undefined;
        const running = sh(shell, [runner, 'run', '--timeout', '3s', '--url', slowUrl, 'some-slug', '--', 'echo', 'secret output'], {
          path,
          env: { CRONBEAT_PING_KEY: 'k', TMPDIR: tmp },
          onSpawn: (spawned) => {
            child = spawned;
          },
        });
        await arrived;
        child!.kill('SIGTERM');
        const result = await running;
        expect(readdirSync(tmp)).toEqual([]);
        expect(result.code).toBe(143);
      }
    } finally {
      for (const response of held) response.destroy();
      slow.close();
    }
  });

  it('stops at once, leaving nothing behind, when stopped while its start ping still waits for an answer', async () => {
    // The command has ended; the runner waits for the start ping before sending the end ping, and is stopped then.
    const held: ServerResponse[] = [];
    let startPingArrived: () => void = () => {};
    const slow = createHttpServer((_request, response) => {
      held.push(response);
      startPingArrived();
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const slowUrl = `http://127.0.0.1:${(slow.address() as { port: number }).port}`;
    try {
      const tmp = mkdtempSync(join(scratch, 'tmp-'));
      const arrived = new Promise<void>((resolve) => {
        startPingArrived = resolve;
      });
      let child: ChildProcess | undefined;
      const running = sh(DASH, [runner, 'run', '--timeout', '20s', '--url', slowUrl, 'some-slug', '--', 'true'], {
        env: { CRONBEAT_PING_KEY: 'k', TMPDIR: tmp },
        onSpawn: (spawned) => {
          child = spawned;
        },
      });
      await arrived;
      await new Promise((r) => setTimeout(r, 300));
      child!.kill('SIGTERM');
      const result = await running;
      expect(readdirSync(tmp)).toEqual([]);
      expect(result.code).toBe(143);
      // Not the start ping's 20 s of trying: its sender goes with the runner (and stops writing to our stderr).
      expect(result.elapsed).toBeLessThan(8_000);
      expect(result.stderr).toBe('');
    } finally {
      for (const response of held) response.destroy();
      slow.close();
    }
  });

  it('runs the command unmonitored, with its status, when the reference cannot become a URL', async () => {
    const result = await sh(DASH, [runner, 'run', 'just-a-slug', '--', 'sh', '-c', 'exit 5']);
    expect(result.code).toBe(5);
    expect(result.stderr).toBe(
      'cronbeat: "just-a-slug" is neither a ping code (a UUID) nor <ping-key>/<slug>, and CRONBEAT_PING_KEY is not set; running the command unmonitored\n',
    );
  });

  it('exits 127 for a command that does not exist, and reports it', async () => {
    const check = await addCheck(server);
    const result = await sh(BUSYBOX_SH, [runner, 'run', check.pingCode, '--', 'no-such-command-here']);
    expect(result.code).toBe(127);
    const last = (await pingsOf(server, check.id)).at(-1)!;
    expect([last.kind, last.exitStatus]).toEqual(['fail', 127]);
    expect(last.body).toContain('no-such-command-here');
  });

  it('refuses bad usage with status 2 and says how to use it', async () => {
    for (const args of [
      ['run'],
      ['run', 'slug'],
      ['run', '--rid', 'nope', 'slug', 'true'],
      ['run', '--timeout', 'soon', 'slug', 'true'],
      ['frobnicate'],
    ]) {
      const result = await sh(DASH, [runner, ...args]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/usage: cronbeat\.sh run|--rid must be|--timeout takes seconds/);
    }
  });

  it("says the client package's version, so the two cannot drift apart", () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(readFileSync(runner, 'utf8')).toContain(`\ncronbeat_version='${version}'\n`);
  });

  it('sends a single ping with `ping`', async () => {
    const check = await addCheck(server);
    const result = await sh(DASH, [runner, 'ping', check.pingCode, 'fail'], { path: paths.gnuWget });
    expect(result.code).toBe(0);
    expect((await pingsOf(server, check.id)).map((ping) => ping.kind)).toEqual(['fail']);
  });
});
