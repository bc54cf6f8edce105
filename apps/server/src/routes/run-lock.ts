import {
  ErrorResponse,
  RUN_LOCK_LIMITS,
  RunLockCodeParams,
  RunLockGrant,
  RunLockHeld,
  RunLockRelease,
  RunLockRenewal,
  RunLockRequest,
  RunLockSlugParams,
} from '@cronbeat/contract';
import { skippedPingBody } from '@cronbeat/core';
import { acquireRunLock, type CheckRef, checkIdByPingAddress, recordSkippedPing, releaseRunLock, renewRunLock } from '@cronbeat/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { BadRequest, Conflict, CreationsRateLimited, Forbidden, NotFound } from '../errors';
import { asksToCreate, sourceAddress, storedUserAgent } from '../ping/address';
import type { CreateRate } from '../ping/create-rate';
import { createSlugCheck } from '../ping/create-slug-check';
import { refuseUnknownFields } from '../schemas/strict-body';

/**
 * A ping code in the path, by find-my-way's regular expression: the route
 * then matches only a UUID, so `/ping/<ping-key>/lock` stays the slug ping
 * of a check whose slug is `lock`, as it always was.
 */
const PING_CODE = ':code([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})';

/** The two ping URL forms, each with `/lock` after it: the lease is authorised by the check's ping URL, the secret every job has. */
const FORMS = [
  { url: `/ping/${PING_CODE}/lock`, params: RunLockCodeParams },
  { url: '/ping/:key/:slug/lock', params: RunLockSlugParams },
] as const;

const tags = ['Run lock'];

/** `POST …/lock?create=1`: read as the slug pings read it (`1` or `true`), and only under the slug form. */
const CreateQuery = Type.Object({
  create: Type.Optional(
    Type.String({
      description:
        'Under the slug form, `1` (or `true`) creates the check when the slug leads to none, as `?create=1` on a slug ping does: ' +
        'the same slug rule, rate per ping key and project limit. Ignored under the ping code form.',
    }),
  ),
});

function targetOf(params: { code?: string; key?: string; slug?: string }): CheckRef {
  if (params.code !== undefined) return { pingCode: params.code.toLowerCase() };
  return { slug: { pingKey: params.key ?? '', slug: params.slug ?? '' } };
}

/** The check the URL addresses; a 404 as pings answer, for an address that leads to none. */
async function checkIdOf(app: FastifyInstance, request: FastifyRequest): Promise<string> {
  const checkId = await checkIdByPingAddress(app.db, targetOf(request.params as Record<string, string>));
  if (checkId === null) throw new NotFound('check');
  return checkId;
}

/**
 * The run lock (`cronbeat run --lock`): `POST` asks for the check's lease,
 * `PUT` renews it, `DELETE` releases it, under either ping URL form. A
 * runner refused the lease gets 409 with the holder, and a `skipped` ping
 * naming it is stored. Under the slug form, `POST …/lock?create=1` first
 * makes a check the slug leads to none of, by the ping routes' own
 * `?create=1` step and `createRate` (`cronbeat run --create --lock`). Apart
 * from the ping routes: JSON in and out, the API's error shape, and not one
 * statement of the ping path.
 */
export async function runLockRoutes(fastify: FastifyInstance, options: { createRate: CreateRate }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  /** The check a `POST` addresses, made first when `?create=1` asks for it under the slug form; else as `checkIdOf`. */
  async function checkIdOrCreated(request: FastifyRequest, reply: FastifyReply, create: boolean): Promise<string> {
    const target = targetOf(request.params as Record<string, string>);
    const checkId = await checkIdByPingAddress(app.db, target);
    if (checkId !== null) return checkId;
    if (!create || 'pingCode' in target) throw new NotFound('check');
    const made = await createSlugCheck(app.db, options.createRate, target.slug);
    switch (made.outcome) {
      case 'found':
      case 'created':
        return made.checkId;
      case 'bad-slug':
        throw new BadRequest(made.message);
      case 'limit-reached':
        throw new Forbidden(made.message);
      case 'no-project':
        throw new NotFound('check');
      case 'rate-limited':
        reply.header('retry-after', String(made.retryAfter));
        throw new CreationsRateLimited(made.message);
    }
  }

  for (const form of FORMS) {
    app.post(
      form.url,
      {
        schema: {
          tags,
          summary: "Ask for the check's run lock",
          description:
            `Grants the lease for \`ttl\` seconds (default ${RUN_LOCK_LIMITS.ttl.default}) with a fencing token one higher than the last grant, ` +
            'or answers 409 naming the holder and stores a `skipped` ping. The holder asking again is granted again with the same token.',
          params: form.params,
          querystring: CreateQuery,
          body: RunLockRequest,
          response: { 200: RunLockGrant, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: RunLockHeld, 429: ErrorResponse },
        },
        preValidation: refuseUnknownFields,
      },
      async (request, reply) => {
        const checkId = await checkIdOrCreated(request, reply, asksToCreate(request.query.create));
        const { holder } = request.body;
        const ttl = request.body.ttl ?? RUN_LOCK_LIMITS.ttl.default;
        const outcome = await acquireRunLock(app.db, checkId, holder, ttl);
        if (outcome.granted) return { token: outcome.token, ttl, expiresAt: outcome.expiresAt.toISOString() };
        const held = outcome.holder;
        await recordSkippedPing(app.db, checkId, {
          method: request.method,
          scheme: request.protocol,
          remoteAddr: sourceAddress(request.ip),
          userAgent: storedUserAgent(request.headers['user-agent']),
          body: skippedPingBody(held, holder),
        });
        return heldAnswer(reply, held);
      },
    );

    app.put(
      form.url,
      {
        schema: {
          tags,
          summary: "Renew the check's run lock",
          description: 'Extends the lease by `ttl` seconds from now, keeping its token; 409 when the holder no longer has it.',
          params: form.params,
          body: RunLockRenewal,
          response: { 200: RunLockGrant, 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
        },
        preValidation: refuseUnknownFields,
      },
      async (request) => {
        const checkId = await checkIdOf(app, request);
        const ttl = request.body.ttl ?? RUN_LOCK_LIMITS.ttl.default;
        const renewed = await renewRunLock(app.db, checkId, request.body.holderId, ttl);
        if (!renewed) throw new Conflict('the run lock is no longer held by this holder: it was released, or lapsed and was granted again');
        return { token: renewed.token, ttl, expiresAt: renewed.expiresAt.toISOString() };
      },
    );

    app.delete(
      form.url,
      {
        schema: {
          tags,
          summary: "Release the check's run lock",
          params: form.params,
          body: RunLockRelease,
          response: { 204: Type.Null(), 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
        },
        preValidation: refuseUnknownFields,
      },
      async (request, reply) => {
        const checkId = await checkIdOf(app, request);
        if (!(await releaseRunLock(app.db, checkId, request.body.holderId))) {
          throw new Conflict('the run lock is not held by this holder: released already, or lapsed and granted again');
        }
        return reply.status(204).send(null);
      },
    );
  }
}

function heldAnswer(reply: FastifyReply, held: { host: string; pid: number; since: Date; expiresAt: Date }) {
  return reply.status(409).send({
    error: {
      code: 'CB_LOCK_HELD',
      message: `the run lock is held by ${held.host} (pid ${held.pid}) since ${held.since.toISOString()}`,
    },
    holder: { host: held.host, pid: held.pid, since: held.since.toISOString(), expiresAt: held.expiresAt.toISOString() },
  });
}
