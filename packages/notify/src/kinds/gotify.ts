/**
 * Gotify alerts (a self-hosted push server; https://gotify.net/docs/pushmsg):
 * POST <server>/message with the application's token in `X-Gotify-Key`
 * and JSON `title`, `message`, `priority` (https://gotify.net/api-docs,
 * createMessage), plus extras: plain text, and a tap opening the check
 * (https://gotify.net/docs/msgextras). Answers: 200 with the stored
 * message; 400, 401 and 403 permanent; 429 (from a proxy in front) and
 * 5xx retried.
 * No idempotency: createMessage takes no client id, so a retry after a
 * crash mid-send can store and push the message twice.
 */
import { Type } from 'typebox';
import { alertEvent } from '../message';
import type { Alert } from '../types';
import { HttpUrl } from './chat-text';
import { type ChannelKindModule, postJson } from './kind';
import { alertTitle, pushBody } from './push-text';

const Priority = (description: string, fallback: number) =>
  Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 10,
      default: fallback,
      description: `${description} 0 (silent) to 10; Gotify's Android app pops up from 8, sounds from 4. Default: ${fallback}.`,
    }),
  );

const config = Type.Object(
  {
    serverUrl: HttpUrl('Your Gotify server, with its path prefix if it has one: https://gotify.example.com.'),
    appToken: Type.String({
      pattern: '^[A-Za-z0-9._-]{1,128}$',
      description: 'The token of a Gotify application (Apps → Create application), which messages are posted as. Secret.',
    }),
    downPriority: Priority('The priority of DOWN and STILL DOWN alerts:', 8),
    latePriority: Priority('The priority of LATE alerts:', 5),
    upPriority: Priority('The priority of UP alerts:', 5),
  },
  { additionalProperties: false },
);

/** Gotify sets no limit of its own; a phone's notification shows far less, the app the rest. */
const MAX_MESSAGE = 8000;
const MAX_TITLE = 250;

export function gotifyMessage(alert: Alert, priority: number) {
  return {
    title: alertTitle(alert, MAX_TITLE),
    message: `${pushBody(alert, MAX_MESSAGE)}\n\n${alert.check.url}`,
    priority,
    extras: {
      'client::display': { contentType: 'text/plain' },
      'client::notification': { click: { url: alert.check.url } },
    },
  };
}

export const gotifyKind: ChannelKindModule<typeof config> = {
  kind: 'gotify',
  title: 'Gotify',
  config,
  secrets: ['appToken'],
  async send(context, settings, alert) {
    const event = alertEvent(alert);
    const priority =
      event === 'up' ? (settings.upPriority ?? 5) : event === 'late' ? (settings.latePriority ?? 5) : (settings.downPriority ?? 8);
    const url = `${settings.serverUrl.replace(/\/+$/, '')}/message`;
    await postJson(context, 'Gotify', url, gotifyMessage(alert, priority), { 'x-gotify-key': settings.appToken });
  },
};
