import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { PingRecorder } from './recorder';

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's one ping recorder: the ping routes write through it, /readyz asks it whether pings can be written. */
    pingRecorder: PingRecorder;
  }
}

/**
 * Batches in flight at once on Postgres: a second one fills while the first
 * waits on the database (bench:ping measured 3 and 4 no faster). Kept below
 * the default pool size of 10 so `?create=1` and the API still get a
 * connection.
 */
const PG_CONCURRENT_FLUSHES = 2;

/**
 * Makes the recorder at the root of the app, so the ping routes and /readyz
 * share it, and closes it with the app: pings still waiting are answered
 * within the write deadline however wedged the database, and 503 after.
 */
export const pingRecorderPlugin = fp(async (app: FastifyInstance) => {
  const recorder = new PingRecorder(app.database, {
    concurrentFlushes: app.database.kind === 'postgres' ? PG_CONCURRENT_FLUSHES : 1,
    logger: app.log,
  });
  app.decorate('pingRecorder', recorder);
  app.addHook('onClose', () => recorder.close());
});
