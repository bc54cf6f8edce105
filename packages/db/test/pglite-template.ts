/**
 * The PGlite templates test databases start from: `migrated.tar` for every
 * in-memory test database, the `migrated` directory for tests that need a
 * data directory on disk, `initialised` (no migration yet) for tests of a
 * first start or of the migrations. Making them (initdb, then the
 * migrations) costs several seconds of CPU, so they are kept between runs
 * under node_modules/.cache, named by a hash of everything that shapes
 * them: the migrations, the code that opens the database and applies them,
 * and the versions of PGlite and drizzle-orm.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { MIGRATIONS_FOLDER } from '../src/migrate';

const require = createRequire(import.meta.url);
const run = promisify(execFile);
const MAKE = fileURLToPath(new URL('make-pglite-template.ts', import.meta.url));
const CACHE = fileURLToPath(new URL('../../../node_modules/.cache/cronbeat-test', import.meta.url));

/** The installed version of `name`, read from the package.json above its entry point (not every package exports it). */
function versionOf(name: string): string {
  for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name: found, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version: string };
    if (found === name) return version;
  }
  throw new Error(`no package.json found for ${name}`);
}

function templateKey(): string {
  const hash = createHash('sha256');
  for (const name of ['@electric-sql/pglite', 'drizzle-orm']) hash.update(`${name}@${versionOf(name)}\n`);
  for (const code of ['../src/client.ts', '../src/pglite.ts', '../src/migrate.ts', 'make-pglite-template.ts']) {
    const path = fileURLToPath(new URL(code, import.meta.url));
    if (existsSync(path)) hash.update(readFileSync(path));
  }
  const files = readdirSync(MIGRATIONS_FOLDER, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of files) hash.update(`${file.slice(MIGRATIONS_FOLDER.length)}\n`).update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

export interface PgliteTemplates {
  /** initdb has run; no migration. */
  initialised: string;
  /** The same, migrated. */
  migrated: string;
  /** `migrated` as PGlite's tarball, for in-memory databases (`openPglite`'s image). */
  migratedImage: string;
}

/** A template no run has used for this long belongs to migrations or code long gone (15 MB or more each). */
const STALE_MS = 24 * 60 * 60 * 1000;

/** The template directories, made now unless a run before made the same ones. */
export async function pgliteTemplate(): Promise<PgliteTemplates> {
  const folder = join(CACHE, `pglite-${templateKey()}`);
  const templates = {
    initialised: join(folder, 'initialised'),
    migrated: join(folder, 'migrated'),
    migratedImage: join(folder, 'migrated.tar'),
  };
  if (!existsSync(join(templates.migrated, 'PG_VERSION'))) await make(folder);
  const now = new Date();
  utimesSync(folder, now, now);
  removeStaleTemplates(folder);
  return templates;
}

function removeStaleTemplates(current: string): void {
  for (const entry of readdirSync(CACHE)) {
    const path = join(CACHE, entry);
    if (!entry.startsWith('pglite-') || path === current) continue;
    if (Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
  }
}

async function make(folder: string): Promise<void> {
  const migrated = join(folder, 'migrated');
  mkdirSync(CACHE, { recursive: true });
  // Made aside and renamed into place, so a run starting meanwhile never copies half a template.
  const making = `${folder}.making-${randomBytes(4).toString('hex')}`;
  try {
    // Baseline-compiled WebAssembly only, as Cronbeat's own initdb child (src/pglite.ts): a one-off process.
    await run(process.execPath, ['--liftoff-only', '--import', 'tsx', MAKE, making], { cwd: dirname(MAKE) });
  } catch (error) {
    rmSync(making, { recursive: true, force: true });
    throw error;
  }
  try {
    renameSync(making, folder);
  } catch (error) {
    // Another run put the same template in place first: use that one.
    rmSync(making, { recursive: true, force: true });
    if (!existsSync(join(migrated, 'PG_VERSION'))) throw error;
  }
}
