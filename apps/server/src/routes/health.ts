import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';

/** How long /readyz waits for the database before calling it unreachable. */
const READY_TIMEOUT_MS = 2000;

export async function healthRoutes(app: FastifyInstance) {
  /** The process is up and serving HTTP. */
  app.get('/healthz', async () => ({ status: 'ok' }));

  /** The process can do its work: the database answers. */
  app.get('/readyz', async (request, reply) => {
    try {
      await withTimeout(app.db.execute(sql`select 1`), READY_TIMEOUT_MS);
      return { status: 'ok', database: 'ok' };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return reply.status(503).send({ status: 'unavailable', database: 'unreachable' });
    }
  });
}

function withTimeout<T>(promise: PromiseLike<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([Promise.resolve(promise), timeout]).finally(() => clearTimeout(timer));
}
