/**
 * What every HTTP channel kind is made of, and the request and answer
 * handling they share. A kind module exports one `ChannelKindModule`: its
 * config as a TypeBox schema (the API validates and documents it), which
 * config fields are secrets (write-only: never shown back), and `send`,
 * which delivers one alert through the network guard and rejects with a
 * DeliveryError saying whether a retry can help and, when the receiver
 * said so, how long to wait first.
 */
import type { ChannelEvent } from '@cronbeat/core';
import type { Static, TSchema } from 'typebox';
import { type NetworkGuard, type OutboundRequest, type OutboundResponse, statusLine } from '../guard';
import { type Alert, DeliveryError, isTransientHttpStatus } from '../types';

/** What `send` may use of the process. */
export interface KindContext {
  guard: NetworkGuard;
  /** Milliseconds a request may take in all. */
  timeoutMs: number;
}

export interface ChannelKindModule<Config extends TSchema = TSchema> {
  /** The `kind` stored on the channel and used in the API. */
  kind: string;
  /** Shown in the dashboard's channel form and the README. */
  title: string;
  config: Config;
  /** Config fields that are secrets: accepted on write, never shown back (the API says only that one is set). */
  secrets: readonly string[];
  /**
   * The events a new channel of this kind takes when its creator names none.
   * Default: all. Incident tools leave out `late`: they open nothing for it,
   * and no recovery would close what they did open.
   */
  defaultEvents?: readonly ChannelEvent[];
  send(context: KindContext, config: Static<Config>, alert: Alert): Promise<void>;
  /**
   * Sends the made-up alert of the API's "Send test". Default: `send`.
   * Incident services open a test incident under a key of its own
   * (`testIncidentKey`) and close it at once, so a test pages once and
   * leaves nothing open.
   */
  sendTest?(context: KindContext, config: Static<Config>, alert: Alert): Promise<void>;
}

/**
 * `cronbeat-test-<the test alert's delivery id>`: the key a test incident
 * is opened and closed under, never a check's, so closing it cannot close a
 * real incident and a real alert cannot reopen it.
 */
export const testIncidentKey = (alert: Alert): string => `cronbeat-test-${alert.deliveryId}`;

/**
 * Milliseconds a `Retry-After` header asks for: delta-seconds or an HTTP
 * date (RFC 9110 §10.2.3); null when absent or unreadable.
 */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return null;
  if (/^\s*\d+\s*$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its day and month; anything else (a negative number, say) is no hint.
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * Sends one request for channel kind `label` (its name in messages,
 * `Discord`), and resolves with a 2xx answer; anything else rejects with a
 * DeliveryError: a redirect or other 4xx is permanent, 408/425/429/5xx and
 * network failures are transient, and a `Retry-After` is passed on.
 * `hint` reads a vendor's own retry hint from the body when it has one.
 */
export async function sendRequest(
  context: KindContext,
  label: string,
  url: string,
  request: Omit<OutboundRequest, 'timeoutMs'>,
  hint?: (response: OutboundResponse) => number | null,
): Promise<OutboundResponse> {
  let response: OutboundResponse;
  try {
    response = await context.guard.request(url, { ...request, timeoutMs: context.timeoutMs });
  } catch (error) {
    if (error instanceof DeliveryError) throw new DeliveryError(`${label}: ${error.message}`, error.permanent, { cause: error });
    throw new DeliveryError(`${label}: the request failed`, false, { cause: error });
  }
  const { status } = response;
  if (status >= 200 && status < 300) return response;
  if (status >= 300 && status < 400)
    throw new DeliveryError(`${label}: ${statusLine(status)} (redirects are not followed)`, true, { statusCode: status });
  const wait = hint?.(response) ?? retryAfterMs(response.headers['retry-after']);
  throw new DeliveryError(`${label}: ${statusLine(status)}`, !isTransientHttpStatus(status), { retryAfterMs: wait, statusCode: status });
}

/** A JSON POST through `sendRequest`. */
export const postJson = (
  context: KindContext,
  label: string,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  hint?: (response: OutboundResponse) => number | null,
): Promise<OutboundResponse> =>
  sendRequest(
    context,
    label,
    url,
    { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) },
    hint,
  );
