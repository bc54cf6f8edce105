/**
 * Slack alerts: a Block Kit message to an incoming webhook, posted by
 * @slack/webhook over the network guard (its `fetch` is ours).
 */
import { type FetchFunction, IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError } from '@slack/webhook';
import { httpUrl, objectOf } from './config-fields';
import type { NetworkGuard, OutboundResponse } from './guard';
import { statusLine } from './guard';
import { retryAfterMs } from './kinds/kind';
import { alertFacts, alertSubject, FAILED_RUNS_TITLE, failedRunLines, isGrouped, quotedOutput } from './message';
import { dependentsNote, groupIntro, groupLines, HELD_TITLE, heldPhrase } from './notes';
import { type Alert, DeliveryError, isTransientHttpStatus } from './types';

export interface SlackConfig {
  /** The incoming webhook URL Slack gave. */
  url: string;
}

export function parseSlackConfig(input: unknown): SlackConfig {
  return { url: httpUrl(objectOf(input).url, 'url') };
}

/**
 * Text made inert for Slack's mrkdwn: `&`, `<` and `>` are its control
 * characters (`<!channel>`, `<https://…|label>`), escaped as Slack asks.
 * Every string a person or a job chose passes through here.
 */
export const escapeSlack = (text: string): string => text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));

/** Slack caps a section's text at 3,000 characters; stay well inside it. */
const MAX_SECTION_TEXT = 2500;

/**
 * The Block Kit payload: header, facts as fields, the job's output, a link.
 * The header and button are plain_text, which Slack never parses for
 * mentions or links; `text` (the notification) and every mrkdwn field are
 * escaped.
 */
export function slackMessage(alert: Alert) {
  if (isGrouped(alert)) return slackGroupMessage(alert);
  const subject = alertSubject(alert);
  const fields = alertFacts(alert).map(([label, value]) => ({ type: 'mrkdwn' as const, text: `*${label}*\n${escapeSlack(value)}` }));
  const output = quotedOutput(alert);
  const blocks: Array<Record<string, unknown>> = [{ type: 'header', text: { type: 'plain_text', text: subject.slice(0, 150) } }];
  const notes = notesText(alert);
  if (notes) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: notes } });
  // A section holds at most 10 fields.
  blocks.push(...chunk(fields, 10).map((group) => ({ type: 'section', fields: group })));
  const runs = failedRunsText(failedRunLines(alert));
  if (runs) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: runs } });
  if (output) {
    const text = output.length > MAX_SECTION_TEXT ? output.slice(output.length - MAX_SECTION_TEXT) : output;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${escapeSlack(text.replaceAll('```', "'''"))}\`\`\`` } });
  }
  blocks.push({
    type: 'actions',
    elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open check' }, url: alert.check.url }],
  });
  return { text: escapeSlack(subject), blocks };
}

/** A link in mrkdwn: the label escaped, so a check's name cannot close it or mention anyone. */
const slackLink = (url: string, label: string) => `<${url}|${escapeSlack(label)}>`;

/** Why the alert comes late, and the dependents down, each linked to its page; escaped. Null when neither. */
function notesText(alert: Alert): string | null {
  const held = heldPhrase(alert);
  const dependents = dependentsNote(alert);
  const lines = [
    held ? `*${HELD_TITLE}*: ${escapeSlack(held)}` : null,
    dependents ? `*${dependents.title}*: ${dependents.dependents.map((each) => slackLink(each.url, each.name)).join(', ')}` : null,
  ].filter((line): line is string => line !== null);
  return lines.length > 0 ? lines.join('\n').slice(0, MAX_SECTION_TEXT) : null;
}

/** Slack takes at most 50 blocks: the header, the intro and a line saying how many are not shown leave these for the list. */
const MAX_GROUP_SECTIONS = 45;

/**
 * A grouped alert: one line per check (its name linked to its page, why and
 * when it went down), as many sections as the lines need. A group too long
 * for one Slack message ends with how many checks are not shown.
 */
function slackGroupMessage(alert: Alert) {
  const subject = alertSubject(alert);
  const lines = groupLines(alert).map((line) =>
    `• *${slackLink(line.url, line.name)}*: ${escapeSlack(line.reason)}; down since ${escapeSlack(line.at)}${line.dependents ? `; ${escapeSlack(line.dependents)}` : ''}`.slice(
      0,
      MAX_SECTION_TEXT,
    ),
  );
  const sections: string[] = [];
  let shown = 0;
  for (const line of lines) {
    const last = sections.at(-1);
    if (last !== undefined && last.length + 1 + line.length <= MAX_SECTION_TEXT) sections[sections.length - 1] = `${last}\n${line}`;
    else if (sections.length < MAX_GROUP_SECTIONS) sections.push(line);
    else break;
    shown++;
  }
  const blocks: Array<Record<string, unknown>> = [
    { type: 'header', text: { type: 'plain_text', text: subject.slice(0, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: escapeSlack(groupIntro(alert)) } },
    ...sections.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } })),
  ];
  if (shown < lines.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `and ${lines.length - shown} more` }] });
  return { text: escapeSlack(subject), blocks };
}

/**
 * The failed runs as one mrkdwn list, escaped. A threshold of up to 100
 * runs can outgrow a section, so the oldest give way to the latest, with a
 * line saying how many are not shown.
 */
function failedRunsText(lines: readonly string[]): string | null {
  if (lines.length === 0) return null;
  const items = lines.map((line, i) => `${i + 1}. ${escapeSlack(line)}`);
  const title = `*${FAILED_RUNS_TITLE}*`;
  let shown = items.length;
  const text = () => {
    const hidden = items.length - shown;
    return [title, ...(hidden > 0 ? [`(${hidden} earlier not shown)`] : []), ...items.slice(items.length - shown)].join('\n');
  };
  while (shown > 1 && text().length > MAX_SECTION_TEXT) shown--;
  return text();
}

function chunk<T>(items: T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}

/** @slack/webhook's fetch, through the guard: pinned addresses, no redirects, a bounded read. */
function guardedFetch(guard: NetworkGuard, timeoutMs: number, onAnswer: (answer: OutboundResponse) => void): FetchFunction {
  return async (url, init) => {
    const answer = await guard.request(String(url), {
      method: 'POST',
      headers: init?.headers ?? {},
      body: typeof init?.body === 'string' ? init.body : '',
      timeoutMs,
    });
    onAnswer(answer);
    const text = answer.body.toString('utf8');
    return {
      ok: answer.status >= 200 && answer.status < 300,
      status: answer.status,
      statusText: '',
      url: String(url),
      headers: new Headers(),
      text: async () => text,
      json: async () => JSON.parse(text),
      arrayBuffer: async () => new Uint8Array(answer.body).buffer,
    };
  };
}

export async function sendSlack(guard: NetworkGuard, config: SlackConfig, alert: Alert, timeoutMs: number): Promise<void> {
  // Slack's library keeps no headers on its errors: the answer's Retry-After (Slack sends one with a 429) is kept here.
  let retryAfter: number | null = null;
  const fetch = guardedFetch(guard, timeoutMs, (answer) => {
    retryAfter = retryAfterMs(answer.headers['retry-after']);
  });
  const webhook = new IncomingWebhook(config.url, { fetch });
  try {
    await webhook.send(slackMessage(alert) as never);
  } catch (error) {
    // Slack answers 403 invalid_token, 404 no_service, 410 channel_is_archived: those never heal. Its words are not shown.
    if (error instanceof IncomingWebhookHTTPError) {
      const redirect = error.statusCode >= 300 && error.statusCode < 400 ? ' (redirects are not followed)' : '';
      throw new DeliveryError(`Slack: ${statusLine(error.statusCode)}${redirect}`, !isTransientHttpStatus(error.statusCode), {
        cause: error,
        retryAfterMs: retryAfter,
        statusCode: error.statusCode,
      });
    }
    const cause = error instanceof IncomingWebhookRequestError ? error.original : error;
    if (cause instanceof DeliveryError) throw new DeliveryError(`Slack: ${cause.message}`, cause.permanent, { cause });
    throw new DeliveryError('Slack: the request failed', false, { cause: error });
  }
}
