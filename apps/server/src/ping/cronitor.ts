import { createHash } from 'node:crypto';
import { isUuid } from '@cronbeat/contract';
import { type PingKind, parseExitStatus, pingKindForExitStatus, ValidationError } from '@cronbeat/core';

/**
 * Cronitor's telemetry parameters (https://cronitor.io/docs/telemetry-api),
 * as its curl lines and clients send them on `/p/<key>/<monitor>` and
 * `/ping/<key>/<monitor>`. `stamp` (the client's clock) is read by no one:
 * a ping's time is when it arrived, so a client's wrong clock cannot move
 * a deadline.
 */
export const CRONITOR_PARAMETERS = ['state', 'series', 'message', 'status_code', 'env', 'host', 'metric', 'stamp'] as const;

/** Cronitor's states as ping kinds: `ok` is Cronitor's manual reset to passing, a success here. */
const STATE_KINDS = new Map<string, PingKind>([
  ['run', 'start'],
  ['complete', 'success'],
  ['ok', 'success'],
  ['fail', 'fail'],
]);

/** What a Cronitor telemetry event says beyond the check it names. */
export interface Telemetry {
  /** From `state`, else from `status_code`; null: neither was given. */
  kind: PingKind | null;
  exitStatus: number | null;
  /** From `series`; null: none. */
  rid: string | null;
  /** `message`, stored as the ping's body when the request has none. */
  message: string | null;
  /** Milliseconds, from `metric=duration:<seconds>`. */
  reportedDuration: number | null;
  /** `host` and `env`, kept with the user agent: `host=<host> env=<env>`; null: neither. */
  origin: string | null;
}

/** A parameter Cronitor's telemetry cannot take; the message names it. */
export class TelemetryError extends Error {
  override readonly name = 'TelemetryError';
}

/** Whether the query carries any of Cronitor's parameters (its Node client always sends `stamp`). */
export const isTelemetry = (query: Record<string, unknown>): boolean => CRONITOR_PARAMETERS.some((name) => query[name] !== undefined);

/** Reads Cronitor's parameters from a query; throws TelemetryError naming the one that is wrong. */
export function readTelemetry(query: Record<string, unknown>): Telemetry {
  const state = single(query, 'state');
  const statusCode = single(query, 'status_code');
  const series = single(query, 'series');
  let kind: PingKind | null = null;
  if (state !== null) {
    kind = STATE_KINDS.get(state) ?? null;
    if (kind === null) throw new TelemetryError(`state must be run, complete, fail or ok, got ${JSON.stringify(state)}`);
  }
  let exitStatus: number | null = null;
  if (statusCode !== null) {
    try {
      exitStatus = parseExitStatus(statusCode);
    } catch (error) {
      if (error instanceof ValidationError)
        throw new TelemetryError(`status_code must be a whole number from 0 to 255, got ${JSON.stringify(statusCode)}`);
      throw error;
    }
    kind ??= pingKindForExitStatus(exitStatus);
  }
  const env = textParameter(query, 'env');
  const host = textParameter(query, 'host');
  const origin = [host === null ? '' : `host=${host}`, env === null ? '' : `env=${env}`].filter(Boolean).join(' ');
  return {
    kind,
    exitStatus,
    rid: series === null || series === '' ? null : seriesRunId(series),
    message: single(query, 'message') || null,
    reportedDuration: reportedDuration(query.metric),
    origin: origin || null,
  };
}

/**
 * A run id for a Cronitor `series`. Ours are UUIDs (they pair a start with
 * its end, as `?rid=` does); Cronitor's are any text (its Node client makes
 * 8 hex digits). A UUID stays itself; other text becomes a name-based UUID
 * (version 5, SHA-1, RFC 9562) in a namespace of our own, so the same
 * series gives the same run id in every replica and after restarts, with
 * nothing to remember, and different series do not collide.
 */
export function seriesRunId(series: string): string {
  return isUuid(series) ? series.toLowerCase() : nameBasedUuid(SERIES_NAMESPACE, series);
}

/** Cronbeat's namespace for Cronitor series (a random UUID, fixed forever: changing it would unpair runs in flight). */
const SERIES_NAMESPACE = '4a0f5c6e-2b0d-4c39-9a55-5d2b7c1e8f31';

/** RFC 9562 version 5 UUID of `name` in `namespace`. */
export function nameBasedUuid(namespace: string, name: string): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Longest `env` or `host` kept: they share the user agent's 200 characters. */
const ORIGIN_PART_LIMIT = 100;

function single(query: Record<string, unknown>, name: string): string | null {
  const value = query[name];
  if (value === undefined) return null;
  if (typeof value !== 'string') throw new TelemetryError(`${name} must be given once`);
  return value;
}

/** `env` or `host`: printable text, kept short (it is stored with the user agent, which Postgres text holds). */
function textParameter(query: Record<string, unknown>, name: string): string | null {
  const value = single(query, name);
  if (value === null || value === '') return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new TelemetryError(`${name} must not contain control characters`);
  return value.slice(0, ORIGIN_PART_LIMIT);
}

/** `metric=duration:<seconds>` among repeatable `metric=` values; count and error_count are Cronitor's and not kept. */
function reportedDuration(metric: unknown): number | null {
  const values = metric === undefined ? [] : Array.isArray(metric) ? metric : [metric];
  let duration: number | null = null;
  for (const value of values) {
    if (typeof value !== 'string' || !value.startsWith('duration:')) continue;
    const seconds = value.slice('duration:'.length);
    if (!/^\d+(\.\d+)?$/.test(seconds)) {
      throw new TelemetryError(`metric duration must be a number of seconds (duration:12.5), got ${JSON.stringify(value)}`);
    }
    duration = Math.round(Number(seconds) * 1000);
  }
  return duration;
}
