/**
 * Webhook alerts: a JSON POST. With a secret, `X-Cronbeat-Signature:
 * sha256=<hex>` is the HMAC-SHA256 of the exact body under that secret.
 */
import { createHmac } from 'node:crypto';
import { httpUrl, objectOf } from './config-fields';
import { alertEvent, quotedOutput } from './message';
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
 * The documented payload: `event`, `check`, `flip`, `ping`. A reminder
 * (`check.still_down`) carries the flip its incident began with, and when
 * it was sent as `reminderAt`.
 */
export interface WebhookPayload {
  event: 'check.down' | 'check.up' | 'check.late' | 'check.still_down';
  reminderAt: string | null;
  check: { id: string; name: string; slug: string | null; project: string; status: string; lastPing: string | null; url: string };
  flip: { id: number; from: string; to: string; reason: string; at: string; exitStatus: number | null; downSince: string | null };
  ping: { at: string; kind: string; exitStatus: number | null; body: string | null } | null;
}

export function webhookPayload(alert: Alert): WebhookPayload {
  const { check, flip, ping } = alert;
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
    },
    ping: ping && { at: ping.at.toISOString(), kind: ping.kind, exitStatus: ping.exitStatus, body: quotedOutput(alert) },
  };
}

export const signBody = (secret: string, body: string): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export async function sendWebhook(config: WebhookConfig, alert: Alert, timeoutMs: number): Promise<void> {
  const body = JSON.stringify(webhookPayload(alert));
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Cronbeat' };
  if (config.secret) headers[SIGNATURE_HEADER] = signBody(config.secret, body);
  let response: Response;
  try {
    response = await fetch(config.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (error) {
    throw new DeliveryError(`webhook: ${(error as Error).message}`, false, { cause: error });
  }
  // Drain the body so the connection can be reused.
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    throw new DeliveryError(`webhook: HTTP ${response.status} ${text.slice(0, 200)}`.trim(), !isTransientHttpStatus(response.status));
  }
}
