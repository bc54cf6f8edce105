import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * JSON bodies as Fastify parses them (secure-json-parse, prototype
 * poisoning refused), except that an empty body is no body. Many HTTP
 * clients send `Content-Type: application/json` on every request, so an
 * action such as `POST /checks/:id/pause` arrives with that header and
 * nothing after it; Fastify's own parser answers that with a 400
 * (FST_ERR_CTP_EMPTY_JSON_BODY). A route that needs a body still says so:
 * its schema refuses the missing body with a 400 naming it. A non-empty
 * body that is not JSON is still refused (FST_ERR_CTP_INVALID_JSON_BODY).
 */
export const jsonBodyPlugin = fp(async (app: FastifyInstance) => {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body: string, done) => {
    if (body.length === 0) {
      done(null, undefined);
      return;
    }
    parseJson(request, body, done);
  });
});
