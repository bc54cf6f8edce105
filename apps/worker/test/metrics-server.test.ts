import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MetricsServer, serveMetrics } from '../src/metrics-server';
import { ROOT } from './support/deployment';
// Registers the worker's metrics on the default registry, as the worker does at start.
import '../src/metrics';

describe("a worker's own /metrics (METRICS_PORT)", () => {
  const token = 'scrape-k3y-0123456789';
  let open: MetricsServer;
  let guarded: MetricsServer;
  beforeAll(async () => {
    [open, guarded] = await Promise.all([serveMetrics(0, '127.0.0.1'), serveMetrics(0, '127.0.0.1', token)]);
  });
  afterAll(() => Promise.all([open?.close(), guarded?.close()]));

  it('serves the Prometheus text on /metrics and nothing else', async () => {
    const scraped = await fetch(`${open.address}/metrics`);
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await scraped.text()).toContain('cronbeat_sweep_duration_seconds');
    expect((await fetch(`${open.address}/other`)).status).toBe(404);
    expect((await fetch(`${open.address}/metrics`, { method: 'POST' })).status).toBe(404);
  });

  it('with METRICS_TOKEN, answers only the bearer of the token', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', token, `Bearer ${token}x`]) {
      const refused = await fetch(`${guarded.address}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(refused.status, String(authorization)).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    }
    const scraped = await fetch(`${guarded.address}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(scraped.status).toBe(200);
  });
});

describe("a worker's /healthz and /readyz (METRICS_PORT)", () => {
  const token = 'scrape-k3y-0123456789';
  let health = { ready: true, sweep: 'ok', redis: 'ok' };
  let server: MetricsServer;
  beforeAll(async () => {
    server = await serveMetrics(0, '127.0.0.1', token, () => health);
  });
  afterAll(() => server?.close());

  it('answers /readyz 200 while the worker works and 503 while it cannot, saying why, with no token needed', async () => {
    health = { ready: true, sweep: 'ok', redis: 'ok' };
    const ready = await fetch(`${server.address}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', sweep: 'ok', redis: 'ok' });

    health = { ready: false, sweep: 'ok', redis: 'unreachable' };
    const notReady = await fetch(`${server.address}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: 'unavailable', sweep: 'ok', redis: 'unreachable' });
    // The process itself is fine: liveness must not restart a worker that waits for Redis.
    const alive = await fetch(`${server.address}/healthz`);
    expect(alive.status).toBe(200);
    expect(await alive.json()).toEqual({ status: 'ok' });
    // /metrics keeps its token.
    expect((await fetch(`${server.address}/metrics`)).status).toBe(401);
  });

  it('has the container health check (healthcheck.ts) follow /readyz', async () => {
    const port = new URL(server.address).port;
    /** Exit code and output of the health check, run as docker-compose runs it. */
    const check = () =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/healthcheck.ts'], {
          cwd: ROOT,
          env: { PATH: process.env.PATH ?? '', METRICS_PORT: port, HOST: '0.0.0.0' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk));
        child.once('exit', (code) => resolve({ code, output }));
      });
    health = { ready: true, sweep: 'ok', redis: 'ok' };
    expect(await check()).toEqual({ code: 0, output: '' });
    health = { ready: false, sweep: 'ok', redis: 'unreachable' };
    const failed = await check();
    expect(failed.code).toBe(1);
    expect(failed.output).toMatch(/worker health check failed: \/readyz answered 503: .*"redis":"unreachable"/);
  });
});
