import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './cronbeat-server';

const CHECK = '0b7a4c58-3f51-4a55-9d8e-3c3c8e0c2f11';
/** Node and tsx starting up; everything beyond this and the timeout would be Cronbeat delaying the job. */
const STARTUP_SLACK_MS = 2500;

// These receivers stand in for Cronbeat being down or failing, which our real server cannot be made to do on cue.
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port that was free a moment ago: connections to it are refused. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  const url = await listen(server);
  servers.pop();
  await new Promise((resolve) => server.close(resolve));
  return url;
}

describe('cronbeat run when Cronbeat is unreachable', () => {
  it('still runs the job, shows its output and exits with its code within the timeout plus a little', async () => {
    const url = await closedPortUrl();
    const result = await cli(['run', CHECK, '--timeout', '2s', '--', 'sh', '-c', 'echo still ran; exit 4'], { env: { CRONBEAT_URL: url } });
    expect(result.code).toBe(4);
    expect(result.stdout).toBe('still ran\n');
    expect(result.stderr).toMatch(/cronbeat: .*ping not recorded: ECONNREFUSED/);
    expect(result.elapsed).toBeLessThan(2000 + STARTUP_SLACK_MS);
  });

  it('does not hold the job back while a hanging server swallows the start ping', async () => {
    const url = await listen(createServer(() => {})); // accepts, never answers
    const before = Date.now();
    const result = await cli(['run', CHECK, '--timeout', '3s', '--', process.execPath, '-e', 'console.log(Date.now())'], {
      env: { CRONBEAT_URL: url },
    });
    expect(result.code).toBe(0);
    // The job started long before the start ping could have timed out.
    expect(Number(result.stdout) - before).toBeLessThan(STARTUP_SLACK_MS);
    expect(result.elapsed).toBeLessThan(3000 + STARTUP_SLACK_MS);
    expect(result.stderr).toContain('timed out');
  });

  it('runs the job and warns when CRONBEAT_URL is not set', async () => {
    const result = await cli(['run', CHECK, '--', 'sh', '-c', 'echo fine']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('fine\n');
    expect(result.stderr).toContain('CRONBEAT_URL is not set');
  });
});

describe('retries', () => {
  it('retries a ping answered 503 until it is recorded', async () => {
    let requests = 0;
    const url = await listen(
      createServer((_request, response) => {
        requests++;
        response.writeHead(requests <= 2 ? 503 : 200, { 'content-type': 'text/plain' }).end(requests <= 2 ? 'unavailable' : 'OK');
      }),
    );
    const result = await cli(['ping', CHECK, '--timeout', '5s'], { env: { CRONBEAT_URL: url } });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('200 OK\n');
    expect(requests).toBe(3);
  });

  it('gives up when the timeout runs out and exits 1 for a ping that was not recorded', async () => {
    let requests = 0;
    const url = await listen(
      createServer((_request, response) => {
        requests++;
        response.writeHead(503).end('unavailable');
      }),
    );
    const result = await cli(['ping', CHECK, '--timeout', '1s'], { env: { CRONBEAT_URL: url } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('503 unavailable\n');
    expect(requests).toBeGreaterThan(1);
    expect(result.elapsed).toBeLessThan(1000 + STARTUP_SLACK_MS);
  });
});

describe('the SDK when Cronbeat is unreachable', () => {
  it('monitor() returns the function’s result after warnings, within the timeout', async () => {
    const { monitor } = await import('../src');
    const url = await closedPortUrl();
    const warnings: string[] = [];
    const started = Date.now();
    const result = await monitor(CHECK, async () => 'done', { url, timeout: 500, warn: (message) => warnings.push(message) });
    expect(result).toBe('done');
    expect(Date.now() - started).toBeLessThan(500 + 600); // the timeout, plus one last short attempt
    expect(warnings).toEqual([expect.stringContaining('start ping not recorded'), expect.stringContaining('success ping not recorded')]);
  });
});
