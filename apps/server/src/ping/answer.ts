import { slugProblem } from '@cronbeat/contract';
import type { Db } from '@cronbeat/db';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type PingAddress, PingUrlError, sourceAddress, storedUserAgent } from './address';
import type { ReceivedPing } from './batch';
import { type CapturedBody, type StoredBody, storedBody } from './body';
import type { CreateRate } from './create-rate';
import { createSlugCheck } from './create-slug-check';
import type { PingRecorder } from './recorder';

export interface PingAnswerDeps {
  db: Db;
  recorder: PingRecorder;
  /** Shared by every ping form, so `/p/` and `/ping/` draw on one bucket per ping key. */
  createRate: CreateRate;
  pingBodyLimit: number;
}

/**
 * Records the ping an address describes and answers as Healthchecks does:
 * `OK`, `Created` (201) when `?create=1` (or Cronitor's telemetry) made the
 * check, `not found` (404), or a 400 saying what is wrong. Cronitor's
 * `message` is the body when the request has none; its `host` and `env`
 * follow the user agent.
 */
export function pingAnswerer(deps: PingAnswerDeps) {
  const { recorder, createRate } = deps;
  return async (request: FastifyRequest, reply: FastifyReply, address: PingAddress) => {
    const at = new Date();
    request.pingKind = address.kind;
    const ping: ReceivedPing = {
      target: 'pingCode' in address.target ? address.target : { slug: address.target.slug },
      kind: address.kind,
      exitStatus: address.exitStatus,
      rid: address.rid,
      reportedDuration: address.reportedDuration ?? null,
      at,
      method: request.method,
      scheme: request.protocol,
      remoteAddr: sourceAddress(request.ip),
      userAgent: userAgentOf(request.headers['user-agent'], address.origin ?? null),
      ...bodyOf(request.body as CapturedBody | undefined, address.message ?? null, deps.pingBodyLimit),
    };
    if ((await recorder.record(ping)).recorded) return reply.send('OK');
    if ('pingCode' in address.target) return reply.status(404).send('not found');

    // The slug leads to no check. One that breaks the slug rule never
    // will: say so, as Healthchecks answers a slug with capitals (a check
    // made before the rule still answered to its old slug above).
    const { slug } = address.target;
    const problem = slugProblem(slug.slug);
    if (problem) throw new PingUrlError(problem);
    if (!address.target.create) return reply.status(404).send('not found');

    // `?create=1` and the slug is new: make the check in a transaction of
    // its own (once per check, so the batch's lock order stays simple).
    const check = await createSlugCheck(deps.db, createRate, slug);
    switch (check.outcome) {
      case 'bad-slug':
        throw new PingUrlError(check.message);
      case 'rate-limited':
        return reply.status(429).header('retry-after', String(check.retryAfter)).send(check.message);
      case 'limit-reached':
        return reply.status(403).send(check.message);
      case 'no-project':
        return reply.status(404).send('not found');
    }
    if (!(await recorder.record({ ...ping, target: { pingCode: check.pingCode } })).recorded) {
      return reply.status(404).send('not found');
    }
    return check.outcome === 'created' ? reply.status(201).send('Created') : reply.send('OK');
  };
}

function userAgentOf(header: string | undefined, origin: string | null): string | null {
  const agent = origin === null ? (header ?? null) : header ? `${header} (${origin})` : origin;
  return storedUserAgent(agent);
}

/** The request's body, or Cronitor's `message` when there is none, cut at the limit as a body is. */
function bodyOf(captured: CapturedBody | undefined, message: string | null, limit: number): StoredBody {
  if ((captured && captured.size > 0) || message === null) return storedBody(captured);
  const bytes = Buffer.from(message, 'utf8');
  return storedBody({ bytes: bytes.subarray(0, limit), size: bytes.length });
}
