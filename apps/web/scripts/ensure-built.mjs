#!/usr/bin/env node
/**
 * Builds the dashboard when apps/web/dist is missing or older than its
 * sources, so `npm start` on a fresh clone serves it. A no-op (a few stat
 * calls) when the build is current. Callers running at once (test files in
 * parallel) take turns on a lock directory: one builds, the others wait and
 * then find the build current.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = `${root}dist/index.html`;

/** Newest modification time under `path`, in milliseconds. */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(`${path}/${name}`)));
}

/** Longer than any build: a lock older than this was left by a killed process. */
const STALE_LOCK_MS = 120_000;
const lock = `${root}.build-lock`;

/** Waits for the lock, synchronously (this runs as a plain script, before anything else). */
function takeLock() {
  const deadline = Date.now() + STALE_LOCK_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const heldSince = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - heldSince > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`another build held ${lock} for two minutes`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}

// The workspace packages the dashboard imports are part of its sources: a change to a status or a rule there changes the bundle.
const sources = [
  'src',
  'index.html',
  'vite.config.ts',
  'package.json',
  '../../packages/contract/src',
  '../../packages/core/src',
  '../../packages/client/src',
]
  .map((name) => `${root}${name}`)
  .filter((path) => existsSync(path));
const current = () => existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newest));
if (current()) process.exit(0);

takeLock();
try {
  if (!current()) {
    console.log('building the dashboard (apps/web)…');
    const vite = [`${root}node_modules/vite/bin/vite.js`, `${root}../../node_modules/vite/bin/vite.js`].find((path) => existsSync(path));
    if (!vite) {
      console.error('vite is not installed: run npm ci first');
      process.exitCode = 1;
    } else {
      // Always the production build: a NODE_ENV inherited from the caller (vitest sets `test`) would
      // otherwise make Vite bundle React's development build, 620 KB instead of 360 KB and slower to run.
      execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, NODE_ENV: 'production' },
      });
    }
  }
} finally {
  rmSync(lock, { recursive: true, force: true });
}
