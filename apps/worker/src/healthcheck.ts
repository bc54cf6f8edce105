/**
 * Health check for a worker started from source (`npm run start:worker`):
 * exits 0 when it is ready, 1 otherwise. With METRICS_PORT it asks the
 * worker's own `/readyz`, which fails while the worker cannot sweep, e.g.
 * while its Redis is away; without it the worker has no port to ask, and the
 * check is that the database answers. docker-compose and Kubernetes ask
 * `/readyz` directly (plain node, or an httpGet probe), which needs no
 * TypeScript and works for the compiled worker too.
 */
import { createDb } from '@cronbeat/db';
import { configOrExit } from '@cronbeat/runtime';
import { sql } from 'drizzle-orm';

/** Longest the check waits for an answer, in milliseconds; orchestrators give it 10 s. */
const TIMEOUT_MS = 5000;

const config = configOrExit();

/** Where the worker's port is reached from inside its container: loopback when it listens on every address. */
function readyzUrl(port: number, host: string): string {
  const local = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${local.includes(':') ? `[${local}]` : local}:${port}/readyz`;
}

try {
  if (config.metricsPort !== null) {
    const response = await fetch(readyzUrl(config.metricsPort, config.host), { signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body = await response.text();
    if (!response.ok) throw new Error(`/readyz answered ${response.status}: ${body.slice(0, 200)}`);
  } else {
    const database = await createDb(config);
    await database.db.execute(sql`select 1`);
    await database.close();
  }
  process.exit(0);
} catch (error) {
  console.error(`worker health check failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
