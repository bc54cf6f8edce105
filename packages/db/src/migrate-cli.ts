/** `npm run db:migrate`: applies pending migrations to the configured database and exits. */
import { loadConfig } from '@cronbeat/config';
import { createDb } from './client';
import { migrate } from './migrate';

const config = loadConfig();
const database = await createDb(config);
try {
  await migrate(database, config.databaseUrl);
  console.log(`Migrations applied (${database.kind === 'postgres' ? 'Postgres' : `PGlite in ${config.dataDir}`}).`);
} finally {
  await database.close();
}
