/**
 * Google Chat alerts: a card (cardsV2) with the subject as the message
 * text, posted to a space's incoming webhook
 * (https://developers.google.com/workspace/chat/quickstart/webhooks:
 * POST the webhook URL, `Content-Type: application/json; charset=UTF-8`).
 * A card's text widgets read a little HTML
 * (https://developers.google.com/workspace/chat/format-messages#card-formatting),
 * so what people wrote is HTML-escaped there; the message text reads
 * `<users/all>` as a mention of everyone, so a zero-width space after each
 * `<` keeps it text. A message is at most 32,000 bytes
 * (https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages):
 * each part is cut well inside it.
 * Idempotent: the webhook URL is spaces.messages.create, whose `requestId`
 * makes a repeat answer the message the first request made instead of
 * posting another ("Specifying an existing request ID returns the message
 * created with that ID instead of creating a new message",
 * https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/create);
 * the notification id is that request id, so a retry after a crash
 * mid-send posts nothing new.
 */
import { Type } from 'typebox';
import type { Alert } from '../types';
import { chatText, clip, clipStart, escapeHtml, FAILED_RUNS_TITLE, fitLatest, fitLines, HttpUrl, statusColourHex } from './chat-text';
import { type ChannelKindModule, postJson } from './kind';

const config = Type.Object(
  {
    url: HttpUrl(
      'The space’s incoming webhook URL (Apps & integrations → Webhooks): https://chat.googleapis.com/v1/spaces/<space>/messages?key=…&token=….',
    ),
  },
  { additionalProperties: false },
);

const MAX_TEXT = 4000;
const MAX_OUTPUT = 2048;

/** Text for a message's `text`: `<users/all>` and `<url|label>` are markup there. */
const inertText = (text: string) => text.replaceAll('<', '<\u200b');

/** Text for a card widget: escaped HTML, newlines as Google Chat's card text reads them. */
const cardText = (text: string) => escapeHtml(text).replaceAll('\n', '<br>');

export function googleChatMessage(alert: Alert) {
  const text = chatText(alert);
  const widgets: Array<Record<string, unknown>> = [];
  if (text.group) {
    widgets.push({ textParagraph: { text: cardText(text.group.intro) } });
    const lines = text.group.lines.map(
      (line) =>
        `• <a href="${escapeHtml(line.url)}">${escapeHtml(line.name)}</a>: ${escapeHtml(line.reason)}; down since ${escapeHtml(line.at)}${line.dependents ? `; ${escapeHtml(line.dependents)}` : ''}`,
    );
    widgets.push({ textParagraph: { text: fitLines(lines, MAX_TEXT).replaceAll('\n', '<br>') } });
  }
  for (const note of text.notes) widgets.push({ textParagraph: { text: cardText(clip(note, MAX_TEXT)) } });
  for (const [label, value] of text.facts) {
    const shown = cardText(clip(value, 500));
    // The status in its colour: a card has no accent colour of its own.
    const coloured = label === 'Status' ? `<font color="${statusColourHex(alert)}"><b>${shown}</b></font>` : shown;
    widgets.push({ decoratedText: { topLabel: label, text: coloured, wrapText: true } });
  }
  if (text.failedRuns.length > 0) {
    widgets.push({ textParagraph: { text: `<b>${FAILED_RUNS_TITLE}</b><br>${cardText(fitLatest(text.failedRuns, MAX_TEXT))}` } });
  }
  if (text.output)
    widgets.push({ textParagraph: { text: `<font color="#5f6368">${cardText(clipStart(text.output, MAX_OUTPUT))}</font>` } });
  widgets.push({ buttonList: { buttons: [{ text: 'Open check', onClick: { openLink: { url: text.url } } }] } });
  return {
    text: inertText(clip(text.subject, 500)),
    cardsV2: [
      {
        cardId: 'cronbeat-alert',
        card: {
          // The header is plain text: never read as HTML.
          header: { title: clip(text.subject, 200), subtitle: alert.check.projectName },
          sections: [{ widgets }],
        },
      },
    ],
  };
}

/** The webhook URL (its key and token kept) with `requestId`: one per notification, the same on every attempt. */
export function withRequestId(webhookUrl: string, deliveryId: string): string {
  const url = new URL(webhookUrl);
  url.searchParams.set('requestId', deliveryId);
  return url.href;
}

export const googleChatKind: ChannelKindModule<typeof config> = {
  kind: 'google-chat',
  title: 'Google Chat',
  config,
  // The URL's key and token are what let anyone post.
  secrets: ['url'],
  async send(context, config, alert) {
    await postJson(context, 'Google Chat', withRequestId(config.url, alert.deliveryId), googleChatMessage(alert), {
      'content-type': 'application/json; charset=UTF-8',
    });
  },
};
