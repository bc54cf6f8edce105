/**
 * Discord alerts: one embed, coloured by status, posted to a channel's
 * webhook (Execute Webhook: POST the webhook URL with a JSON body;
 * https://discord.com/developers/docs/resources/webhook#execute-webhook).
 * `allowed_mentions: { parse: [] }` pings nobody whatever the text says
 * (https://discord.com/developers/docs/resources/message#allowed-mentions-object),
 * and names are escaped besides so they cannot format or look like a ping.
 * A 429's JSON body carries `retry_after` in seconds
 * (https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit).
 * No idempotency: Execute Webhook takes no `nonce` (only Create Message's
 * `nonce` with `enforce_nonce` dedupes, and it needs a bot), so a retry
 * after a crash mid-send can post a message twice.
 */
import { Type } from 'typebox';
import type { OutboundResponse } from '../guard';
import type { Alert } from '../types';
import {
  chatText,
  clip,
  clipStart,
  codeBlock,
  escapeChatMarkdown,
  FAILED_RUNS_TITLE,
  fitLatest,
  fitLines,
  HttpUrl,
  statusColour,
} from './chat-text';
import { type ChannelKindModule, postJson } from './kind';

const config = Type.Object(
  {
    url: HttpUrl(
      'The channel webhook URL Discord gave (Server Settings → Integrations → Webhooks): https://discord.com/api/webhooks/<id>/<token>.',
    ),
    username: Type.Optional(
      Type.String({ minLength: 1, maxLength: 80, description: 'The name the messages are posted under. Default: the webhook’s own.' }),
    ),
  },
  { additionalProperties: false },
);

/** Discord's embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
const LIMITS = { title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, total: 6000 } as const;

/** The Execute Webhook body: the subject as the notification text, and an embed with the facts. */
export function discordMessage(alert: Alert, username?: string) {
  const text = chatText(alert);
  const md = escapeChatMarkdown;
  const description = text.group
    ? fitLines(
        [
          md(text.group.intro),
          ...text.group.lines.map(
            (line) =>
              `• [${md(line.name)}](${line.url}): ${md(line.reason)}; down since ${md(line.at)}${line.dependents ? `; ${md(line.dependents)}` : ''}`,
          ),
        ],
        LIMITS.description,
      )
    : text.notes.map(md).join('\n');
  const fields = text.facts.slice(0, LIMITS.fields - 2).map(([name, value]) => ({
    name: clip(name, LIMITS.fieldName),
    value: clip(md(value), LIMITS.fieldValue),
    inline: value.length <= 40,
  }));
  if (text.failedRuns.length > 0) {
    const runs = text.failedRuns.map((run, i) => `${i + 1}. ${md(run)}`);
    fields.push({ name: FAILED_RUNS_TITLE, value: fitLatest(runs, LIMITS.fieldValue), inline: false });
  }
  if (text.output) {
    // A code block's fences and newlines take 8 characters of the field.
    fields.push({ name: 'Output', value: codeBlock(clipStart(text.output, LIMITS.fieldValue - 8)), inline: false });
  }
  const title = clip(text.subject, LIMITS.title);
  // The embed's characters in all may not pass 6,000: the description gives way first.
  const used = title.length + fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  const embed = {
    title,
    url: text.url,
    color: statusColour(alert),
    timestamp: alert.flip.at.toISOString(),
    ...(description ? { description: clip(description, Math.max(0, Math.min(LIMITS.description, LIMITS.total - used))) } : {}),
    fields,
  };
  return {
    ...(username ? { username } : {}),
    // The notification line: plain words, never a ping.
    content: clip(md(text.subject), 2000),
    embeds: [embed],
    allowed_mentions: { parse: [] as string[] },
  };
}

/** Discord's `retry_after` (seconds, fractional) from a 429's JSON body. */
export function discordRetryAfter(response: OutboundResponse): number | null {
  try {
    const seconds = (JSON.parse(response.body.toString('utf8')) as { retry_after?: unknown }).retry_after;
    return typeof seconds === 'number' && seconds >= 0 ? Math.ceil(seconds * 1000) : null;
  } catch {
    return null;
  }
}

export const discordKind: ChannelKindModule<typeof config> = {
  kind: 'discord',
  title: 'Discord',
  config,
  // The webhook URL holds its token.
  secrets: ['url'],
  async send(context, config, alert) {
    // The Retry-After header, when Discord sends one, is whole seconds; the body's is exact.
    await postJson(context, 'Discord', config.url, discordMessage(alert, config.username), {}, (answer) =>
      answer.status === 429 ? discordRetryAfter(answer) : null,
    );
  },
};
