/**
 * Makes a migrated PGlite data directory at the path given, in a process of
 * its own: WebAssembly memory never shrinks, so the test run's main process
 * should not be the one that runs initdb (see `src/pglite.ts`).
 */
import { createDb } from '../src/client';
import { migrate } from '../src/migrate';

const [dataDir] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: make-pglite-template.ts <data directory>');
const database = await createDb({ databaseUrl: null, dataDir });
try {
  await migrate(database, null);
  // Written out now, so every copy starts without replaying the migrations' WAL.
  if (database.kind === 'pglite') await database.client.query('checkpoint');
} finally {
  await database.close();
}
