import { authErrors, ProjectParams } from '@cronbeat/contract';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { accessOf } from '../../../auth/access';
import { type ProjectChange, ProjectWatches, type WatchTiming } from './project-watch';

export interface ProjectEventsOptions {
  /** A comment line this often keeps proxies and the server's idle timeout from closing a quiet stream, in milliseconds. Default: 15000. */
  heartbeatMs?: number;
  /** A stream ends after this long and the browser reconnects (and reads the list again), in milliseconds. Default: 10 minutes. */
  lifetimeMs?: number;
  watchTiming?: Partial<WatchTiming>;
}

/** How long a browser waits before reconnecting after a stream ends, in milliseconds. */
const RECONNECT_MS = 2_000;

/** `data:` of an event: JSON on one line, so no newline of ours can end the event early. */
const eventText = (change: ProjectChange) =>
  change.kind === 'reload' ? 'event: reload\ndata: {}\n\n' : `event: checks\ndata: ${JSON.stringify({ ids: change.ids })}\n\n`;

/**
 * `GET /projects/{id}/events`: server-sent events naming the project's
 * checks that changed (`checks`, `{"ids": [...]}`), or asking for the list
 * again (`reload`), so the checks list refetches only those rows instead
 * of polling every check. Authenticated like the rest of the API (the
 * session cookie travels with EventSource). Every stream ends: after
 * `lifetimeMs`, and when the server closes (before it waits for its
 * connections), so `app.close()` never hangs on a listening browser.
 */
export async function projectEventRoutes(fastify: FastifyInstance, options: ProjectEventsOptions = {}) {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const lifetimeMs = options.lifetimeMs ?? 600_000;
  const watches = new ProjectWatches(fastify.db, fastify.log, options.watchTiming);
  const open = new Set<() => void>();
  fastify.addHook('preClose', async () => {
    for (const end of [...open]) end();
    watches.stopAll();
  });

  fastify.get(
    '/projects/:projectId/events',
    {
      schema: {
        tags: ['checks'],
        summary: 'Server-sent events: which checks of the project changed, for a live checks list',
        params: ProjectParams,
        produces: ['text/event-stream'],
        response: {
          200: Type.String({
            description: 'text/event-stream: events `checks` (data {"ids": [...]}) and `reload`; comment lines as heartbeats',
          }),
          ...authErrors,
        },
      },
    },
    (request, reply) => {
      const { projectId } = accessOf(request);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx and others buffer answers unless told not to; events must reach the browser as they happen.
        'x-accel-buffering': 'no',
      });
      raw.write(`retry: ${RECONNECT_MS}\n: connected\n\n`);
      const stopListening = watches.listen(projectId, (change) => raw.write(eventText(change)));
      const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), heartbeatMs);
      const lifetime = setTimeout(() => end(), lifetimeMs);
      // A kept-alive socket outlives the stream and carries the browser's next requests: its listener goes with the stream.
      const socket = request.raw.socket;
      let ended = false;
      function end() {
        if (ended) return;
        ended = true;
        open.delete(end);
        clearInterval(heartbeat);
        clearTimeout(lifetime);
        stopListening();
        socket.off('close', end);
        raw.end();
      }
      open.add(end);
      socket.on('close', end);
      raw.on('close', end);
    },
  );
}
