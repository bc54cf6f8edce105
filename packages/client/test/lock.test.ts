import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checks, runLocks } from '@cronbeat/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLock, LockUnavailableError, withLock } from '../src';
import { addCheck, type CronbeatServer, cli, envFor, pingsOf, startCronbeat } from './cronbeat-server';

let server: CronbeatServer;
let dir: string;
beforeAll(async () => {
  server = await startCronbeat();
  dir = mkdtempSync(join(tmpdir(), 'cronbeat-lock-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A file's trimmed text; null until something is written (a shell's `>` makes the file before the command writes to it). */
const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim() || null : null);

async function until<T>(what: string, ms: number, probe: () => Promise<T | null> | T | null): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(50);
  }
}

/** A port that was free a moment ago: connections to it are refused. */
async function closedPortUrl(): Promise<string> {
  const listener = createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as AddressInfo;
  await new Promise((resolve) => listener.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('cronbeat run --lock', () => {
  it('frees the lease of a runner killed with SIGKILL within its ttl, and the next runner gets the next token', async () => {
    const check = await addCheck(server);
    const first = join(dir, 'killed-token');
    const jobPid = join(dir, 'killed-job-pid');
    let killed: ChildProcess | undefined;
    const running = cli(
      [
        'run',
        check.pingCode,
        '--lock',
        '--lock-ttl',
        '5s',
        '--',
        'sh',
        '-c',
        'echo "$CRONBEAT_FENCING_TOKEN" > "$OUT"; echo $$ > "$PIDS"; exec sleep 120',
      ],
      { env: { ...envFor(server), OUT: first, PIDS: jobPid }, onSpawn: (child) => (killed = child) },
    );
    const firstToken = Number(await until('the first runner holds the lease', 30_000, () => read(first)));
    killed!.kill('SIGKILL');
    const killedAt = Date.now();
    expect((await running).signal).toBe('SIGKILL');
    // The lease lapses within the ttl of the kill: its last renewal was at most 5 s before it.
    const [lease] = await server.database.db.select().from(runLocks).where(eq(runLocks.checkId, check.id));
    expect(lease!.expiresAt!.getTime()).toBeLessThanOrEqual(killedAt + 5_000 + 100);
    // The job itself was not ours to kill; the runner was. Clean up the orphan.
    process.kill(Number(await until('the job wrote its pid', 5_000, () => read(jobPid))), 'SIGKILL');

    const second = join(dir, 'next-token');
    let skipped = 0;
    const acquiredAt = await until('the next runner gets the lease', 15_000, async () => {
      const result = await cli(
        ['run', check.pingCode, '--lock', '--lock-ttl', '5s', '--', 'sh', '-c', 'echo "$CRONBEAT_FENCING_TOKEN" > "$OUT"'],
        {
          env: { ...envFor(server), OUT: second },
        },
      );
      expect(result.code).toBe(0);
      if (read(second) === null) {
        expect(result.stderr).toContain('is held by');
        skipped++;
        return null;
      }
      return Date.now();
    });
    // Nobody released it: it was still held right after the kill, and lapsed by itself.
    expect(skipped).toBeGreaterThan(0);
    // Within the ttl of the last renewal (at most 5 s before the kill), plus a runner's start-up on this machine.
    expect(acquiredAt - killedAt).toBeLessThan(5_000 + 4_000);
    expect(Number(read(second))).toBe(firstToken + 1);
    console.info(
      `run lock: a runner killed with SIGKILL (ttl 5 s): its lease lapsed ${lease!.expiresAt!.getTime() - killedAt} ms after the kill; ` +
        `the next runner, started again and again, ran ${acquiredAt - killedAt} ms after it`,
    );
  }, 90_000);

  it('keeps the lease past its ttl while the command runs, by renewing it', async () => {
    const check = await addCheck(server);
    const marker = join(dir, 'long-job-started');
    const longRun = cli(['run', check.pingCode, '--lock', '--lock-ttl', '5s', '--', 'sh', '-c', 'touch "$OUT"; sleep 9'], {
      env: { ...envFor(server), OUT: marker },
    });
    await until('the long job started', 30_000, () => (existsSync(marker) ? true : null));
    await sleep(6_500);
    const other = await cli(['run', check.pingCode, '--lock', '--', 'sh', '-c', 'echo ran'], { env: envFor(server) });
    expect(other.stdout).toBe('');
    expect(other.stderr).toContain('is held by');
    expect((await longRun).code).toBe(0);
  }, 60_000);

  it("exits with the command's own status, releases the lease at once, and passes the token", async () => {
    const check = await addCheck(server);
    const failed = await cli(['run', check.pingCode, '--lock', '--', 'sh', '-c', 'echo "token $CRONBEAT_FENCING_TOKEN"; exit 7'], {
      env: envFor(server),
    });
    expect(failed.code).toBe(7);
    expect(failed.stdout).toBe('token 1\n');
    const next = await cli(['run', check.pingCode, '--lock', '--', 'sh', '-c', 'echo "token $CRONBEAT_FENCING_TOKEN"'], {
      env: envFor(server),
    });
    expect(next.stdout).toBe('token 2\n');
    const kinds = (await pingsOf(server, check.id)).map((ping) => [ping.kind, ping.exitStatus]);
    expect(kinds).toEqual([
      ['start', null],
      ['fail', 7],
      ['start', null],
      ['success', 0],
    ]);
  });

  it('keeps the command running and its exit status when Cronbeat goes away after the grant', async () => {
    const check = await addCheck(server);
    // A forwarder to the real server that can be cut: while cut it drops every connection, as a lost network does.
    let cut = false;
    const forwarder = createServer(async (request, response) => {
      if (cut) return request.socket.destroy();
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      const answer = await fetch(`${server.url}${request.url}`, {
        method: request.method ?? 'GET',
        headers: { 'content-type': request.headers['content-type'] ?? 'text/plain' },
        ...(body && { body }),
      });
      response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
      response.end(Buffer.from(await answer.arrayBuffer()));
    });
    await new Promise<void>((resolve) => forwarder.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(forwarder.address() as AddressInfo).port}`;
    try {
      const started = join(dir, 'cut-off-started');
      const running = cli(
        [
          'run',
          check.pingCode,
          '--lock',
          '--lock-ttl',
          '5s',
          '--timeout',
          '2s',
          '--',
          'sh',
          '-c',
          'touch "$OUT"; sleep 5; echo done; exit 3',
        ],
        { env: { CRONBEAT_URL: url, OUT: started } },
      );
      await until('the job started', 30_000, () => (existsSync(started) ? true : null));
      cut = true;
      const result = await running;
      expect(result.code).toBe(3);
      expect(result.stdout).toBe('done\n');
      expect(result.stderr).toContain('could not renew the run lock');
      expect(result.stderr).toContain('could not release the run lock');
    } finally {
      forwarder.closeAllConnections();
      await new Promise((resolve) => forwarder.close(resolve));
    }
  }, 60_000);

  it('exits with --skipped-exit when another runner holds the lock, without running the command', async () => {
    const check = await addCheck(server, { slug: 'locked-elsewhere' });
    const held = await acquireLock('locked-elsewhere', { url: server.url, pingKey: server.pingKey });
    expect(held.acquired).toBe(true);
    const result = await cli(['run', 'locked-elsewhere', '--lock', '--skipped-exit', '3', '--', 'sh', '-c', 'echo ran'], {
      env: envFor(server),
    });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^cronbeat: skipped: the run lock of locked-elsewhere is held by .+ \(pid \d+\) since /);
    expect((await pingsOf(server, check.id)).map((ping) => ping.kind)).toEqual(['skipped']);
    if (held.acquired) await held.lock.release();
  });

  it('fails closed: when Cronbeat cannot be reached the command does not run, and it exits 75 within the timeout', async () => {
    const result = await cli(['run', '0b7a4c58-3f51-4a55-9d8e-3c3c8e0c2f11', '--lock', '--timeout', '2s', '--', 'sh', '-c', 'echo ran'], {
      env: { CRONBEAT_URL: await closedPortUrl() },
    });
    expect(result.code).toBe(75);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/could not get the run lock of .*: ECONNREFUSED; not running the command \(--lock fails closed\)/);
    expect(result.elapsed).toBeLessThan(2_000 + 5_000);
  });

  it('fails closed on a check Cronbeat does not know: exit 1, the command not run', async () => {
    const result = await cli(['run', 'no-such-check', '--lock', '--', 'sh', '-c', 'echo ran'], { env: envFor(server) });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('could not get the run lock of no-such-check: 404 check not found');
  });

  it.each([
    [['--lock', '--lock-ttl', '2s'], '--lock-ttl must be whole seconds from 5s to 3600s'],
    [['--lock', '--lock-ttl', '2h'], '--lock-ttl must be whole seconds from 5s to 3600s'],
    [['--lock', '--skipped-exit', '256'], '--skipped-exit must be an exit code from 0 to 255'],
    [['--skipped-exit', '1'], '--lock-ttl and --skipped-exit go with --lock'],
  ])('refuses %j as a usage error', async (options, message) => {
    const result = await cli(['run', 'anything', ...options, '--', 'true'], { env: envFor(server) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

describe('withLock (SDK)', () => {
  it('acquireLock asks for the lease with ?create=1 when create is set, and renews and releases without it', async () => {
    // A forwarder to the real server that notes each request's method and path.
    const seen: string[] = [];
    const forwarder = createServer(async (request, response) => {
      seen.push(`${request.method} ${request.url?.replace(server.pingKey, '<key>')}`);
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const answer = await fetch(`${server.url}${request.url}`, {
        method: request.method ?? 'GET',
        headers: { 'content-type': 'application/json' },
        body: Buffer.concat(chunks),
      });
      response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
      response.end(Buffer.from(await answer.arrayBuffer()));
    });
    await new Promise<void>((resolve) => forwarder.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(forwarder.address() as AddressInfo).port}`;
    try {
      const attempt = await acquireLock('made-by-lock', { url, pingKey: server.pingKey, create: true, ttl: 5 });
      if (!attempt.acquired) throw new Error('the lease was not granted');
      expect(attempt.lock.token).toBe(1);
      // A third of the 5 s ttl: the first renewal.
      await until('a renewal', 5_000, () => (seen.length > 1 ? true : null));
      await attempt.lock.release();
      expect(seen).toEqual([
        'POST /ping/<key>/made-by-lock/lock?create=1',
        'PUT /ping/<key>/made-by-lock/lock',
        'DELETE /ping/<key>/made-by-lock/lock',
      ]);
      const [made] = await server.database.db.select().from(checks).where(eq(checks.slug, 'made-by-lock'));
      expect(made).toMatchObject({ autoCreated: true, projectId: server.projectId });
    } finally {
      await new Promise((resolve) => forwarder.close(resolve));
    }
  });

  it('runs one of two callers, reports the run, and hands out increasing tokens', async () => {
    const check = await addCheck(server);
    const options = { url: server.url, warn: () => {} };
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = withLock(
      check.pingCode,
      async (lease) => {
        await gate;
        return lease.token;
      },
      options,
    );
    await until('the first caller holds the lease', 10_000, async () => ((await pingsOf(server, check.id)).length > 0 ? true : null));
    const second = await withLock(check.pingCode, () => 'never', options);
    expect(second).toMatchObject({ ran: false, holder: { pid: process.pid } });
    release();
    expect(await first).toEqual({ ran: true, value: 1, token: 1 });
    expect(await withLock(check.pingCode, (lease) => lease.token, options)).toEqual({ ran: true, value: 2, token: 2 });
    const kinds = (await pingsOf(server, check.id)).map((ping) => ping.kind);
    expect(kinds.filter((kind) => kind === 'skipped')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'success')).toHaveLength(2);
  });

  it('rethrows what fn throws after releasing the lease', async () => {
    const check = await addCheck(server);
    const options = { url: server.url, warn: () => {}, monitor: false };
    await expect(withLock(check.pingCode, () => Promise.reject(new Error('disk full')), options)).rejects.toThrow('disk full');
    expect(await withLock(check.pingCode, (lease) => lease.token, options)).toMatchObject({ ran: true, value: 2 });
  });

  it('throws LockUnavailableError without calling fn when Cronbeat cannot be reached', async () => {
    let called = false;
    const attempt = withLock('0b7a4c58-3f51-4a55-9d8e-3c3c8e0c2f11', () => (called = true), { url: await closedPortUrl(), timeout: 1_000 });
    await expect(attempt).rejects.toBeInstanceOf(LockUnavailableError);
    await expect(attempt).rejects.toMatchObject({ unreachable: true });
    expect(called).toBe(false);
  });
});

/**
 * A stand-in for what sits between a runner and Cronbeat (a proxy, a load balancer): `answer` decides, for
 * each request, whether to pass it to the real server and what the runner gets back.
 */
async function inFront(answer: (method: string, passed: () => Promise<Response>) => Promise<{ status: number; body: string } | 'hang'>) {
  const front = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const passed = () =>
      fetch(`${server.url}${request.url}`, {
        method: request.method ?? 'GET',
        headers: { 'content-type': 'application/json' },
        ...(chunks.length > 0 && { body: Buffer.concat(chunks) }),
      });
    const reply = await answer(request.method ?? 'GET', passed);
    if (reply === 'hang') return;
    response.writeHead(reply.status, { 'content-type': 'text/html' }).end(reply.body);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(front.address() as AddressInfo).port}`,
    close: async () => {
      front.closeAllConnections();
      await new Promise((resolve) => front.close(resolve));
    },
  };
}
const relayed = async (response: Promise<Response>) => {
  const answer = await response;
  return { status: answer.status, body: await answer.text() };
};

describe('a lease between a runner and Cronbeat', () => {
  it('gives back a lease granted behind a proxy that answered 502, so the next runner is not kept out for the ttl', async () => {
    const check = await addCheck(server);
    const proxy = await inFront(async (method, passed) => {
      const answer = await passed();
      return method === 'POST' ? { status: 502, body: '<h1>Bad gateway</h1>' } : relayed(Promise.resolve(answer));
    });
    try {
      const attempt = acquireLock(check.pingCode, { url: proxy.url, ttl: 3600, timeout: 1_500, warn: () => {} });
      await expect(attempt).rejects.toMatchObject({ name: 'LockUnavailableError', unreachable: true });
    } finally {
      await proxy.close();
    }
    const next = await acquireLock(check.pingCode, { url: server.url, warn: () => {} });
    expect(next).toMatchObject({ acquired: true });
    if (next.acquired) await next.lock.release();
  });

  it('fails closed, with a LockUnavailableError, on answers that are neither a grant nor a holder', async () => {
    const check = await addCheck(server);
    for (const [status, body] of [
      [409, '<h1>Conflict</h1>'],
      [200, '<h1>Welcome to nginx</h1>'],
      [200, '{"token":"one"}'],
    ] as const) {
      const proxy = await inFront(async () => ({ status, body }));
      try {
        await expect(acquireLock(check.pingCode, { url: proxy.url, timeout: 1_000, warn: () => {} })).rejects.toMatchObject({
          name: 'LockUnavailableError',
          message: expect.stringContaining(`an answer that is not a lock (${status})`),
        });
      } finally {
        await proxy.close();
      }
    }
  });

  it('says once, and stops renewing, when Cronbeat refuses a renewal for good (the check deleted)', async () => {
    const check = await addCheck(server);
    const warnings: string[] = [];
    const attempt = await acquireLock(check.pingCode, { url: server.url, ttl: 5, warn: (line) => warnings.push(line) });
    if (!attempt.acquired) throw new Error('expected the lease');
    await server.database.db.delete(checks).where(eq(checks.id, check.id));
    // Renewals are due every 1.7 s: three periods would have warned three times.
    await sleep(5_500);
    expect(warnings.filter((line) => line.includes('could not renew'))).toEqual([
      expect.stringMatching(/^could not renew the run lock: 404 .*; no longer renewing it, it lapses within 5 s$/),
    ]);
    await attempt.lock.release(Date.now() + 1_000);
  });

  it("tries a hung renewal again soon, keeping others out past the lease's first end, and releases within its deadline", async () => {
    const check = await addCheck(server);
    let hangs = 3;
    const proxy = await inFront(async (method, passed) => {
      if (method === 'PUT' && hangs > 0) {
        hangs--;
        return 'hang';
      }
      return relayed(passed());
    });
    try {
      const warnings: string[] = [];
      const granted = Date.now();
      const attempt = await acquireLock(check.pingCode, { url: proxy.url, ttl: 9, warn: (line) => warnings.push(line) });
      if (!attempt.acquired) throw new Error('expected the lease');
      // ttl 9 s: a renewal due every 3 s, each request given 1 s, a failed one tried again after 0.5 s, so after three
      // hung ones the fourth lands at about 7.5 s. Waiting a whole period after each, it would come long after the lease ended at 9 s.
      await sleep(granted + 9_500 - Date.now());
      const other = await acquireLock(check.pingCode, { url: server.url, warn: () => {} });
      expect(other).toMatchObject({ acquired: false });
      expect(warnings.filter((line) => line.includes('could not renew'))).toHaveLength(3);
      hangs = 1; // the next renewal hangs: release waits for it no longer than its deadline
      await sleep(3_000);
      const releasing = Date.now();
      await attempt.lock.release(Date.now() + 300);
      expect(Date.now() - releasing).toBeLessThan(1_500);
    } finally {
      await proxy.close();
    }
  }, 30_000);
});
