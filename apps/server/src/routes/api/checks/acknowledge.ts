import { Acknowledgement, authErrors, IdParams } from '@cronbeat/contract';
import { acknowledgeIncident, acknowledgerEmails } from '@cronbeat/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { accessOf } from '../../../auth/access';
import { Conflict, NotFound } from '../../../errors';
import { flipView } from './flip-view';

/**
 * `POST /checks/:id/acknowledge`: a person says they are on the check's
 * current incident, so it gets no more reminders (its recovery is still
 * told). Idempotent: the first acknowledgement stands.
 */
export async function acknowledgeRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/checks/:id/acknowledge',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['checks'],
        summary: "Acknowledge a down check's current incident: no more reminders of it; its recovery is still told",
        params: IdParams,
        response: { 200: Acknowledgement, ...authErrors, 409: authErrors[400] },
      },
    },
    async (request) => {
      const principal = request.principal;
      // An API key acknowledges for nobody in particular: the incident shows when, not who.
      const userId = principal?.kind === 'session' ? principal.user.id : null;
      const result = await acknowledgeIncident(app.db, accessOf(request).projectId, request.params.id, userId, new Date());
      if (result.outcome === 'no_check') throw new NotFound('Check');
      if (result.outcome === 'not_down') {
        throw new Conflict(`the check is ${result.status}, not down: only a down check's incident can be acknowledged`);
      }
      return { flip: flipView(result.flip, await acknowledgerEmails(app.db, [result.flip])) };
    },
  );
}
