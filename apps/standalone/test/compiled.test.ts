/**
 * What the image runs: the apps compiled to JavaScript by `npm run build:apps`
 * and started by plain Node, with no tsx in the process.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '@cronbeat/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BUNDLES = [
  'apps/standalone/dist/main.js',
  'apps/server/dist/main.js',
  'apps/worker/dist/main.js',
  'packages/db/dist/migrate.js',
  'packages/db/dist/copy.js',
];
const run = promisify(execFile);

/** Runs a bundle with plain Node and a clean environment; resolves once `ready` appears in its output. */
function startBundle(bundle: string, env: Record<string, string>, ready: string): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [join(ROOT, bundle)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(ready)) resolve({ child, output: () => output });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${bundle} exited with ${code}:\n${output}`)));
  });
}

describe('the compiled apps', () => {
  let dataDir: string;
  beforeAll(async () => {
    // The image builds the dashboard before the apps (`npm run build`); the script takes turns with the browser suites.
    await run(process.execPath, [join(ROOT, 'apps/web/scripts/ensure-built.mjs')], { cwd: ROOT });
    await run(process.execPath, [join(ROOT, 'scripts/build-apps.mjs')], { cwd: ROOT });
    dataDir = mkdtempSync(join(tmpdir(), 'cronbeat-compiled-'));
  }, 180_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('builds one bundle per role, free of TypeScript', () => {
    for (const bundle of BUNDLES) expect(existsSync(join(ROOT, bundle)), bundle).toBe(true);
  });

  it('migrates with plain Node', async () => {
    const { stdout } = await run(process.execPath, [join(ROOT, 'packages/db/dist/migrate.js')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
    });
    expect(stdout).toContain(`Migrations applied (PGlite in ${dataDir})`);
  }, 60_000);

  it('runs everything in one process: takes a ping, serves the dashboard, and stops cleanly', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { child } = await startBundle(
      'apps/standalone/dist/main.js',
      { PORT: String(port), DATA_DIR: dataDir, BASE_URL: base, LOG_LEVEL: 'info' },
      'Cronbeat is running',
    );
    try {
      const signup = await fetch(`${base}/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base },
        body: JSON.stringify({ email: 'ops@example.com', password: 'correct horse battery', projectName: 'Ops' }),
      });
      expect(signup.status).toBe(201);
      const cookie = signup.headers.get('set-cookie')!.split(';')[0]!;
      const headers = { 'content-type': 'application/json', origin: base, cookie };
      const created = await fetch(`${base}/api/v1/checks`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'Backup', period: 3600 }),
      });
      expect(created.status).toBe(201);
      const check = (await created.json()) as { id: string; pingUrl: string };
      expect((await fetch(check.pingUrl)).status).toBe(200);
      const pings = (await (await fetch(`${base}/api/v1/checks/${check.id}/pings`, { headers })).json()) as { pings: unknown[] };
      expect(pings.pings).toHaveLength(1);
      const dashboard = await fetch(`${base}/`);
      expect(dashboard.status).toBe(200);
      expect(await dashboard.text()).toContain('<div id="root">');
    } finally {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 60_000);
});
