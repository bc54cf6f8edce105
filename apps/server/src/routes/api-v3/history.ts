import { V3CheckParams, V3FlipList, V3FlipQuery, V3PingList, V3PingParams, v3Errors } from '@cronbeat/contract';
import { EMAIL_PING_METHOD } from '@cronbeat/core';
import { type FlipRow, listFlips, listPings, pingBody } from '@cronbeat/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { callerOf } from './auth';
import { checkOfCode } from './checks';
import { HealthchecksError } from './errors';
import { secondsIso } from './view';

const tags = ['Healthchecks API v3'];
const security = [{ apiKey: [] }];
/** Healthchecks answers at most this many pings, and so do we. */
const PING_LIMIT = 1000;
/** Flips in one answer; Healthchecks sets none, retention keeps far fewer. */
const FLIP_LIMIT = 10_000;
const YEAR = 31_536_000;
/** Sent as stored: text, or the bytes of a body that is not UTF-8. */
const PingBody = Type.Unsafe<string | Buffer>({ type: 'string', description: 'text/plain' });
/** Year 2286: Healthchecks' bound for start and end. */
const LAST_TIMESTAMP = 10_000_000_000;

/**
 * Healthchecks' ping types: ours but `ign` for an ignored ping, and `log`
 * for a skipped one (a runner found the run lock held): it changed nothing,
 * and its body, which names the holder, is a message to read.
 */
const pingType = (kind: string) =>
  (kind === 'ignored' ? 'ign' : kind === 'skipped' ? 'log' : kind) as 'success' | 'start' | 'fail' | 'log' | 'ign';

/**
 * Healthchecks' flips are changes between up and down (and paused, new):
 * it stores no "late", so a check turning late and back up made no flip
 * there, and late → down reads as going down.
 */
const isHealthchecksFlip = (flip: FlipRow) => flip.toStatus !== 'late' && !(flip.fromStatus === 'late' && flip.toStatus === 'up');

function timestampParam(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (seconds > LAST_TIMESTAMP) throw new HealthchecksError(400, `${name}: must be a UNIX timestamp up to ${LAST_TIMESTAMP}`);
  return new Date(seconds * 1000);
}

export async function v3HistoryRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/checks/:code/pings',
    {
      schema: {
        tags,
        security,
        summary: "A check's pings, newest first (at most 1000)",
        params: V3CheckParams,
        response: { 200: V3PingList, ...v3Errors },
      },
    },
    async (request) => {
      const check = await checkOfCode(app.db, callerOf(request).projectId, request.params.code);
      const pings = await listPings(app.db, check.id, { limit: PING_LIMIT });
      const bodyUrl = `${app.accounts.baseUrl}/api/v3/checks/${check.id}/pings`;
      return {
        pings: pings.map((ping) => ({
          type: pingType(ping.kind),
          date: ping.createdAt.toISOString().replace('Z', '+00:00'),
          n: ping.n,
          scheme: ping.scheme,
          remote_addr: ping.remoteAddr,
          // Healthchecks lists an email ping's method as its scheme, "email".
          method: ping.method === EMAIL_PING_METHOD ? 'email' : ping.method,
          ua: ping.userAgent ?? '',
          rid: ping.rid,
          body_url: ping.bodySize > 0 ? `${bodyUrl}/${ping.n}/body` : null,
          // Healthchecks rounds to hundredths of a second: request timing is no more precise.
          ...(ping.duration !== null && { duration: Math.round(ping.duration / 10) / 100 }),
        })),
      };
    },
  );

  app.get(
    '/checks/:code/pings/:n/body',
    { schema: { tags, security, summary: "A ping's body, as text/plain", params: V3PingParams, response: { 200: PingBody, ...v3Errors } } },
    async (request, reply) => {
      const check = await checkOfCode(app.db, callerOf(request).projectId, request.params.code);
      const n = Number(request.params.n);
      const stored = await pingBody(app.db, check.id, n);
      const body = stored?.body ?? (stored?.bodyRaw ? Buffer.from(stored.bodyRaw) : null);
      if (!body || body.length === 0) throw new HealthchecksError(404, 'ping has no body');
      // A job's output is the job's, not ours: saved rather than rendered, and sandboxed were it rendered (as /api/v1 serves it).
      reply.header('content-security-policy', 'sandbox').header('x-content-type-options', 'nosniff');
      reply.header('content-disposition', `attachment; filename="ping-${n}.${typeof body === 'string' ? 'txt' : 'bin'}"`);
      return reply.type(typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/octet-stream').send(body);
    },
  );

  app.get(
    '/checks/:code/flips',
    {
      config: { v3Access: 'read' },
      schema: {
        tags,
        security,
        summary: "A check's status changes, newest first (?seconds, ?start, ?end: UNIX times, end exclusive)",
        params: V3CheckParams,
        querystring: V3FlipQuery,
        response: { 200: V3FlipList, ...v3Errors },
      },
    },
    async (request) => {
      const { seconds, start, end } = request.query;
      if (seconds !== undefined && Number(seconds) > YEAR) throw new HealthchecksError(400, `seconds: must be at most ${YEAR}`);
      const check = await checkOfCode(app.db, callerOf(request).projectId, request.params.code, true);
      const from = [timestampParam('start', start), seconds ? new Date(Date.now() - Number(seconds) * 1000) : undefined]
        .filter((date) => date !== undefined)
        .sort((a, b) => b.getTime() - a.getTime())[0];
      const flips = await listFlips(app.db, check.id, { since: from, before: timestampParam('end', end), limit: FLIP_LIMIT });
      return {
        flips: flips
          .filter(isHealthchecksFlip)
          .map((flip) => ({ timestamp: secondsIso(flip.createdAt)!, up: flip.toStatus === 'up' ? 1 : 0 })),
      };
    },
  );
}
