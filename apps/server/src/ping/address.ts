import { isIP } from 'node:net';
import { isUuid } from '@cronbeat/contract';
import { type PingKind, parseExitStatus, pingKindForExitStatus, ValidationError } from '@cronbeat/core';
import type { SlugRef } from '@cronbeat/db';

/** The routes of every ping form: `<ping-code>[/<x>]` and `<ping-key>/<slug>[/<x>]`, with `:a`, `:b`, `:c` the segments. */
export const PING_PATHS = ['/ping/:a', '/ping/:a/:b', '/ping/:a/:b/:c'] as const;

/** The check a ping URL addresses. */
export type PingTarget = { pingCode: string } | { slug: SlugRef; create: boolean };

/** What a ping URL says: which check, and what happened to the job. */
export interface PingAddress {
  target: PingTarget;
  kind: PingKind;
  exitStatus: number | null;
  rid: string | null;
}

/** A ping URL that cannot be recorded; the message is the response body after `400`. */
export class PingUrlError extends Error {
  override readonly name = 'PingUrlError';
}

/** A Map, not an object: `/ping/<code>/valueOf` must not find Object.prototype's method as a kind. */
const NAMED_KINDS = new Map<string, PingKind>([
  ['start', 'start'],
  ['fail', 'fail'],
  ['log', 'log'],
]);

/**
 * Reads the path segments after `/ping/` and the query string.
 *
 * The first segment tells the forms apart: a check's ping code is a UUID, a
 * ping key (22 URL-safe characters) never is. So `/ping/<uuid>/<x>` is a kind or an
 * exit status, and `/ping/<key>/<slug>[/<x>]` a slug ping. Returns null for
 * a shape no form has (the caller answers 404).
 */
export function parsePingAddress(segments: readonly string[], query: Record<string, unknown>): PingAddress | null {
  const rid = parseRid(query.rid);
  const [first = '', second, third] = segments;
  if (isUuid(first)) {
    if (third !== undefined) return null;
    return { target: { pingCode: first.toLowerCase() }, ...parseKind(second), rid };
  }
  if (second === undefined) throw new PingUrlError(`ping code must be a UUID, got "${first}"`);
  // Postgres text cannot hold NUL; refuse it here rather than fail the batch the ping would join.
  if (first.includes('\0') || second.includes('\0')) throw new PingUrlError('ping key and slug must not contain NUL characters');
  const create = query.create === '1' || query.create === 'true';
  return { target: { slug: { pingKey: first, slug: second }, create }, ...parseKind(third), rid };
}

function parseKind(segment: string | undefined): { kind: PingKind; exitStatus: number | null } {
  if (segment === undefined || segment === '') return { kind: 'success', exitStatus: null };
  const named = NAMED_KINDS.get(segment);
  if (named) return { kind: named, exitStatus: null };
  try {
    const exitStatus = parseExitStatus(segment);
    return { kind: pingKindForExitStatus(exitStatus), exitStatus };
  } catch (error) {
    if (error instanceof ValidationError) throw new PingUrlError(`${error.message}, or one of start, fail, log`);
    throw error;
  }
}

/** An absent or empty `rid` means no run id; anything else must be a UUID. */
function parseRid(value: unknown): string | null {
  if (value === undefined || value === '') return null;
  if (typeof value === 'string' && isUuid(value)) return value.toLowerCase();
  throw new PingUrlError(`rid must be a UUID, got "${String(value)}"`);
}

/** The longest address text kept: a full IPv6 address (45 characters) and room for a zone (`%eth0`). */
const ADDRESS_LIMIT = 64;

/**
 * The source address stored with a ping: Fastify's `request.ip` when it is
 * an IP address, else null. Behind a trusted proxy that address comes from
 * `X-Forwarded-For`, which a proxy may pass on as the client wrote it: any
 * text, of any length. Unknown is the truth then; the proxy's own address
 * would name the wrong sender.
 */
export function sourceAddress(ip: string | undefined): string | null {
  return ip !== undefined && ip.length <= ADDRESS_LIMIT && isIP(ip) !== 0 ? ip : null;
}
