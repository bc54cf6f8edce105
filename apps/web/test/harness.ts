import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { isCi, loadConfig } from '@cronbeat/config';
import { createDb, type Database, migrate } from '@cronbeat/db';
import { buildApp } from '@cronbeat/server';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const WEB_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Screenshots land here (gitignored), for people to look at after a run. */
export const ARTIFACTS = fileURLToPath(new URL('../test-results', import.meta.url));

/** Browser tests run where Chromium is; under CI a missing browser is a failure, not a skip. */
export const browserMissing = !existsSync(CHROMIUM);
export const skipBrowser = browserMissing && !isCi();

/** Builds the dashboard into apps/web/dist with the workspace's own Vite, as `npm run build` does. */
export function buildDashboard() {
  // npm may nest this workspace's Vite under apps/web or hoist it to the root.
  const vite = [`${WEB_ROOT}/node_modules/vite/bin/vite.js`, `${WEB_ROOT}/../../node_modules/vite/bin/vite.js`].find((path) =>
    existsSync(path),
  );
  if (!vite) throw new Error('vite is not installed: run npm ci');
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'error'], {
    cwd: WEB_ROOT,
    stdio: 'inherit',
  });
  mkdirSync(ARTIFACTS, { recursive: true });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningCronbeat {
  url: string;
  app: FastifyInstance;
  database: Database;
  close(): Promise<void>;
}

/** A real Cronbeat server on in-memory PGlite, on 127.0.0.1 (its BASE_URL must be the origin the browser sends). */
export async function startCronbeat(): Promise<RunningCronbeat> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({ LOG_LEVEL: 'silent', BASE_URL: url, PORT: String(port), HOST: '127.0.0.1' });
  const database = await createDb({ databaseUrl: null, dataDir: 'memory://' });
  await migrate(database, null);
  const app = await buildApp(config, { database });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    url,
    app,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

let counter = 0;
/** A fresh email per call, so tests never share an account. */
export const uniqueEmail = () => `person-${process.pid}-${Date.now()}-${++counter}@example.com`;
export const PASSWORD = 'correct horse battery staple';
