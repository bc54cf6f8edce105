import { isIP } from 'node:net';
import { isUuid } from '@cronbeat/contract';
import { type PingKind, parseExitStatus, pingKindForExitStatus, ValidationError } from '@cronbeat/core';
import type { SlugRef } from '@cronbeat/db';
import { isTelemetry, readTelemetry, type Telemetry, TelemetryError } from './cronitor';

/** The routes of every ping form: `<ping-code>[/<x>]` and `<ping-key>/<slug>[/<x>]`, with `:a`, `:b`, `:c` the segments. */
export const PING_PATHS = ['/ping/:a', '/ping/:a/:b', '/ping/:a/:b/:c'] as const;

/** The route of Cronitor's telemetry form, `/p/<ping-key>/<monitor>`. */
export const TELEMETRY_PATH = '/p/:key/:monitor';

/** The check a ping URL addresses. */
export type PingTarget = { pingCode: string } | { slug: SlugRef; create: boolean };

/** What a ping URL says: which check, and what happened to the job. */
export interface PingAddress {
  target: PingTarget;
  kind: PingKind;
  exitStatus: number | null;
  rid: string | null;
  /** What Cronitor's telemetry parameters add (see `readTelemetry`); null or absent without them. */
  message?: string | null;
  reportedDuration?: number | null;
  origin?: string | null;
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
 * a shape no form has (the caller answers 404). Cronitor's parameters
 * (`state`, `series`…) are read on every form; on a slug form they create
 * an unknown check, as Cronitor creates an unknown monitor.
 */
/** Whether a `create` query parameter asks for the check to be made: `1` or `true`, as Healthchecks reads it. */
export const asksToCreate = (value: unknown): boolean => value === '1' || value === 'true';

export function parsePingAddress(segments: readonly string[], query: Record<string, unknown>): PingAddress | null {
  const rid = parseRid(query.rid);
  const [first = '', second, third] = segments;
  if (isUuid(first)) {
    if (third !== undefined) return null;
    return withTelemetry({ target: { pingCode: first.toLowerCase() }, ...parseKind(second), rid }, second, query);
  }
  if (second === undefined) throw new PingUrlError(`ping code must be a UUID, got "${first}"`);
  // Postgres text cannot hold NUL; refuse it here rather than fail the batch the ping would join.
  if (first.includes('\0') || second.includes('\0')) throw new PingUrlError('ping key and slug must not contain NUL characters');
  // Cronitor makes a monitor its telemetry names when there is none; so do its parameters here.
  const create = asksToCreate(query.create) || isTelemetry(query);
  return withTelemetry({ target: { slug: { pingKey: first, slug: second }, create }, ...parseKind(third), rid }, third, query);
}

/**
 * Cronitor's own form, `/p/<key>/<monitor>`: the key is the project's ping
 * key, the monitor key the check's slug, and an unknown monitor is created
 * (as `?create=1` does) because Cronitor creates it.
 */
export function parseTelemetryAddress(pingKey: string, monitor: string, query: Record<string, unknown>): PingAddress {
  if (pingKey.includes('\0') || monitor.includes('\0')) throw new PingUrlError('ping key and monitor key must not contain NUL characters');
  const address: PingAddress = {
    target: { slug: { pingKey, slug: monitor }, create: true },
    kind: 'success',
    exitStatus: null,
    rid: parseRid(query.rid),
  };
  return withTelemetry(address, undefined, query);
}

/** The address with what Cronitor's parameters say, if the query has any; `kindSegment` is the kind the path gave, if any. */
function withTelemetry(address: PingAddress, kindSegment: string | undefined, query: Record<string, unknown>): PingAddress {
  if (!isTelemetry(query)) return address;
  let telemetry: Telemetry;
  try {
    telemetry = readTelemetry(query);
  } catch (error) {
    // One kind of refusal for every ping URL: the route answers it 400.
    throw error instanceof TelemetryError ? new PingUrlError(error.message) : error;
  }
  if (telemetry.kind !== null && kindSegment !== undefined && kindSegment !== '') {
    throw new PingUrlError('give the kind in the path or as state= and status_code=, not both');
  }
  if (telemetry.rid !== null && address.rid !== null) throw new PingUrlError('give rid= or series=, not both');
  return {
    ...address,
    ...(telemetry.kind !== null && { kind: telemetry.kind, exitStatus: telemetry.exitStatus }),
    rid: address.rid ?? telemetry.rid,
    message: telemetry.message,
    reportedDuration: telemetry.reportedDuration,
    origin: telemetry.origin,
  };
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

/** Characters of a user agent stored with a ping. */
const USER_AGENT_LIMIT = 200;

/** The user agent stored with a ping, whatever brought it (HTTP, mail, a lock, Sentry): cut at 200 characters; null when there is none. */
export const storedUserAgent = (agent: string | null | undefined): string | null => (agent ? agent.slice(0, USER_AGENT_LIMIT) : null);
