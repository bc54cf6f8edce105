/**
 * Rocket.Chat alerts: a message with one attachment, coloured by status,
 * posted to an incoming webhook integration
 * (https://docs.rocket.chat/docs/integrations: POST https://<server>/hooks/<id>/<token>;
 * the body takes the fields and attachments of chat.postMessage,
 * https://developer.rocket.chat/reference/api/rest-api/endpoints/messaging/chat-endpoints/postmessage#payload).
 * Rocket.Chat reads `@all`, `@here` and `@user` as mentions, and its
 * markdown has no dependable backslash escape: each `@` people wrote is
 * followed by a zero-width space, and `](` broken so a name is no link.
 * A message is at most 5,000 characters by default (Message_MaxAllowedSize):
 * the attachment's text is kept under 4,000.
 * No idempotency: an incoming webhook documents no key that dedupes a
 * repeat, so a retry after a crash mid-send can post twice.
 */
import { Type } from 'typebox';
import type { Alert } from '../types';
import { attachmentMessage } from './chat-attachment';
import { HttpUrl, neutraliseMentions } from './chat-text';
import { type ChannelKindModule, postJson } from './kind';

const config = Type.Object(
  {
    url: HttpUrl('The incoming webhook URL (Administration → Integrations → New → Incoming): https://<your server>/hooks/<id>/<token>.'),
    channel: Type.Optional(
      Type.String({
        pattern: '^[#@]\\S+$',
        maxLength: 100,
        description: 'A channel (#ops) or user (@alice) to post to instead of the webhook’s own, when the integration allows it.',
      }),
    ),
    alias: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'The name the messages show. Default: the integration’s.' }),
    ),
  },
  { additionalProperties: false },
);

const inert = (text: string) => neutraliseMentions(text).replaceAll('](', ']\u200b(');

export function rocketChatMessage(alert: Alert, options: { channel?: string; alias?: string } = {}) {
  return {
    ...(options.channel ? { channel: options.channel } : {}),
    ...(options.alias ? { alias: options.alias } : {}),
    ...attachmentMessage(alert, inert, { text: 4000, output: 1500 }),
  };
}

export const rocketChatKind: ChannelKindModule<typeof config> = {
  kind: 'rocket-chat',
  title: 'Rocket.Chat',
  config,
  // The hook's token is in its URL.
  secrets: ['url'],
  async send(context, config, alert) {
    await postJson(context, 'Rocket.Chat', config.url, rocketChatMessage(alert, config));
  },
};
