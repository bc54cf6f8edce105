/**
 * The CLI the client tests spawn: the current sources bundled by esbuild
 * into one file that plain `node` starts. Starting bin/cronbeat.js from the
 * repository compiles the TypeScript through tsx in every child, about a
 * second of CPU per spawn, and the client suites spawn it dozens of times.
 *
 * The bundle is kept between runs under node_modules/.cache, named by a
 * hash of everything that can change it: the sources of the client and of
 * the workspaces it bundles, the lockfile (the versions of yaml and
 * esbuild) and this file. Any edit to those makes a new bundle, so the
 * tests always run the code as it is now.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const CLIENT = fileURLToPath(new URL('../..', import.meta.url));
const REPOSITORY = fileURLToPath(new URL('../../../..', import.meta.url));
const CACHE = join(REPOSITORY, 'node_modules/.cache/cronbeat-test');
/** Folders whose sources can end up in the bundle: the client's, the contract it bundles, and core, which the contract imports. */
const SOURCES = ['packages/client/src', 'packages/contract/src', 'packages/core/src'].map((path) => join(REPOSITORY, path));
/** A bundle no run has used for this long belongs to sources long gone. */
const STALE_MS = 24 * 60 * 60 * 1000;

function bundleKey(): string {
  const hash = createHash('sha256');
  const files = SOURCES.flatMap((dir) =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name)),
  ).sort();
  for (const file of files) hash.update(`${relative(REPOSITORY, file)}\n`).update(readFileSync(file));
  for (const file of [join(REPOSITORY, 'package-lock.json'), fileURLToPath(import.meta.url)]) hash.update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

/** Builds src/bin.ts into `outfile` the way scripts/build.mjs builds the published dist/bin.js. */
async function bundle(outfile: string): Promise<void> {
  const result = await build({
    absWorkingDir: CLIENT,
    entryPoints: ['src/bin.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    // yaml is CommonJS that require()s Node's modules; an ES module has no `require` of its own.
    banner: {
      js: "import { createRequire as __cronbeatRequire } from 'node:module';\nconst require = __cronbeatRequire(import.meta.url);",
    },
    metafile: true,
    logLevel: 'warning',
  });
  // The key above must cover every source the bundle holds, or an edit could go untested.
  const uncovered = Object.keys(result.metafile.inputs)
    .map((input) => join(CLIENT, input))
    .filter((input) => !input.includes('/node_modules/') && !SOURCES.some((dir) => input.startsWith(`${dir}/`)));
  if (uncovered.length > 0) {
    throw new Error(`the CLI bundle holds sources its cache key does not cover (add their folder to SOURCES): ${uncovered.join(', ')}`);
  }
}

function removeStaleBundles(current: string): void {
  for (const entry of readdirSync(CACHE)) {
    const path = join(CACHE, entry);
    if (!entry.startsWith('client-cli-') || path === current) continue;
    if (Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
  }
}

/** The path of the CLI bundle for the current sources, built now unless a run before built the same one. */
export async function cliBundle(): Promise<string> {
  const dir = join(CACHE, `client-cli-${bundleKey()}`);
  const bin = join(dir, 'cronbeat.mjs');
  if (!existsSync(bin)) {
    mkdirSync(CACHE, { recursive: true });
    // Built aside and renamed into place, so a run starting meanwhile never spawns half a bundle.
    const making = `${dir}.making-${randomBytes(4).toString('hex')}`;
    try {
      await bundle(join(making, 'cronbeat.mjs'));
      renameSync(making, dir);
    } catch (error) {
      rmSync(making, { recursive: true, force: true });
      // Another run put the same bundle in place first: use that one.
      if (!existsSync(bin)) throw error;
    }
  }
  const now = new Date();
  utimesSync(dir, now, now);
  removeStaleBundles(dir);
  return bin;
}
