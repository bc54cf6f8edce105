import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { NotFound } from '../errors';
import { holdsEtag } from '../etag';
import { STATUS_PAGE_CSS, STATUS_PAGE_NOT_FOUND_HTML } from '../status-pages/html';
import { STATUS_PAGE_TTL } from '../status-pages/plugin';

/** What a slug may look like (the contract's StatusPageSlug); anything else is unknown without asking the database. */
const SLUG = /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/;

/**
 * Public status pages, no sign-in: `/status/<slug>` (HTML without any
 * script) and `/status/<slug>.json`. Each page comes from the in-process
 * cache (see status-pages/cache.ts), so views cost the database nothing
 * but one read per page per 30 seconds. A view of a page the cache holds
 * costs nothing more and is never limited: many viewers of a popular page
 * may come through one proxy's address. Every other ask (an unknown slug,
 * a page not read lately) counts against `statusPagePerMinute` a minute for
 * its address, so guessing slugs stays slow.
 */
export async function statusPageRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const docs = { tags: ['Status pages'], security: [] };

  app.get('/status/assets/page.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8').send(STATUS_PAGE_CSS),
  );

  const lookupLimit = app.rateLimit({ max: app.accounts.limits.statusPagePerMinute, timeWindow: 60_000 });

  async function answer(request: FastifyRequest, reply: FastifyReply, file: string) {
    const json = file.endsWith('.json');
    const slug = json ? file.slice(0, -'.json'.length) : file;
    if (!app.statusPageCache.peek(slug)) await lookupLimit.call(app, request, reply);
    const rendered = SLUG.test(slug) ? await app.statusPageCache.get(slug) : null;
    if (!rendered && json) throw new NotFound('Status page');
    if (!rendered) return reply.status(404).type('text/html; charset=utf-8').send(STATUS_PAGE_NOT_FOUND_HTML);
    const tag = json ? rendered.jsonTag : rendered.htmlTag;
    reply.header('cache-control', `public, max-age=${STATUS_PAGE_TTL}`).header('etag', tag).header('vary', 'accept-encoding');
    if (holdsEtag(request, tag)) return reply.status(304).send();
    if (json) return reply.header('access-control-allow-origin', '*').type('application/json; charset=utf-8').send(rendered.json);
    return reply.type('text/html; charset=utf-8').send(rendered.html);
  }

  app.get(
    '/status/:file',
    {
      schema: {
        ...docs,
        summary: 'A public status page: /status/<slug> as HTML, /status/<slug>.json as JSON',
        description: `The JSON is the contract's PublicStatusPage. Cached for ${STATUS_PAGE_TTL} seconds; answers 304 to a matching If-None-Match.`,
        params: Type.Object({ file: Type.String({ minLength: 1, maxLength: 80 }) }),
      },
    },
    async (request, reply) => answer(request, reply, request.params.file),
  );
}
