/**
 * Container health check for the worker, which has no HTTP port: exits 0
 * when the configured database answers, 1 otherwise.
 */
import { createDb } from '@cronbeat/db';
import { configOrExit } from '@cronbeat/runtime';
import { sql } from 'drizzle-orm';

const config = configOrExit();
try {
  const database = await createDb(config);
  await database.db.execute(sql`select 1`);
  await database.close();
  process.exit(0);
} catch (error) {
  console.error(`worker health check failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
