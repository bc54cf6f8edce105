import { rmSync } from 'node:fs';
import { loadConfig } from '@cronbeat/config';
import { migratedDataDir } from '@cronbeat/db/testing';
import { freePort } from '@cronbeat/runtime/testing';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { runStandalone } from '../src/run';

it("shows the worker's sweep metrics on the server's /metrics, and the sweep count grows", async () => {
  const port = await freePort();
  const dataDir = migratedDataDir();
  const cronbeat = await runStandalone(
    loadConfig({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
    pino({ level: 'silent' }),
  );
  try {
    const sweeps = async () => {
      const text = await (await fetch(`${cronbeat.url}/metrics`)).text();
      expect(text).toContain('cronbeat_pings_total');
      expect(text).toMatch(/^cronbeat_sweep_lag_seconds 0$/m);
      const line = text.split('\n').find((candidate) => candidate.startsWith('cronbeat_sweep_duration_seconds_count{outcome="ok"} '));
      return Number(line?.split(' ')[1] ?? 0);
    };
    const first = await sweeps();
    await expect.poll(sweeps, { timeout: 5000 }).toBeGreaterThan(first);
  } finally {
    await cronbeat.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
