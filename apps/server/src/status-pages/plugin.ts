import type { PublicStatusPage } from '@cronbeat/contract';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { strongEtag } from '../etag';
import { createPageCache, type PageCache } from './cache';
import { statusPageHtml } from './html';
import { loadPublicStatusPage } from './public-view';

/** One rendered status page, in both its forms, with their ETags. */
export interface RenderedStatusPage {
  page: PublicStatusPage;
  html: string;
  json: string;
  htmlTag: string;
  jsonTag: string;
}

/** Seconds a status page is reused, in this process and (Cache-Control) in browsers and proxies. */
export const STATUS_PAGE_TTL = 30;

declare module 'fastify' {
  interface FastifyInstance {
    statusPageCache: PageCache<RenderedStatusPage>;
  }
}

/** The cache of public status pages, shared by the public routes and the API routes that change pages. */
export const statusPagesPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorate(
      'statusPageCache',
      createPageCache<RenderedStatusPage>({
        ttlMs: STATUS_PAGE_TTL * 1000,
        load: async (slug) => {
          const page = await loadPublicStatusPage(app.db, slug, new Date());
          if (!page) return null;
          const html = statusPageHtml(page, slug);
          const json = JSON.stringify(page);
          return { page, html, json, htmlTag: strongEtag(html), jsonTag: strongEtag(json) };
        },
      }),
    );
  },
  { name: 'status-pages' },
);
