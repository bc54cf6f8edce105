/**
 * Pushover alerts (https://pushover.net/api): POST /1/messages.json,
 * form-encoded, with the application's `token`, the recipient's `user` key,
 * `message`, `title`, `url` and `priority` per status. Emergency priority
 * (2) repeats until acknowledged, so it carries `retry` and `expire`
 * (https://pushover.net/api#priority). Answers: 200 `{ status: 1 }`, 4xx
 * `{ status: 0, errors }` (permanent: a bad token or user key), 429 when
 * the application is over its monthly limit, until `X-Limit-App-Reset`
 * (https://pushover.net/api#limits), 5xx retried.
 * No idempotency: the Messages API takes no request id, so a retry after a
 * crash mid-send can push twice.
 */
import { Type } from 'typebox';
import type { OutboundResponse } from '../guard';
import { alertEvent } from '../message';
import type { Alert } from '../types';
import { HttpUrl } from './chat-text';
import { type ChannelKindModule, sendRequest } from './kind';
import { alertTitle, pushBody } from './push-text';

const Key = (description: string) =>
  Type.String({ pattern: '^[A-Za-z0-9]{30}$', description: `${description} 30 letters and digits. Secret.` });
const Priority = (description: string, fallback: number) =>
  Type.Optional(
    Type.Integer({
      minimum: -2,
      maximum: 2,
      default: fallback,
      description: `${description} -2 (no notification) to 2 (emergency: repeats every minute for an hour until acknowledged). Default: ${fallback}.`,
    }),
  );

const config = Type.Object(
  {
    token: Key('The API token of your Pushover application (https://pushover.net/apps/build).'),
    userKey: Key('The user or group key to notify (shown on your Pushover dashboard).'),
    device: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{1,25}(,[A-Za-z0-9_-]{1,25})*$',
        description: 'Only these devices, by name, comma-separated. Default: all of the user’s.',
      }),
    ),
    downPriority: Priority('The priority of DOWN and STILL DOWN alerts:', 1),
    latePriority: Priority('The priority of LATE alerts:', 0),
    upPriority: Priority('The priority of UP alerts:', 0),
    baseUrl: Type.Optional(
      HttpUrl('The Pushover API. Default: https://api.pushover.net; change it only to go through a proxy.', {
        default: 'https://api.pushover.net',
      }),
    ),
  },
  { additionalProperties: false },
);

/** Pushover's limits in characters (https://pushover.net/api#limits). */
const LIMITS = { message: 1024, title: 250, url: 512 } as const;

/** An emergency alert repeats every `retry` seconds until acknowledged or `expire` seconds pass. */
const EMERGENCY = { retry: 60, expire: 3600 } as const;

/** The form fields of one message. */
export function pushoverForm(
  alert: Alert,
  settings: { token: string; userKey: string; device?: string; priority: number },
): URLSearchParams {
  const form = new URLSearchParams({
    token: settings.token,
    user: settings.userKey,
    title: alertTitle(alert, LIMITS.title),
    message: pushBody(alert, LIMITS.message),
    priority: String(settings.priority),
    timestamp: String(Math.floor(alert.flip.at.getTime() / 1000)),
  });
  if (alert.check.url.length <= LIMITS.url) {
    form.set('url', alert.check.url);
    form.set('url_title', 'Open the check');
  }
  if (settings.device) form.set('device', settings.device);
  if (settings.priority === 2) {
    form.set('retry', String(EMERGENCY.retry));
    form.set('expire', String(EMERGENCY.expire));
  }
  return form;
}

/** A 429 means the application's monthly messages are spent: wait until they reset, a Unix time in `X-Limit-App-Reset`. */
const resetHint = (response: OutboundResponse): number | null => {
  if (response.status !== 429 || response.headers['retry-after'] !== undefined) return null;
  const reset = Number(response.headers['x-limit-app-reset']);
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) : null;
};

export const pushoverKind: ChannelKindModule<typeof config> = {
  kind: 'pushover',
  title: 'Pushover',
  config,
  secrets: ['token', 'userKey'],
  async send(context, settings, alert) {
    const event = alertEvent(alert);
    const priority =
      event === 'up' ? (settings.upPriority ?? 0) : event === 'late' ? (settings.latePriority ?? 0) : (settings.downPriority ?? 1);
    const form = pushoverForm(alert, { token: settings.token, userKey: settings.userKey, device: settings.device, priority });
    const url = `${(settings.baseUrl ?? 'https://api.pushover.net').replace(/\/+$/, '')}/1/messages.json`;
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    await sendRequest(context, 'Pushover', url, { method: 'POST', headers, body: form.toString() }, resetHint);
  },
};
