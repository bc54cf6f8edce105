#!/usr/bin/env node
/**
 * Builds the dashboard when apps/web/dist is missing or older than its
 * sources, so `npm start` on a fresh clone serves it. A no-op (a few stat
 * calls) when the build is current.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = `${root}dist/index.html`;

/** Newest modification time under `path`, in milliseconds. */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(`${path}/${name}`)));
}

const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((name) => `${root}${name}`).filter((path) => existsSync(path));
if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newest))) process.exit(0);

console.log('building the dashboard (apps/web)…');
const vite = [`${root}node_modules/vite/bin/vite.js`, `${root}../../node_modules/vite/bin/vite.js`].find((path) => existsSync(path));
if (!vite) {
  console.error('vite is not installed: run npm ci first');
  process.exit(1);
}
execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
