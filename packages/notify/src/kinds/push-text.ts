/**
 * Alert text for media that show a title and a short plain body (push
 * services, pagers, SMS): the same facts email and Slack give, in plain
 * words, cut to the medium's limits with what matters most kept. Pure.
 */
import { alertSubject } from '../message';
import type { Alert } from '../types';
import { chatText, clip, clipStart, plainLines } from './chat-text';

/** The subject (`DOWN: nightly-backup (failed, exit status 3)`) in at most `max` characters. */
export const alertTitle = (alert: Alert, max: number): string => clip(alertSubject(alert), max);

/** Characters of the job's output kept at least when the facts fill the room. */
const MIN_OUTPUT = 200;

/**
 * The body under the title, at most `max` characters: the notes and facts
 * (or a grouped alert's checks), then the end of the job's output, which
 * gives way first when room is short since its last lines tell most.
 */
export function pushBody(alert: Alert, max: number): string {
  const text = chatText(alert);
  const head = plainLines(text).join('\n');
  if (!text.output) return clip(head, max);
  const outputTitle = '\n\nLast output:\n';
  const room = max - head.length - outputTitle.length;
  if (room >= Math.min(MIN_OUTPUT, text.output.length)) return `${head}${outputTitle}${clipStart(text.output, room)}`;
  const outputRoom = Math.min(MIN_OUTPUT, Math.max(0, max - outputTitle.length - 100));
  if (outputRoom <= 0) return clip(head, max);
  return `${clip(head, max - outputTitle.length - outputRoom)}${outputTitle}${clipStart(text.output, outputRoom)}`;
}
