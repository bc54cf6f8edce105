/**
 * One server for the ping benchmark, in its own process so the load
 * generator and the server do not share an event loop. `cronbeat` is the
 * real app; `baseline` is the ceiling we measure against: a bare Fastify
 * route doing one `UPDATE checks SET last_ping = now()` per request, with
 * the same pool size. Prints `{"listening": "<url>", "gc": "<url>"}` once
 * ready; the second serves its garbage collection totals (`gc.ts`).
 */
import { loadConfig } from '@cronbeat/config';
import { createDb } from '@cronbeat/db';
import Fastify from 'fastify';
import postgres from 'postgres';
import { start } from '../src';
import { serveGcTotals } from './gc';

const POOL_SIZE = 10;
const mode = process.argv[2];
const config = loadConfig();
if (!config.databaseUrl) throw new Error('DATABASE_URL must be set');
const gc = await serveGcTotals();

if (mode === 'cronbeat') {
  const database = await createDb({ databaseUrl: config.databaseUrl, dataDir: '', poolSize: POOL_SIZE });
  const server = await start(config, { database });
  process.stdout.write(`${JSON.stringify({ listening: server.address, gc })}\n`);
  process.on('SIGTERM', async () => {
    await server.close();
    await database.close();
    process.exit(0);
  });
} else if (mode === 'baseline') {
  const sql = postgres(config.databaseUrl, { max: POOL_SIZE, onnotice: () => {} });
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => 'ok');
  app.get('/baseline/:id', async (request) => {
    const { id } = request.params as { id: string };
    await sql`update checks set last_ping = now() where ping_code = ${id}`;
    return 'OK';
  });
  const address = await app.listen({ port: config.port, host: config.host });
  process.stdout.write(`${JSON.stringify({ listening: address, gc })}\n`);
  process.on('SIGTERM', async () => {
    await app.close();
    await sql.end({ timeout: 5 });
    process.exit(0);
  });
} else {
  throw new Error(`usage: serve.ts cronbeat|baseline (got ${mode})`);
}
