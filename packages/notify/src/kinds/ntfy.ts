/**
 * ntfy alerts (https://docs.ntfy.sh/publish/): POST <server>/<topic> with
 * the message as the plain-text body and the rest in headers: `X-Title`,
 * `X-Priority` (1 to 5), `X-Tags` (emoji short codes show as emoji),
 * `X-Click` (the check's page), and with a token `Authorization: Bearer`
 * (https://docs.ntfy.sh/publish/#access-tokens). Works with ntfy.sh and
 * self-hosted servers; a title beyond ASCII is RFC 2047 encoded, which
 * ntfy decodes since 2.4.0. Answers: 200, 4xx permanent (401/403 a bad
 * token, 413 too large), 429 and 5xx retried.
 * A repeat replaces rather than adds: `X-Sequence-ID` is the notification
 * id, and "when a new message with the same sequence ID is published,
 * clients will update the existing notification instead of creating a new
 * one" (https://docs.ntfy.sh/publish/#updating-notifications, ntfy 2.16
 * and later; older servers ignore the header and show a repeat twice).
 */
import { Type } from 'typebox';
import { alertEvent } from '../message';
import type { Alert } from '../types';
import { HttpUrl } from './chat-text';
import { headerText } from './header-text';
import { type ChannelKindModule, sendRequest } from './kind';
import { alertTitle, pushBody } from './push-text';

const Priority = (description: string, fallback: number) =>
  Type.Optional(
    Type.Integer({ minimum: 1, maximum: 5, default: fallback, description: `${description} 1 (min) to 5 (max). Default: ${fallback}.` }),
  );

const config = Type.Object(
  {
    serverUrl: Type.Optional(
      HttpUrl('The ntfy server, with its path prefix if it has one. Default: https://ntfy.sh; a self-hosted server’s own URL otherwise.', {
        default: 'https://ntfy.sh',
      }),
    ),
    topic: Type.String({
      pattern: '^[-_A-Za-z0-9]{1,64}$',
      description:
        'The topic to publish to: letters, digits, - and _, at most 64. On ntfy.sh anyone who knows it can read it: choose one hard to guess.',
    }),
    token: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 256,
        pattern: '^[\\x21-\\x7e]+$',
        description: 'An access token (tk_…) for a topic that needs one, sent as a Bearer token. Default: none. Secret.',
      }),
    ),
    downPriority: Priority('The priority of DOWN and STILL DOWN alerts:', 5),
    latePriority: Priority('The priority of LATE alerts:', 3),
    upPriority: Priority('The priority of UP alerts:', 3),
  },
  { additionalProperties: false },
);

/** ntfy keeps a message of up to 4,096 bytes as text; a longer one becomes an attachment (https://docs.ntfy.sh/config/#message-limits). */
const MAX_MESSAGE_BYTES = 4096;
const MAX_TITLE = 250;

/** Emoji short codes ntfy shows before the title: 🚨 down, ⏳ late, ✅ up. */
const TAGS = { down: 'rotating_light', still_down: 'rotating_light', late: 'hourglass_flowing_sand', up: 'white_check_mark' } as const;

/** The message body: the facts and output, within the bytes ntfy keeps as text. */
export function ntfyMessage(alert: Alert): string {
  let max = MAX_MESSAGE_BYTES;
  let message = pushBody(alert, max);
  while (Buffer.byteLength(message) > MAX_MESSAGE_BYTES) {
    max -= Math.ceil((Buffer.byteLength(message) - MAX_MESSAGE_BYTES) / 2) + 1;
    message = pushBody(alert, max);
  }
  return message;
}

export const ntfyKind: ChannelKindModule<typeof config> = {
  kind: 'ntfy',
  title: 'ntfy',
  config,
  secrets: ['token'],
  async send(context, settings, alert) {
    const event = alertEvent(alert);
    const priority =
      event === 'up' ? (settings.upPriority ?? 3) : event === 'late' ? (settings.latePriority ?? 3) : (settings.downPriority ?? 5);
    const headers: Record<string, string> = {
      'content-type': 'text/plain; charset=utf-8',
      'x-title': headerText(alertTitle(alert, MAX_TITLE)),
      'x-priority': String(priority),
      'x-tags': TAGS[event],
      'x-click': new URL(alert.check.url).href,
      'x-sequence-id': alert.deliveryId,
    };
    if (settings.token) headers.authorization = `Bearer ${settings.token}`;
    const url = `${(settings.serverUrl ?? 'https://ntfy.sh').replace(/\/+$/, '')}/${settings.topic}`;
    await sendRequest(context, 'ntfy', url, { method: 'POST', headers, body: ntfyMessage(alert) });
  },
};
