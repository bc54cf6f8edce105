import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MetricsServer, serveMetrics } from '../src/metrics-server';
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
