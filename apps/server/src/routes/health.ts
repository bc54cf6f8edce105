import { withDeadline } from '@cronbeat/runtime';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';

/** How long /readyz waits for the database (and Redis) before calling it unreachable. */
const READY_TIMEOUT_MS = 2000;

export async function healthRoutes(app: FastifyInstance) {
  const { redis } = app;

  /** The process is up and serving HTTP. */
  app.get('/healthz', { schema: { summary: 'Liveness: the process answers', tags: ['Health'], security: [] } }, async () => ({
    status: 'ok',
  }));

  /**
   * The process can do its work: store pings. That needs the database
   * answering, and pings actually being written: a database that answers
   * `select 1` while batch writes miss their deadline (locks, a wedged
   * connection) makes a server that takes pings only to answer them 503, so
   * it is not ready then either (`pings: 'stalled'`; the recorder logs when
   * that starts and ends). Redis carries the shared rate limits and the job
   * queues, so while it is away the answer says `degraded` but stays 200: a
   * load balancer must keep sending pings to a server that can store them.
   */
  const readyDocs = {
    summary: 'Readiness: pings can be stored (503 while they cannot; Redis trouble only says degraded)',
    tags: ['Health'],
    security: [],
  };
  app.get('/readyz', { schema: readyDocs }, async (request, reply) => {
    const [databaseError, redisError, pings] = await Promise.all([
      probe(() => app.db.execute(sql`select 1`)),
      redis ? probe(() => redis.ping()) : Promise.resolve(null),
      app.pingRecorder.readiness(READY_TIMEOUT_MS),
    ]);
    const answer = {
      database: databaseError ? 'unreachable' : 'ok',
      ...(pings.writable ? {} : { pings: 'stalled', oldestPingWaitMs: pings.oldestWaitMs }),
      ...(redis ? { redis: redisError ? 'unreachable' : 'ok' } : {}),
    };
    if (databaseError || !pings.writable) {
      if (databaseError) request.log.warn({ database: databaseError.message }, 'readiness check failed');
      return reply.status(503).send({ status: 'unavailable', ...answer });
    }
    return { status: redisError ? 'degraded' : 'ok', ...answer };
  });
}

/** Null when `run` answers within the timeout, else why not (for the log, never the answer). */
async function probe(run: () => PromiseLike<unknown>): Promise<Error | null> {
  try {
    await withDeadline(run(), READY_TIMEOUT_MS);
    return null;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
