/**
 * Makes, under the path given, two PGlite data directories: `initialised`
 * (initdb has run, no migration) and `migrated` (the same, migrated). In a
 * process of its own: WebAssembly memory never shrinks, so the test run's
 * main process should not be the one that runs initdb (see `src/pglite.ts`).
 * initdb costs about 6 s of CPU, and tests of a first start or of the
 * migrations themselves copy `initialised` instead of running it again.
 *
 * Every PGlite test database starts as a copy of this directory, so it is
 * made small: a copy cost about 0.3 s of CPU, mostly system calls, for
 * 40 MB in 1,086 files. A new install's directory holds three databases
 * (template0 and template1 besides the `postgres` one Cronbeat uses) and a
 * 16 MB WAL segment; the template has only `postgres`, 1 MB WAL segments and
 * a short WAL, 14 MB in 377 files. A test database behaves as a new
 * install's: the segment size and the missing templates matter only to
 * CREATE DATABASE and WAL archiving, which Cronbeat does not use on PGlite.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createDb } from '../src/client';
import { migrate } from '../src/migrate';
import { PGLITE_START_PARAMS } from '../src/pglite';

const [templates] = process.argv.slice(2);
if (!templates) throw new Error('usage: make-pglite-template.ts <folder>');
const initialisedDir = join(templates, 'initialised');
const dataDir = join(templates, 'migrated');
mkdirSync(templates, { recursive: true });

const initialised = await PGlite.create({
  dataDir: initialisedDir,
  startParams: PGLITE_START_PARAMS,
  initDbStartParams: ['--wal-segsize=1'],
});
try {
  // One statement each: DROP DATABASE may not share a multi-statement query (an implicit transaction).
  for (const template of ['template0', 'template1']) {
    await initialised.exec(`alter database ${template} is_template false`);
    await initialised.exec(`drop database ${template}`);
  }
} finally {
  await initialised.close();
}

// Opened as Cronbeat opens a directory it finds initialised, and migrated.
cpSync(initialisedDir, dataDir, { recursive: true });
const database = await createDb({ databaseUrl: null, dataDir });
try {
  await migrate(database, null);
} finally {
  await database.close();
}

await settle(initialisedDir);
await settle(dataDir, join(templates, 'migrated.tar'));

/**
 * Written out now, so every copy starts without replaying WAL, and with few WAL segments kept.
 * `image`: where to write the directory as PGlite's tarball too, which in-memory test databases
 * start from (no files to copy: the copy was 0.4 s of system CPU per database, as much as PGlite's start).
 */
async function settle(directory: string, image?: string): Promise<void> {
  const settled = await PGlite.create({
    dataDir: directory,
    startParams: [...PGLITE_START_PARAMS, '-c', 'min_wal_size=2MB', '-c', 'max_wal_size=4MB'],
  });
  try {
    await settled.query('checkpoint');
    if (image) writeFileSync(image, new Uint8Array(await (await settled.dumpDataDir('none')).arrayBuffer()));
  } finally {
    await settled.close();
  }
}
