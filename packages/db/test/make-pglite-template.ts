/**
 * Makes a migrated PGlite data directory at the path given, in a process of
 * its own: WebAssembly memory never shrinks, so the test run's main process
 * should not be the one that runs initdb (see `src/pglite.ts`).
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
import { PGlite } from '@electric-sql/pglite';
import { createDb } from '../src/client';
import { migrate } from '../src/migrate';
import { PGLITE_START_PARAMS } from '../src/pglite';

const [dataDir] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: make-pglite-template.ts <data directory>');

const initialised = await PGlite.create({ dataDir, startParams: PGLITE_START_PARAMS, initDbStartParams: ['--wal-segsize=1'] });
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
const database = await createDb({ databaseUrl: null, dataDir });
try {
  await migrate(database, null);
} finally {
  await database.close();
}

// Written out now, so every copy starts without replaying the migrations' WAL, and with few WAL segments kept.
const settled = await PGlite.create({ dataDir, startParams: [...PGLITE_START_PARAMS, '-c', 'min_wal_size=2MB', '-c', 'max_wal_size=4MB'] });
try {
  await settled.query('checkpoint');
} finally {
  await settled.close();
}
