/**
 * `npm run db:copy-to-postgres`: copies the embedded database (DATA_DIR,
 * default ./data) into the empty Postgres at DATABASE_URL, so an install that
 * started with `npm start` can move to Postgres keeping its checks, history
 * and accounts. Stop Cronbeat first.
 */
import { loadConfig } from '@cronbeat/config';
import { copyToPostgres } from './copy-to-postgres';

const config = loadConfig();
if (!config.databaseUrl) {
  console.error('Set DATABASE_URL to the Postgres database to copy into (an empty one).');
  process.exit(2);
}
try {
  const result = await copyToPostgres(config.dataDir, config.databaseUrl, { log: (line) => console.log(line) });
  const rows = result.tables.reduce((sum, table) => sum + table.rows, 0);
  console.log(`Copied ${rows} rows in ${result.tables.length} tables from ${config.dataDir} into Postgres.`);
  console.log('Start Cronbeat with this DATABASE_URL; keep the old data directory until you have checked it.');
} catch (error) {
  console.error(`No rows were copied: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
