import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';

/** Where `vite build` in apps/web puts the dashboard: found from this package's location, the same from source or a bundle. */
export const WEB_DIST = join(dirname(createRequire(import.meta.url).resolve('@cronbeat/server/package.json')), '..', 'web', 'dist');

/** Paths the dashboard never answers, so a mistyped API URL gets the API's JSON 404, not a web page. */
const SERVER_PREFIXES = ['/api', '/auth', '/ping', '/healthz', '/readyz', '/metrics', '/docs', '/badge', '/client'];

const isServerPath = (url: string) =>
  SERVER_PREFIXES.some((prefix) => url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`));

/**
 * Serves the built dashboard (apps/web/dist) on the same origin as the API:
 * its files as they are (hashed assets cached for a year), and index.html
 * for any other GET that accepts HTML, so deep links like /checks/:id load
 * the app; scripts and stylesheets compressed at build time when the
 * browser accepts Brotli or gzip. Without a build it serves nothing and
 * says how to make one.
 */
export async function webPlugin(app: FastifyInstance, options: { root?: string } = {}) {
  const root = options.root ?? WEB_DIST;
  if (!existsSync(`${root}/index.html`)) {
    app.log.warn(`no dashboard build in ${root}: run "npm run build" to serve it`);
    return;
  }
  // preCompressed: the build's .br and .gz copies of scripts and stylesheets go to browsers that accept them.
  await app.register(fastifyStatic, { root, serve: false, preCompressed: true });

  // Its Content-Security-Policy and the other security headers are
  // plugins/security-headers.ts's, as on every answer.
  const sendIndex = (reply: FastifyReply) => reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });

  // `hide` keeps the catch-all out of the OpenAPI document (@fastify/swagger reads it).
  app.get('/*', { schema: { hide: true } as FastifySchema }, async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?', 1)[0] ?? '/';
    if (isServerPath(path)) return reply.callNotFound();
    if (path === '/' || path === '/index.html') return sendIndex(reply);
    // A path with an extension is a file: serve it, or 404 (never index.html for a missing script).
    if (/\.[a-z0-9]+$/i.test(path)) {
      const immutable = path.startsWith('/assets/');
      return reply.sendFile(path.slice(1), immutable ? { maxAge: 31_536_000_000, immutable: true } : { maxAge: 0 });
    }
    if (request.headers.accept?.includes('text/html')) return sendIndex(reply);
    return reply.callNotFound();
  });
}
