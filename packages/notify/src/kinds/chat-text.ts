/**
 * What the chat kinds (Discord, Teams, Google Chat, Mattermost, Rocket.Chat,
 * Telegram, Matrix) share: the alert's words gathered once from the same
 * facts email and Slack show, a colour per status, cutting to a medium's
 * limits, and making people's text inert where a medium reads mentions or
 * markdown. Pure.
 */
import { Type } from 'typebox';
import { alertEvent, alertFacts, alertSubject, FAILED_RUNS_TITLE, failedRunLines, isGrouped, quotedOutput } from '../message';
import { alertNotes, type GroupLine, groupIntro, groupLines } from '../notes';
import type { Alert } from '../types';

/** An http(s) URL in a kind's config schema. */
export const HttpUrl = (description: string, extra: { default?: string } = {}) =>
  Type.String({ pattern: '^https?://[^\\s/]+', maxLength: 2048, description, ...extra });

/** The alert in words, each part as people and jobs wrote it (unescaped): each kind escapes for its medium. */
export interface ChatText {
  /** `DOWN: nightly-backup (failed, exit status 3)`. */
  subject: string;
  /** Why it comes late, which dependents are down: one line each. */
  notes: string[];
  /** Label and value pairs: status, check, project, reason, times… Empty for a grouped alert. */
  facts: Array<[label: string, value: string]>;
  /** The failed runs, oldest first, when a threshold asked for more than one. */
  failedRuns: string[];
  /** The job's output tail, for failures. */
  output: string | null;
  /** For a grouped alert: what the list is and each check; null otherwise. */
  group: { intro: string; lines: GroupLine[] } | null;
  /** The check's page. */
  url: string;
}

export { FAILED_RUNS_TITLE };

export function chatText(alert: Alert): ChatText {
  const grouped = isGrouped(alert);
  return {
    subject: alertSubject(alert),
    notes: grouped ? [] : alertNotes(alert),
    facts: grouped ? [] : alertFacts(alert),
    failedRuns: grouped ? [] : failedRunLines(alert),
    output: grouped ? null : quotedOutput(alert),
    group: grouped ? { intro: groupIntro(alert), lines: groupLines(alert) } : null,
    url: alert.check.url,
  };
}

/** A colour for the status, as 0xRRGGBB: red for down and still down, amber for late, green for up. */
export function statusColour(alert: Alert): number {
  const event = alertEvent(alert);
  return event === 'up' ? 0x2eb67d : event === 'late' ? 0xecb22e : 0xe01e5a;
}

/** `#e01e5a`. */
export const statusColourHex = (alert: Alert): string => `#${statusColour(alert).toString(16).padStart(6, '0')}`;

/** At most `max` characters (UTF-16 units, as the vendors count), ending in `…` when cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  // Do not leave half a surrogate pair before the ellipsis.
  const cut = text.slice(0, max - 1).replace(/[\uD800-\uDBFF]$/, '');
  return `${cut}…`;
}

/** The last `max` characters at most, starting with `…` when cut: the end of a job's output is what tells. */
export function clipStart(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(text.length - max + 1).replace(/^[\uDC00-\uDFFF]/, '');
  return `…${cut}`;
}

/**
 * `@` followed by a zero-width space: `@everyone`, `@here`, `@channel`,
 * `@all` and `@someone` in a check's name or output then read the same but
 * ping nobody in Discord, Mattermost or Rocket.Chat.
 */
export const neutraliseMentions = (text: string): string => text.replaceAll('@', '@\u200b');

/**
 * Text made inert for CommonMark-style chat markdown (Discord, Mattermost):
 * every punctuation character that can start markup is escaped with a
 * backslash (which both render as the character alone), and mentions are
 * neutralised. `<@123>` user mentions and `[label](url)` links are then text.
 */
export const escapeChatMarkdown = (text: string): string => neutraliseMentions(text.replace(/[\\`*_~|<>[\]()#!:-]/g, '\\$&'));

/** A fenced code block of `text` that the text cannot close. */
export const codeBlock = (text: string): string => `\`\`\`\n${neutraliseMentions(text.replaceAll('```', "'''"))}\n\`\`\``;

/** `&`, `<`, `>` and `"` as HTML entities: for Telegram's and Matrix's HTML, and Google Chat's card text. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));

/** The plain-text lines of the alert, for media without structure: notes, facts, failed runs, group. */
export function plainLines(text: ChatText): string[] {
  if (text.group) return [text.group.intro, ...text.group.lines.map((line) => `• ${groupLineWords(line)}`)];
  return [
    ...text.notes,
    ...text.facts.map(([label, value]) => `${label}: ${value}`),
    ...(text.failedRuns.length > 0 ? [`${FAILED_RUNS_TITLE}:`, ...text.failedRuns.map((run, i) => `${i + 1}. ${run}`)] : []),
  ];
}

/** One check of a group in words, without its link. */
export const groupLineWords = (line: GroupLine): string =>
  `${line.name}: ${line.reason}; down since ${line.at}${line.dependents ? `; ${line.dependents}` : ''}`;

/**
 * Lines joined by newlines until the next would pass `max` characters; a
 * last line then says how many were left out.
 */
export function fitLines(lines: readonly string[], max: number): string {
  const kept: string[] = [];
  let length = 0;
  for (const [i, line] of lines.entries()) {
    const left = lines.length - i;
    const more = `… and ${left} more`;
    const next = length + (kept.length > 0 ? 1 : 0) + line.length;
    const room = i === lines.length - 1 ? max : max - more.length - 1;
    if (next > room) {
      kept.push(more);
      return clip(kept.join('\n'), max);
    }
    kept.push(line);
    length = next;
  }
  return kept.join('\n');
}

/**
 * The latest lines that fit in `max` characters, oldest first, after a line
 * saying how many earlier ones are not shown: for failed runs, whose last
 * tipped the check.
 */
export function fitLatest(lines: readonly string[], max: number): string {
  let shown = lines.length;
  const text = () => {
    const hidden = lines.length - shown;
    return [...(hidden > 0 ? [`(${hidden} earlier not shown)`] : []), ...lines.slice(lines.length - shown)].join('\n');
  };
  while (shown > 1 && text().length > max) shown--;
  return clip(text(), max);
}
