/**
 * Microsoft Teams alerts: an Adaptive Card posted to a Teams Workflows
 * webhook ("Send webhook alerts to a channel"), in the `attachments`
 * envelope the Workflows trigger reads
 * (https://support.microsoft.com/en-us/office/create-incoming-webhooks-with-workflows-for-microsoft-teams-8ae491c7-0394-4861-ba59-055e33f75498,
 * https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook).
 * The Office 365 connectors' MessageCard webhooks are retired
 * (https://devblogs.microsoft.com/microsoft365dev/retirement-of-office-365-connectors-within-microsoft-teams/).
 * A card mentions people only through `msteams.entities`, which Cronbeat
 * never sends, and renders no HTML; its markdown makes links of
 * `[label](url)`, which a zero-width space between `]` and `(` keeps as text.
 * No idempotency: the Workflows webhook documents no key that dedupes a
 * repeat, so a retry after a crash mid-send can post the card twice.
 */
import { Type } from 'typebox';
import type { Alert } from '../types';
import { chatText, clip, clipStart, FAILED_RUNS_TITLE, fitLatest, fitLines, groupLineWords, HttpUrl } from './chat-text';
import { type ChannelKindModule, postJson } from './kind';

const config = Type.Object(
  {
    url: HttpUrl(
      'The Workflows webhook URL: in the channel, Workflows → "Send webhook alerts to a channel", then copy the URL of its "When a Teams webhook request is received" trigger.',
    ),
  },
  { additionalProperties: false },
);

/**
 * Teams takes messages up to about 28 KB
 * (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/format-your-bot-messages):
 * each text is cut well inside that.
 */
const MAX_TEXT = 4000;
const MAX_OUTPUT = 2048;

/** The Adaptive Card's colour words for the status (`attention`, `good`, `warning`). */
/** Text that cannot become a link in a card's markdown. */
const inert = (text: string) => text.replaceAll('](', ']\u200b(');

const statusStyle = (alert: Alert) => (alert.flip.to === 'up' ? 'good' : alert.flip.to === 'late' ? 'warning' : 'attention');

export function teamsCard(alert: Alert) {
  const text = chatText(alert);
  const textBlock = (value: string, extra: Record<string, unknown> = {}) => ({
    type: 'TextBlock',
    text: inert(value),
    wrap: true,
    ...extra,
  });
  const body: Array<Record<string, unknown>> = [
    textBlock(clip(text.subject, 500), { size: 'Large', weight: 'Bolder', color: statusStyle(alert) }),
  ];
  if (text.group) {
    body.push(
      textBlock(text.group.intro),
      textBlock(
        fitLines(
          text.group.lines.map((line) => `- ${groupLineWords(line)}`),
          MAX_TEXT,
        ),
      ),
    );
  }
  for (const note of text.notes) body.push(textBlock(clip(note, MAX_TEXT)));
  if (text.facts.length > 0) {
    body.push({ type: 'FactSet', facts: text.facts.map(([title, value]) => ({ title, value: inert(clip(value, 500)) })) });
  }
  if (text.failedRuns.length > 0) {
    body.push(textBlock(FAILED_RUNS_TITLE, { weight: 'Bolder' }), textBlock(fitLatest(text.failedRuns, MAX_TEXT)));
  }
  if (text.output) body.push(textBlock(clipStart(text.output, MAX_OUTPUT), { fontType: 'Monospace' }));
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          // The notification and screen readers read this.
          fallbackText: clip(text.subject, 500),
          msteams: { width: 'Full' },
          body,
          actions: [{ type: 'Action.OpenUrl', title: 'Open check', url: text.url }],
        },
      },
    ],
  };
}

export const teamsKind: ChannelKindModule<typeof config> = {
  kind: 'teams',
  title: 'Microsoft Teams',
  config,
  // The URL's `sig` parameter is what lets anyone post.
  secrets: ['url'],
  async send(context, config, alert) {
    await postJson(context, 'Microsoft Teams', config.url, teamsCard(alert));
  },
};
