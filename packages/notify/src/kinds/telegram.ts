/**
 * Telegram alerts: a bot's `sendMessage` to a chat, in Telegram's HTML
 * (https://core.telegram.org/bots/api#sendmessage: POST
 * https://api.telegram.org/bot<token>/sendMessage, JSON with `chat_id`,
 * `text`, `parse_mode`). HTML mode reads only a few tags and needs `<`, `>`
 * and `&` as entities (https://core.telegram.org/bots/api#html-style):
 * everything people and jobs wrote is escaped. A bot cannot mention anyone
 * without a tag or an @username link, and names keep neither. A 429's body
 * says how long to wait in `parameters.retry_after`, seconds
 * (https://core.telegram.org/bots/api#responseparameters). Telegram has no
 * idempotency key: a retry after a crash mid-send can repeat a message.
 */
import { Type } from 'typebox';
import type { OutboundResponse } from '../guard';
import { alertWord } from '../message';
import type { Alert } from '../types';
import { chatText, clip, clipStart, escapeHtml, FAILED_RUNS_TITLE, fitLatest, fitLines, HttpUrl } from './chat-text';
import { type ChannelKindModule, postJson } from './kind';

export const TELEGRAM_API = 'https://api.telegram.org';

const config = Type.Object(
  {
    botToken: Type.String({
      pattern: '^\\d+:[A-Za-z0-9_-]+$',
      maxLength: 100,
      description: 'The bot’s token from @BotFather, 123456789:AA…. Secret.',
    }),
    chatId: Type.String({
      pattern: '^(-?\\d+|@[A-Za-z][A-Za-z0-9_]{3,31})$',
      description:
        'The chat to post in: its numeric id (-1001234567890 for a group or channel) or a public channel’s @username. The bot must be a member.',
    }),
    messageThreadId: Type.Optional(
      Type.Integer({ minimum: 1, description: 'The topic of a forum group to post in. Default: the general topic.' }),
    ),
    baseUrl: Type.Optional(
      HttpUrl('The Bot API server, for a self-hosted one. Default: https://api.telegram.org.', { default: TELEGRAM_API }),
    ),
  },
  { additionalProperties: false },
);

/** A message's text is at most 4,096 characters after its HTML is read; the HTML itself is kept within that. */
const MAX_TEXT = 4096;

const STATUS_MARK: Record<string, string> = { down: '🔴', 'still down': '🔴', late: '🟠', up: '🟢' };

/** The message's HTML: the subject in bold, the notes, facts, failed runs, the output in <pre>, and a link. */
export function telegramText(alert: Alert): string {
  const text = chatText(alert);
  const head = [`${STATUS_MARK[alertWord(alert).toLowerCase()] ?? '⚪'} <b>${escapeHtml(clip(text.subject, 500))}</b>`];
  const link = `<a href="${escapeHtml(text.url)}">Open check</a>`;
  const body: string[] = [];
  if (text.group) {
    body.push(escapeHtml(text.group.intro));
    const lines = text.group.lines.map(
      (line) =>
        `• <a href="${escapeHtml(line.url)}">${escapeHtml(line.name)}</a>: ${escapeHtml(line.reason)}; down since ${escapeHtml(line.at)}${line.dependents ? `; ${escapeHtml(line.dependents)}` : ''}`,
    );
    // fitLines may only cut between lines here: a line cut inside its tag would be refused.
    body.push(fitLines(lines, MAX_TEXT - head[0]!.length - body[0]!.length - link.length - 10));
    return [...head, ...body, link].join('\n\n');
  }
  body.push(...text.notes.map((note) => escapeHtml(clip(note, 500))));
  body.push(text.facts.map(([label, value]) => `<b>${escapeHtml(label)}:</b> ${escapeHtml(clip(value, 300))}`).join('\n'));
  if (text.failedRuns.length > 0) body.push(`<b>${FAILED_RUNS_TITLE}</b>\n${escapeHtml(fitLatest(text.failedRuns, 1000))}`);
  const withoutOutput = [...head, ...body, link].join('\n\n');
  if (!text.output) return withoutOutput;
  // The output gives way: the end of it, as much as fits once escaped.
  const room = MAX_TEXT - withoutOutput.length - '\n\n<pre></pre>'.length;
  let keep = room;
  let output = escapeHtml(clipStart(text.output, Math.max(1, keep)));
  // Escaping lengthens it: keep less, in proportion, until it fits.
  while (output.length > room && keep > 1) {
    keep = Math.min(keep - 1, Math.floor((keep * room) / output.length));
    output = escapeHtml(clipStart(text.output, Math.max(1, keep)));
  }
  return output.length <= room && keep > 1 ? [...head, ...body, `<pre>${output}</pre>`, link].join('\n\n') : withoutOutput;
}

/** Telegram's `parameters.retry_after` (seconds) from an answer's JSON body. */
export function telegramRetryAfter(response: OutboundResponse): number | null {
  try {
    const seconds = (JSON.parse(response.body.toString('utf8')) as { parameters?: { retry_after?: unknown } }).parameters?.retry_after;
    return typeof seconds === 'number' && seconds >= 0 ? seconds * 1000 : null;
  } catch {
    return null;
  }
}

export const telegramKind: ChannelKindModule<typeof config> = {
  kind: 'telegram',
  title: 'Telegram',
  config,
  secrets: ['botToken'],
  async send(context, config, alert) {
    const base = (config.baseUrl ?? TELEGRAM_API).replace(/\/+$/, '');
    const body = {
      chat_id: config.chatId,
      ...(config.messageThreadId ? { message_thread_id: config.messageThreadId } : {}),
      text: telegramText(alert),
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    };
    // The token is in the path: DeliveryError messages name only the status, never the URL.
    await postJson(context, 'Telegram', `${base}/bot${config.botToken}/sendMessage`, body, {}, (answer) =>
      answer.status === 429 ? telegramRetryAfter(answer) : null,
    );
  },
};
