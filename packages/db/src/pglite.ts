/**
 * Opening the embedded database (PGlite: Postgres compiled to WebAssembly)
 * so that it costs the process as little memory as it can.
 *
 * WebAssembly memory only grows: whatever Postgres once touched stays
 * resident for as long as the process lives. Two things touch most of it,
 * and neither is needed by a process that serves Cronbeat:
 *
 * - `initdb`. On a new data directory PGlite runs initdb in a second
 *   PGlite instance and then copies its files over; the process that did
 *   it stayed at about 900 MB afterwards (600 MB idle, 1 GB at its peak),
 *   where one that opens the same directory later stays at a third of that.
 *   So a new directory is initialised by a short-lived child process that
 *   exits, giving all of it back, and this process then opens the
 *   directory as on any restart.
 * - `shared_buffers`. initdb writes Postgres's default, 128 MB, and PGlite
 *   touches the whole pool as it starts: 165 MB of resident memory before
 *   the first query. Every page PGlite reads comes from the operating
 *   system's page cache (a file read, no disk), so a small pool costs a copy
 *   per page read, not I/O. It is set at every start (a start parameter,
 *   not the data directory's postgresql.conf), so directories made by
 *   earlier versions get it too.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';

/** Postgres's buffer pool inside PGlite. Measured: 128 MB (the default) 311 MB RSS idle, 32 MB 171 MB, 16 MB 146 MB. */
export const PGLITE_SHARED_BUFFERS = '16MB';

/** PGlite's own start parameters, with the smaller buffer pool. */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`];

/** Longest the initialising child may take before start-up fails: initdb takes 5 to 20 s on a busy small machine. */
const INIT_TIMEOUT_MS = 180_000;

/**
 * Opens the PGlite database in `dataDir` (`memory://…` keeps it in memory),
 * first initialising a new directory in a child process (see above). An
 * in-memory database starts from `image` when given: a data directory as
 * PGlite's `dumpDataDir` writes it (tests start each database from a migrated one).
 */
export async function openPglite(dataDir: string, image?: Blob): Promise<PGlite> {
  if (dataDir.startsWith('memory://')) {
    return PGlite.create({ dataDir, startParams: PGLITE_START_PARAMS, ...(image ? { loadDataDir: image } : {}) });
  }
  if (image) throw new Error(`a data directory image starts only an in-memory database, not ${dataDir}`);
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initialiseInChild(dataDir);
  return PGlite.create({ dataDir, startParams: PGLITE_START_PARAMS });
}

/**
 * Runs PGlite's initdb on `dataDir` in a Node process of its own, which
 * exits when done. Plain JavaScript given on the command line, importing
 * the PGlite installed beside this module by its file's URL, so it runs the
 * same under tsx, from the compiled bundles and in tests. The file is found
 * with require.resolve, which works under every loader (vitest's module
 * runner has no import.meta.resolve); it names PGlite's CommonJS build, the
 * same code and WebAssembly as its ES module build.
 *
 * The child compiles Postgres's WebAssembly with V8's baseline compiler only
 * (`--liftoff-only`): it runs initdb once and exits, so optimising the hot
 * functions again (TurboFan) never paid back. Measured on 2 cores: Node 20
 * 3.7 → 2.1 s of user CPU, 0.5 s sooner, peak RSS 790 → 674 MB (three runs
 * each); Node 24 2.6 → 1.8 s, peak RSS 1.1 GB → 689 MB.
 */
async function initialiseInChild(dataDir: string): Promise<void> {
  const pglite = pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href;
  const script = `const { PGlite } = await import(${JSON.stringify(pglite)});
const db = await PGlite.create({ dataDir: ${JSON.stringify(dataDir)}, startParams: ${JSON.stringify(PGLITE_START_PARAMS)} });
await db.close();`;
  const child = spawn(process.execPath, ['--liftoff-only', '--input-type=module', '--eval', script], {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: INIT_TIMEOUT_MS,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 10_000) stderr += chunk.toString();
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  if (code !== 0) {
    throw new Error(`initialising the PGlite data directory ${dataDir} failed (${signal ?? `exit code ${code}`}): ${stderr.trim()}`);
  }
}
