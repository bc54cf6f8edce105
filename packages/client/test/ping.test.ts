import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monitor, ping, withCronbeat } from '../src';
import { addCheck, type CronbeatServer, checkRow, cli, envFor, pingsOf, startCronbeat } from './cronbeat-server';

let server: CronbeatServer;
beforeAll(async () => {
  server = await startCronbeat();
});
afterAll(() => server.close());

describe('cronbeat ping against a real server', () => {
  it('sends each kind and prints the server’s answer', async () => {
    const check = await addCheck(server, { slug: 'pinged' });
    for (const [kind, stored] of [
      ['start', 'start'],
      ['success', 'success'],
      ['log', 'log'],
      ['fail', 'fail'],
      ['0', 'success'],
    ] as const) {
      const result = await cli(['ping', check.pingCode, kind], { env: envFor(server) });
      expect(result.stdout).toBe('200 OK\n');
      expect(result.code).toBe(0);
      expect((await pingsOf(server, check.id)).at(-1)!.kind).toBe(stored);
    }
    const bySlug = await cli(['ping', 'pinged', '7'], { env: envFor(server) });
    expect(bySlug.code).toBe(0);
    expect((await pingsOf(server, check.id)).at(-1)!.exitStatus).toBe(7);
  });

  it('sends the body from stdin with --body -', async () => {
    const check = await addCheck(server);
    const result = await cli(['ping', check.pingCode, 'log', '--body', '-'], { env: envFor(server), stdin: 'disk 91% full\n' });
    expect(result.code).toBe(0);
    expect((await pingsOf(server, check.id)).at(-1)!.body).toBe('disk 91% full\n');
  });

  it('pings by the ping code that `checks get` shows, and not by the check id', async () => {
    const check = await addCheck(server, { slug: 'coded' });
    const shown = await cli(['checks', 'get', 'coded'], { env: envFor(server) });
    expect(shown.stdout).toContain(`ping code: ${check.pingCode}\n`);
    expect(shown.stdout).toMatch(new RegExp(`ping url:  \\S+/ping/${check.pingCode}\n`));
    const byId = await cli(['ping', check.id], { env: envFor(server) });
    expect(byId).toMatchObject({ code: 1, stderr: '404 not found\n' });
    expect(await pingsOf(server, check.id)).toHaveLength(0);
    expect((await cli(['ping', check.pingCode], { env: envFor(server) })).code).toBe(0);
    expect(await pingsOf(server, check.id)).toHaveLength(1);
  });

  it('exits 1 and prints 404 for an unknown check, without retrying', async () => {
    const result = await cli(['ping', '5f0c1f5e-0c5e-4e4e-8d8d-1d1d1d1d1d1d'], { env: envFor(server) });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('404 not found\n');
  });

  it('exits 2 with a usage message for a bad kind', async () => {
    const result = await cli(['ping', 'x', 'finished'], { env: envFor(server) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ping kind must be');
  });
});

describe('the SDK against a real server', () => {
  it('ping() records a ping and reports the answer', async () => {
    const check = await addCheck(server);
    const result = await ping(check.pingCode, 'start', { url: server.url });
    expect(result).toMatchObject({ ok: true, status: 200, message: 'OK' });
    expect((await checkRow(server, check.id)).lastStart).not.toBeNull();
  });

  it('monitor() reports start and success around a function and returns its result', async () => {
    const check = await addCheck(server);
    expect(await monitor(check.pingCode, async () => 42, { url: server.url })).toBe(42);
    const stored = await pingsOf(server, check.id);
    expect(stored.map((p) => p.kind)).toEqual(['start', 'success']);
    expect(stored[1]!.rid).toBe(stored[0]!.rid);
  });

  it('monitor() reports fail with the error and rethrows it', async () => {
    const check = await addCheck(server);
    const failing = monitor(
      check.pingCode,
      async () => {
        throw new Error('backup target full');
      },
      { url: server.url },
    );
    await expect(failing).rejects.toThrow('backup target full');
    const last = (await pingsOf(server, check.id)).at(-1)!;
    expect(last.kind).toBe('fail');
    expect(last.body).toContain('Error: backup target full');
  });

  it('withCronbeat() reports each BullMQ job to the check named after it', async () => {
    const check = await addCheck(server, { slug: 'nightly-report' });
    const processor = withCronbeat(async (job: { name: string; data: { n: number } }) => job.data.n * 2, {
      url: server.url,
      pingKey: server.pingKey,
    });
    expect(await processor({ name: 'nightly-report', data: { n: 21 } })).toBe(42);
    expect((await pingsOf(server, check.id)).map((p) => p.kind)).toEqual(['start', 'success']);
  });
});
