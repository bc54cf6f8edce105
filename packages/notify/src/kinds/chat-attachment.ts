/**
 * The Slack-style attachment message that Mattermost and Rocket.Chat
 * incoming webhooks both take: a notification `text` and one attachment
 * with a colour bar, a linked title, the notes, facts as fields and the
 * output. Each kind passes how to make people's text inert in its markdown.
 */
import type { Alert } from '../types';
import { chatText, clip, clipStart, codeBlock, FAILED_RUNS_TITLE, fitLatest, fitLines, statusColourHex } from './chat-text';

export interface AttachmentLimits {
  /** Characters of the attachment's text (notes, failed runs, output, group) in all. */
  text: number;
  /** Characters of the job's output quoted. */
  output: number;
}

export function attachmentMessage(alert: Alert, inert: (text: string) => string, limits: AttachmentLimits) {
  const text = chatText(alert);
  const parts: string[] = [];
  if (text.group) {
    parts.push(inert(text.group.intro));
    const lines = text.group.lines.map(
      (line) =>
        `- [${inert(line.name)}](${line.url}): ${inert(line.reason)}; down since ${inert(line.at)}${line.dependents ? `; ${inert(line.dependents)}` : ''}`,
    );
    parts.push(fitLines(lines, limits.text - parts[0]!.length - 2));
  }
  parts.push(...text.notes.map(inert));
  if (text.failedRuns.length > 0) {
    parts.push(
      `**${FAILED_RUNS_TITLE}**\n${fitLatest(
        text.failedRuns.map((run, i) => `${i + 1}. ${inert(run)}`),
        limits.text / 2,
      )}`,
    );
  }
  if (text.output) parts.push(codeBlock(clipStart(text.output, limits.output)));
  return {
    text: inert(clip(text.subject, 500)),
    attachments: [
      {
        fallback: clip(text.subject, 500),
        color: statusColourHex(alert),
        title: clip(text.subject, 500),
        title_link: text.url,
        text: clip(parts.join('\n\n'), limits.text),
        fields: text.facts.map(([title, value]) => ({ short: value.length <= 40, title, value: inert(clip(value, 500)) })),
      },
    ],
  };
}
