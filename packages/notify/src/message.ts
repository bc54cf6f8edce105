/**
 * What alerts say, in words, for every channel: subject lines and the facts
 * listed in a message body. Pure: a function of the alert alone.
 */
import { nextExpected, Status } from '@cronbeat/core';
import type { Alert } from './types';
import { formatWhen } from './when';

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

const ago = (then: Date, now: Date) => `${formatDuration(now.getTime() - then.getTime())} ago`;

/** The zone an alert's times are shown in: the check's. */
export const alertZone = (alert: Alert): string =>
  alert.check.tz ?? (alert.check.schedule.kind === 'cron' ? alert.check.schedule.tz : 'UTC');

/** `Tue, 2 Jun 2026, 02:30 (Europe/Berlin)`: an instant on the check's clocks, its zone named. */
export const alertTime = (alert: Alert, at: Date): string => formatWhen(at, alertZone(alert));

/** `…, 26 h ago`: an instant and how long before the flip it was. */
const timeAgo = (alert: Alert, then: Date) => `${alertTime(alert, then)}, ${ago(then, alert.flip.at)}`;

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

/** The status word every message leads with: `DOWN`, `UP`, `LATE` or `STILL DOWN`. */
export const alertWord = (alert: Alert): string => alertEvent(alert).replace('_', ' ').toUpperCase();

/** What happened, in a few words: `failed, exit status 3`, `down for 3 h`; null for a recovery from a check never down. */
export function alertDetail(alert: Alert): string | null {
  const event = alertEvent(alert);
  if (event === 'up') return alert.downSince ? `down for ${downFor(alert)}` : null;
  if (event === 'still_down') return `down for ${stillDownFor(alert)}; ${reasonPhrase(alert)}`;
  return reasonPhrase(alert);
}

/**
 * `DOWN: nightly-backup (missed, last ping 26 h ago)`, `UP: nightly-backup (down for 3 h)`,
 * `STILL DOWN: nightly-backup (down for 6 h; failed, exit status 3)`.
 */
export function alertSubject(alert: Alert): string {
  const detail = alertDetail(alert);
  return `${alertWord(alert)}: ${alert.check.name}${detail ? ` (${detail})` : ''}`;
}

const downFor = (alert: Alert) => (alert.downSince ? formatDuration(alert.flip.at.getTime() - alert.downSince.getTime()) : null);
/** How long a reminder's incident has lasted: its flip to down is where it began. */
const stillDownFor = (alert: Alert) => (alert.reminderAt ? formatDuration(alert.reminderAt.getTime() - alert.flip.at.getTime()) : null);

export function describeSchedule(alert: Alert): string {
  const { schedule, grace } = alert.check;
  const every = schedule.kind === 'cron' ? `cron "${schedule.cron}" (${schedule.tz})` : `every ${formatDuration(schedule.period * 1000)}`;
  return `${every}, grace ${formatDuration(grace * 1000)}`;
}

type Fact = [label: string, value: string];
const present = (facts: Array<Fact | null>): Fact[] => facts.filter((fact): fact is Fact => fact !== null);

/** Which check this is: status, name, project and tags. */
export function alertIdentity(alert: Alert): Fact[] {
  const { check, flip } = alert;
  return present([
    ['Status', flip.to.toUpperCase()],
    ['Check', check.name],
    ['Project', check.projectName],
    check.tags?.length ? ['Tags', check.tags.join(', ')] : null,
  ]);
}

/** What happened and when, in the check's time zone; absent facts are left out. */
export function alertDetails(alert: Alert): Fact[] {
  const { check, flip, ping } = alert;
  const expected = flip.reason === 'missed' && flip.to !== Status.up ? expectedAt(alert) : null;
  const sinceLabel = `${flip.to.charAt(0).toUpperCase()}${flip.to.slice(1)} since`;
  return present([
    flip.to !== Status.up ? ['Reason', flip.reason] : null,
    flip.exitStatus !== null ? ['Exit status', String(flip.exitStatus)] : null,
    // A reminder's incident began at its flip; it has lasted until the reminder.
    [sinceLabel, alert.reminderAt ? `${alertTime(alert, flip.at)}, ${stillDownFor(alert)} ago` : alertTime(alert, flip.at)],
    expected ? ['Expected at', timeAgo(alert, expected)] : null,
    ['Last ping', check.lastPing ? timeAgo(alert, check.lastPing) : 'never'],
    flip.reason === 'timed_out' && check.lastStart ? ['Run started', alertTime(alert, check.lastStart)] : null,
    flip.to === Status.up && alert.downSince ? ['Down for', downFor(alert) ?? ''] : null,
    ['Schedule', describeSchedule(alert)],
    ping && ping.exitStatus !== null && flip.exitStatus === null ? ['Last exit status', String(ping.exitStatus)] : null,
  ]);
}

/** Label and value pairs every channel shows, in order: which check, then what happened. */
export const alertFacts = (alert: Alert): Fact[] => [...alertIdentity(alert), ...alertDetails(alert)];

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
