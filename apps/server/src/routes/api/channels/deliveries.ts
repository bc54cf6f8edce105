import { authErrors, type DeliveryAttempt, DeliveryPage, DeliveryQuery, FlipDeliveries, FlipParams, IdParams } from '@cronbeat/contract';
import { type DeliveryLogRow, listFlipDeliveries, pageChannelDeliveries } from '@cronbeat/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { accessOf } from '../../../auth/access';
import { NotFound } from '../../../errors';
import { iso, isoOrNull } from '../../../schemas/common';

const DEFAULT_PAGE = 50;

const attemptView = (row: DeliveryLogRow): DeliveryAttempt => ({
  id: row.id,
  notificationId: row.notificationId,
  channel: { id: row.channelId, name: row.channelName, kind: row.channelKind as DeliveryAttempt['channel']['kind'] },
  checkId: row.checkId,
  flipId: row.flipId,
  reminder: row.reminder,
  at: iso(row.attemptedAt),
  outcome: row.outcome,
  statusCode: row.statusCode,
  reply: row.reply,
  error: row.error,
  nextAttemptAt: isoOrNull(row.nextAttemptAt),
});

/**
 * The delivery log, read-only (a read-only key may read it): every attempt to
 * send an alert, per channel and per flip, so a person can see why one did
 * not arrive.
 */
export async function deliveryLogRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/channels/:id/deliveries',
    {
      schema: {
        tags: ['channels'],
        summary: "A channel's delivery attempts, newest first, in pages (limit, before)",
        params: IdParams,
        querystring: DeliveryQuery,
        response: { 200: DeliveryPage, ...authErrors },
      },
    },
    async (request) => {
      const { limit = DEFAULT_PAGE, before } = request.query;
      const page = await pageChannelDeliveries(app.db, accessOf(request).projectId, request.params.id, {
        limit,
        ...(before !== undefined && { before }),
      });
      if (!page) throw new NotFound('Channel');
      return { deliveries: page.rows.map(attemptView), nextCursor: page.next };
    },
  );

  app.get(
    '/checks/:id/flips/:flipId/deliveries',
    {
      schema: {
        tags: ['checks'],
        summary: "The delivery attempts of a flip's notifications (its alert and reminders, every channel), newest first",
        params: FlipParams,
        response: { 200: FlipDeliveries, ...authErrors },
      },
    },
    async (request) => {
      const rows = await listFlipDeliveries(app.db, accessOf(request).projectId, request.params.id, request.params.flipId);
      if (!rows) throw new NotFound('Flip');
      return { deliveries: rows.map(attemptView) };
    },
  );
}
