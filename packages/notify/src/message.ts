/**
 * What alerts say, in words, for every channel: subject lines and the facts
 * listed in a message body. Pure: a function of the alert alone.
 */
import { nextExpected, Status } from '@cronbeat/core';
import type { Alert } from './types';

/** Bytes of the job's output quoted in a message. */
export const BODY_TAIL_BYTES = 2048;

/** "40 s", "5 min", "26 h", "3 d": how people say durations in a subject line. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}

/** Text made safe to put into HTML. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const ago = (then: Date, now: Date) => `${formatDuration(now.getTime() - then.getTime())} ago`;

/** Which event this is, for the subject prefix and the webhook `event` field. */
export function alertEvent(alert: Alert): 'down' | 'up' | 'late' | 'still_down' {
  if (alert.reminderAt) return 'still_down';
  if (alert.flip.to === Status.down) return 'down';
  if (alert.flip.to === Status.late) return 'late';
  return 'up';
}

/** When the missed ping was expected: the next expected time after the last ping. */
export function expectedAt(alert: Alert): Date | null {
  return alert.check.lastPing ? nextExpected(alert.check.schedule, alert.check.lastPing) : null;
}

function reasonPhrase(alert: Alert): string {
  const { flip, check } = alert;
  switch (flip.reason) {
    case 'failed':
      return flip.exitStatus !== null ? `failed, exit status ${flip.exitStatus}` : 'failed';
    case 'timed_out': {
      const running = check.lastStart ? `, running for ${formatDuration(flip.at.getTime() - check.lastStart.getTime())}` : '';
      return `timed out${running}`;
    }
    case 'missed':
      return check.lastPing ? `missed, last ping ${ago(check.lastPing, flip.at)}` : 'missed, never pinged';
    default:
      return flip.reason;
  }
}

/**
 * `DOWN: nightly-backup (missed, last ping 26 h ago)`, `UP: nightly-backup (down for 3 h)`,
 * `STILL DOWN: nightly-backup (down for 6 h; failed, exit status 3)`.
 */
export function alertSubject(alert: Alert): string {
  const event = alertEvent(alert);
  const name = alert.check.name;
  if (event === 'up') return alert.downSince ? `UP: ${name} (down for ${downFor(alert)})` : `UP: ${name}`;
  if (event === 'still_down') return `STILL DOWN: ${name} (down for ${stillDownFor(alert)}; ${reasonPhrase(alert)})`;
  return `${event.toUpperCase()}: ${name} (${reasonPhrase(alert)})`;
}

const downFor = (alert: Alert) => (alert.downSince ? formatDuration(alert.flip.at.getTime() - alert.downSince.getTime()) : null);
/** How long a reminder's incident has lasted: its flip to down is where it began. */
const stillDownFor = (alert: Alert) => (alert.reminderAt ? formatDuration(alert.reminderAt.getTime() - alert.flip.at.getTime()) : null);

export function describeSchedule(alert: Alert): string {
  const { schedule, grace } = alert.check;
  const every = schedule.kind === 'cron' ? `cron "${schedule.cron}" (${schedule.tz})` : `every ${formatDuration(schedule.period * 1000)}`;
  return `${every}, grace ${formatDuration(grace * 1000)}`;
}

/** Label and value pairs every channel shows, in order; absent facts are left out. */
export function alertFacts(alert: Alert): Array<[label: string, value: string]> {
  const { check, flip, ping } = alert;
  const facts: Array<[string, string] | null> = [
    ['Status', flip.to.toUpperCase()],
    ['Check', check.name],
    ['Project', check.projectName],
    flip.to !== Status.up ? ['Reason', flip.reason] : null,
    flip.exitStatus !== null ? ['Exit status', String(flip.exitStatus)] : null,
    flip.reason === 'missed' && flip.to !== Status.up && expectedAt(alert)
      ? ['Expected at', `${expectedAt(alert)?.toISOString()} (${ago(expectedAt(alert) as Date, flip.at)})`]
      : null,
    ['Last ping', check.lastPing ? `${check.lastPing.toISOString()} (${ago(check.lastPing, flip.at)})` : 'never'],
    flip.reason === 'timed_out' && check.lastStart ? ['Run started', check.lastStart.toISOString()] : null,
    flip.to === Status.up && alert.downSince ? ['Down for', downFor(alert) ?? ''] : null,
    alert.reminderAt ? ['Down since', `${flip.at.toISOString()} (${stillDownFor(alert)})`] : null,
    ['Schedule', describeSchedule(alert)],
    ping && ping.exitStatus !== null && flip.exitStatus === null ? ['Last exit status', String(ping.exitStatus)] : null,
  ];
  return facts.filter((fact): fact is [string, string] => fact !== null);
}

/** The job's output worth quoting: the failing ping's body tail, only for failures and timeouts. */
export function quotedOutput(alert: Alert): string | null {
  if (alert.flip.to !== Status.down || !alert.ping?.bodyTail) return null;
  return tail(alert.ping.bodyTail, BODY_TAIL_BYTES);
}

/** The last `bytes` bytes of a text, cut on a character boundary. */
export function tail(text: string, bytes: number): string {
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length <= bytes) return text;
  // Decoding from a mid-character byte yields U+FFFD; drop it.
  return buffer
    .subarray(buffer.length - bytes)
    .toString('utf8')
    .replace(/^\uFFFD+/, '');
}

/** The plain-text body of a message. */
export function alertText(alert: Alert): string {
  const lines = [alertSubject(alert), '', ...alertFacts(alert).map(([label, value]) => `${label}: ${value}`)];
  const output = quotedOutput(alert);
  if (output) lines.push('', 'Last output:', output);
  lines.push('', alert.check.url);
  return lines.join('\n');
}
