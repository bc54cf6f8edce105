/**
 * Webhook alerts: a JSON POST through the network guard. With a secret,
 * `X-Cronbeat-Signature: sha256=<hex>` is the HMAC-SHA256 of the exact body
 * under that secret. `Idempotency-Key` and `X-Cronbeat-Delivery` carry the
 * notification id.
 */
import { createHmac } from 'node:crypto';
import type { FailedRun, FlipRuns } from '@cronbeat/core';
import { httpUrl, objectOf } from './config-fields';
import { type NetworkGuard, type OutboundResponse, statusLine } from './guard';
import { retryAfterMs } from './kinds/kind';
import { alertEvent, alertZone, quotedOutput } from './message';
import { dependentsNote } from './notes';
import { type Alert, ChannelConfigError, DeliveryError, isTransientHttpStatus } from './types';

export interface WebhookConfig {
  url: string;
  /** Signs each body when set; 16 to 256 characters. */
  secret: string | null;
}

export const SIGNATURE_HEADER = 'x-cronbeat-signature';

export function parseWebhookConfig(input: unknown): WebhookConfig {
  const config = objectOf(input);
  const secret = config.secret ?? null;
  if (secret !== null && (typeof secret !== 'string' || secret.length < 16 || secret.length > 256)) {
    throw new ChannelConfigError('secret', 'secret must be 16 to 256 characters');
  }
  return { url: httpUrl(config.url, 'url'), secret };
}

/**
 * The documented payload: `event`, `check`, `flip`, `ping`, `dependents`,
 * and for an event held back, `heldBy` with `maintenance` or `downParents`.
 * A reminder (`check.still_down`) carries the flip its incident began with,
 * and when it was sent as `reminderAt`. Never grouped: one event per check.
 */
export interface WebhookPayload {
  event: 'check.down' | 'check.up' | 'check.late' | 'check.still_down';
  reminderAt: string | null;
  check: {
    id: string;
    name: string;
    slug: string | null;
    project: string;
    status: string;
    lastPing: string | null;
    /**
     * The check's IANA time zone: its schedule's clocks, and the zone its
     * emails and Slack messages show times in. Every time in the payload is
     * UTC; this says how the check's people read them.
     */
    tz: string;
    url: string;
  };
  flip: {
    id: number;
    from: string;
    to: string;
    reason: string;
    at: string;
    exitStatus: number | null;
    downSince: string | null;
    /** The runs that caused the flip, as the API's flips show them; null for flips not caused by runs. */
    runs: WebhookFlipRuns | null;
  };
  ping: { at: string; kind: string; exitStatus: number | null; body: string | null } | null;
  /**
   * Checks that depend on this one and are down as the event is sent (for
   * `check.down`, `check.still_down` and `check.up`: then the ones still
   * down), by name; empty when none.
   */
  dependents: Array<{ id: string; name: string; since: string | null; url: string }>;
  /**
   * Why this event comes later than its flip: `maintenance` (a maintenance
   * window was in force; sent when it ended) or `dependency` (checks it
   * depends on were down; sent once they were back). Null for an event sent
   * at once. Events are never grouped: each check has its own.
   */
  heldBy: 'maintenance' | 'dependency' | null;
  /** For `heldBy: 'maintenance'`: the window; `name` is null once the window was deleted. */
  maintenance: { windowId: string | null; name: string | null } | null;
  /** For `heldBy: 'dependency'`: the checks it depends on that were down at the flip, each with its status now. */
  downParents: Array<{ id: string; name: string; status: string }> | null;
  /** When a held event was released (the window ended, the parents were back); null for one sent at once. */
  releasedAt: string | null;
}

/** A failed run as JSON: only the fields its reason sets, times as ISO-8601 UTC. */
export type WebhookFailedRun = { [Key in keyof FailedRun]: FailedRun[Key] extends Date | undefined ? string : FailedRun[Key] };

/** `FlipRuns` as JSON: the failed runs that took the check down (oldest first) and the threshold, or the successful runs that brought it back. */
export type WebhookFlipRuns = Omit<FlipRuns, 'failures'> & { failures?: WebhookFailedRun[] };

function failedRunJson(run: FailedRun): WebhookFailedRun {
  const json: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(run)) {
    if (value !== undefined) json[key] = value instanceof Date ? value.toISOString() : value;
  }
  return json as WebhookFailedRun;
}

function flipRunsJson(runs: FlipRuns | null | undefined): WebhookFlipRuns | null {
  if (!runs) return null;
  const { failures, ...counts } = runs;
  return failures ? { failures: failures.map(failedRunJson), ...counts } : { ...counts };
}

export function webhookPayload(alert: Alert): WebhookPayload {
  const { check, flip, ping } = alert;
  const maintenance = alert.maintenance ?? null;
  const dependency = alert.dependency ?? null;
  return {
    event: `check.${alertEvent(alert)}`,
    reminderAt: alert.reminderAt?.toISOString() ?? null,
    check: {
      id: check.id,
      name: check.name,
      slug: check.slug,
      project: check.projectName,
      status: flip.to,
      lastPing: check.lastPing?.toISOString() ?? null,
      tz: alertZone(alert),
      url: check.url,
    },
    flip: {
      id: flip.id,
      from: flip.from,
      to: flip.to,
      reason: flip.reason,
      at: flip.at.toISOString(),
      exitStatus: flip.exitStatus,
      downSince: alert.downSince?.toISOString() ?? null,
      runs: flipRunsJson(flip.runs),
    },
    ping: ping && { at: ping.at.toISOString(), kind: ping.kind, exitStatus: ping.exitStatus, body: quotedOutput(alert) },
    dependents: (dependentsNote(alert)?.dependents ?? []).map((dependent) => ({
      id: dependent.id,
      name: dependent.name,
      since: dependent.since?.toISOString() ?? null,
      url: dependent.url,
    })),
    heldBy: maintenance ? 'maintenance' : dependency ? 'dependency' : null,
    maintenance: maintenance ? { windowId: maintenance.windowId, name: maintenance.name } : null,
    downParents: dependency ? dependency.parents.map(({ id, name, status }) => ({ id, name, status })) : null,
    releasedAt: (maintenance ?? dependency)?.releasedAt.toISOString() ?? null,
  };
}

export const signBody = (secret: string, body: string): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** Headers that carry the notification id: a receiver dedupes on them, as a repeat after a crash mid-send carries the same. */
export const IDEMPOTENCY_HEADERS = ['idempotency-key', 'x-cronbeat-delivery'] as const;

export async function sendWebhook(guard: NetworkGuard, config: WebhookConfig, alert: Alert, timeoutMs: number): Promise<void> {
  const body = JSON.stringify(webhookPayload(alert));
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Cronbeat' };
  for (const name of IDEMPOTENCY_HEADERS) headers[name] = alert.deliveryId;
  if (config.secret) headers[SIGNATURE_HEADER] = signBody(config.secret, body);
  let status: number;
  let answerHeaders: OutboundResponse['headers'];
  try {
    ({ status, headers: answerHeaders } = await guard.request(config.url, { method: 'POST', headers, body, timeoutMs }));
  } catch (error) {
    if (error instanceof DeliveryError) throw new DeliveryError(`webhook: ${error.message}`, error.permanent, { cause: error });
    throw new DeliveryError('webhook: the request failed', false, { cause: error });
  }
  if (status >= 300 && status < 400)
    throw new DeliveryError(`webhook: ${statusLine(status)} (redirects are not followed)`, true, { statusCode: status });
  if (status < 200 || status >= 300)
    throw new DeliveryError(`webhook: ${statusLine(status)}`, !isTransientHttpStatus(status), {
      retryAfterMs: retryAfterMs(answerHeaders['retry-after']),
      statusCode: status,
    });
}
