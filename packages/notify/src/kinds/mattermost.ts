/**
 * Mattermost alerts: a message with one attachment, coloured by status,
 * posted to an incoming webhook
 * (https://developers.mattermost.com/integrate/webhooks/incoming/, attachments:
 * https://developers.mattermost.com/integrate/reference/message-attachments/).
 * Mattermost reads markdown and `@channel`, `@all`, `@here` and `@user`
 * mentions: what people wrote is markdown-escaped and its `@` cannot mention.
 * A post is at most 16,383 characters; each part is cut well inside it.
 * No idempotency: an incoming webhook takes only the post's fields, none
 * that dedupes a repeat, so a retry after a crash mid-send can post twice.
 */
import { Type } from 'typebox';
import type { Alert } from '../types';
import { attachmentMessage } from './chat-attachment';
import { escapeChatMarkdown, HttpUrl } from './chat-text';
import { type ChannelKindModule, postJson } from './kind';

const config = Type.Object(
  {
    url: HttpUrl('The incoming webhook URL (Integrations → Incoming Webhooks): https://<your server>/hooks/<key>.'),
    channel: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'Another channel’s name to post in, when the webhook allows it. Default: the webhook’s.',
      }),
    ),
    username: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'The name the posts show, when the server lets webhooks set it. Default: the webhook’s.',
      }),
    ),
  },
  { additionalProperties: false },
);

export function mattermostMessage(alert: Alert, options: { channel?: string; username?: string } = {}) {
  return {
    ...(options.channel ? { channel: options.channel } : {}),
    ...(options.username ? { username: options.username } : {}),
    ...attachmentMessage(alert, escapeChatMarkdown, { text: 6000, output: 2048 }),
  };
}

export const mattermostKind: ChannelKindModule<typeof config> = {
  kind: 'mattermost',
  title: 'Mattermost',
  config,
  // The hook's key is what lets anyone post.
  secrets: ['url'],
  async send(context, config, alert) {
    await postJson(context, 'Mattermost', config.url, mattermostMessage(alert, config));
  },
};
