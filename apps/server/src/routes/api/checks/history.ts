import { authErrors, FlipList, FlipQuery, IdParams, PingPage, PingParams, PingQuery } from '@cronbeat/contract';
import { acknowledgerEmails, getCheck, listFlips, listPings, pingBody } from '@cronbeat/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accessOf } from '../../../auth/access';
import { NotFound } from '../../../errors';
import { iso } from '../../../schemas/common';
import { flipView } from './flip-view';

const tags = ['checks'];

/** What happened to a check: its pings and its status changes. */
export async function historyRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  /** The check's id, once it is known to be in the caller's project (tenant scoping for the history tables). */
  async function ownCheck(request: FastifyRequest, id: string): Promise<string> {
    const check = await getCheck(app.db, accessOf(request).projectId, id);
    if (!check) throw new NotFound('Check');
    return check.id;
  }

  app.get(
    '/checks/:id/pings',
    {
      schema: {
        tags,
        summary: 'Pings of a check, newest first',
        params: IdParams,
        querystring: PingQuery,
        response: { 200: PingPage, ...authErrors },
      },
    },
    async (request) => {
      const { limit = 50, before, until } = request.query;
      const pings = await listPings(app.db, await ownCheck(request, request.params.id), {
        limit,
        ...(before !== undefined && { before }),
        ...(until !== undefined && { until: new Date(until) }),
      });
      const last = pings.at(-1);
      return {
        pings: pings.map(({ id: _id, checkId: _checkId, ...ping }) => ({ ...ping, createdAt: iso(ping.createdAt) })),
        nextCursor: pings.length === limit && last && last.n > 1 ? last.n : null,
      };
    },
  );

  app.get(
    '/checks/:id/pings/:n/body',
    {
      schema: {
        tags,
        summary: 'The stored body of one ping: text/plain, or application/octet-stream when not UTF-8',
        params: PingParams,
        // No response schema: the body is sent as stored, bytes or text.
      },
    },
    async (request, reply) => {
      const { id, n } = request.params;
      const stored = await pingBody(app.db, await ownCheck(request, id), n);
      if (!stored || (stored.body === null && stored.bodyRaw === null)) throw new NotFound('Ping body');
      // Whatever a job printed is the job's, not ours: a browser opening it
      // saves it instead of rendering it, and were it rendered, it would run
      // sandboxed (no scripts, a unique origin), never as the dashboard.
      reply.header('content-security-policy', 'sandbox').header('x-content-type-options', 'nosniff');
      if (stored.bodyRaw !== null) {
        return reply
          .header('content-disposition', `attachment; filename="ping-${n}.bin"`)
          .type('application/octet-stream')
          .send(Buffer.from(stored.bodyRaw));
      }
      return reply
        .header('content-disposition', `attachment; filename="ping-${n}.txt"`)
        .type('text/plain; charset=utf-8')
        .send(stored.body);
    },
  );

  app.get(
    '/checks/:id/flips',
    {
      schema: {
        tags,
        summary: 'Status changes of a check, newest first',
        params: IdParams,
        querystring: FlipQuery,
        response: { 200: FlipList, ...authErrors },
      },
    },
    async (request) => {
      const { since, until, limit = 100 } = request.query;
      const flips = await listFlips(app.db, await ownCheck(request, request.params.id), {
        limit,
        ...(since && { since: new Date(since) }),
        ...(until && { until: new Date(until) }),
      });
      const acknowledgers = await acknowledgerEmails(app.db, flips);
      return { flips: flips.map((flip) => flipView(flip, acknowledgers)) };
    },
  );
}
