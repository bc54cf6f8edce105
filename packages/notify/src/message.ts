/**
 * What alerts say, in words, for every channel: subject lines and the facts
 * listed in a message body. Pure: a function of the alert alone.
 */
import { type FailedRun, nextExpected, RunFailure, Status } from '@cronbeat/core';
import { failedRunPhrase } from './runs';
import type { Alert, GroupedCheck } from './types';
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

/** A check and its flip: what a phrase about one check needs, for an alert or a check of a grouped one. */
export type CheckFlip = Pick<Alert, 'check' | 'flip'>;

/** The zone an alert's times are shown in: the check's. */
export const alertZone = (alert: CheckFlip): string =>
  alert.check.tz ?? (alert.check.schedule.kind === 'period' ? 'UTC' : alert.check.schedule.tz);

/** `Tue, 2 Jun 2026, 02:30 (Europe/Berlin)`: an instant on the check's clocks, its zone named. */
export const alertTime = (alert: CheckFlip, at: Date): string => formatWhen(at, alertZone(alert));

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

function reasonPhrase(alert: CheckFlip): string {
  const { flip, check } = alert;
  const run = tippingRun(alert);
  // The run's own numbers, except for a miss, whose phrase says how long the check has been silent,
  // and a timeout that does not know its start, which the check's last start tells.
  if (run && run.reason !== RunFailure.missed && (run.reason !== RunFailure.timedOut || run.startedAt)) {
    return runPhrase(alert, run, true);
  }
  switch (flip.reason) {
    case 'failed':
      return flip.exitStatus !== null ? `failed, exit status ${flip.exitStatus}` : 'failed';
    case 'timed_out': {
      const running = check.lastStart ? `, running for ${formatDuration(flip.at.getTime() - check.lastStart.getTime())}` : '';
      return `timed out${running}`;
    }
    case 'missed':
      return check.lastPing ? `missed, last ping ${ago(check.lastPing, flip.at)}` : 'missed, never pinged';
    case 'dependency':
      // Which checks, and that they are back, is the held alert's note: the subject stays short.
      return 'down while a check it depends on was down';
    default:
      return flip.reason;
  }
}

/** One failed run in words, on the check's clocks; `nameZone` when no full time beside it names the zone. */
const runPhrase = (alert: CheckFlip, run: FailedRun, nameZone: boolean) =>
  failedRunPhrase(run, { tz: alertZone(alert), nameZone }, alert.check.maxConcurrentRuns);

/** The failed runs in a row that took a check down, oldest first; empty unless the flip is to down and says so. */
const failedRuns = (alert: CheckFlip): readonly FailedRun[] => (alert.flip.to === Status.down ? (alert.flip.runs?.failures ?? []) : []);

/** The run that tipped a check down: the last of its failed runs. */
const tippingRun = (alert: CheckFlip): FailedRun | null => failedRuns(alert).at(-1) ?? null;

/**
 * The failed runs that took the check down when its failure threshold asked
 * for more than one, oldest first, with the threshold; null otherwise.
 */
export function failureSummary(alert: CheckFlip): { runs: readonly FailedRun[]; threshold: number } | null {
  const runs = failedRuns(alert);
  const threshold = alert.flip.runs?.failureThreshold ?? runs.length;
  return runs.length > 0 && (runs.length > 1 || threshold > 1) ? { runs, threshold } : null;
}

/** What every channel titles the list of `failedRunLines`. */
export const FAILED_RUNS_TITLE = 'The failed runs, oldest first';

/** `Tue, 2 Jun 2026, 01:00 (Europe/Berlin): failed, exit status 1`: each failed run of the summary, oldest first. */
export function failedRunLines(alert: Alert): string[] {
  return (failureSummary(alert)?.runs ?? []).map((run) => `${alertTime(alert, run.at)}: ${runPhrase(alert, run, false)}`);
}

/** `3 successful runs in a row`: what brought a check back up when its recovery threshold asked for more than one. */
export function recoverySummary(alert: Alert): string | null {
  const runs = alert.flip.runs;
  if (alert.flip.to !== Status.up || !runs?.successes) return null;
  if (runs.successes <= 1 && (runs.recoveryThreshold ?? 1) <= 1) return null;
  return `${runs.successes} successful run${runs.successes === 1 ? '' : 's'} in a row`;
}

/** `3 failed runs in a row`: how many runs it took, without what each was. */
const failedRunCount = (count: number) => `${count} failed run${count === 1 ? '' : 's'} in a row`;

/** Why the check is down: the tipping run, after how many failed runs led to it when a threshold asked for more than one. */
export function downPhrase(alert: CheckFlip): string {
  const summary = failureSummary(alert);
  const last = summary?.runs.at(-1);
  return summary && last ? `${failedRunCount(summary.runs.length)}; last: ${runPhrase(alert, last, true)}` : reasonPhrase(alert);
}

/** Whether this is the one message of a grouped alert: more than one check to tell. */
export const isGrouped = (alert: Alert): alert is Alert & { group: readonly GroupedCheck[] } => (alert.group?.length ?? 0) > 1;

/** The status word every message leads with: `DOWN`, `UP`, `LATE` or `STILL DOWN`. */
export const alertWord = (alert: Alert): string => alertEvent(alert).replace('_', ' ').toUpperCase();

/** What happened, in a few words: `failed, exit status 3`, `down for 3 h`; null for a recovery from a check never down. */
export function alertDetail(alert: Alert): string | null {
  const event = alertEvent(alert);
  if (event === 'up') {
    const details = [alert.downSince ? `down for ${downFor(alert)}` : null, recoverySummary(alert)].filter(Boolean);
    return details.length > 0 ? details.join('; ') : null;
  }
  if (event !== 'still_down') return downPhrase(alert);
  // A reminder says how many runs failed, not each again: the first message named them.
  const summary = failureSummary(alert);
  return `down for ${stillDownFor(alert)}; ${summary ? failedRunCount(summary.runs.length) : reasonPhrase(alert)}`;
}

/**
 * `DOWN: nightly-backup (missed, last ping 26 h ago)`, `UP: nightly-backup (down for 3 h)`,
 * `STILL DOWN: nightly-backup (down for 6 h; failed, exit status 3)`,
 * `DOWN: backup (3 failed runs in a row; last: too early, ran at 01:12, scheduled 02:00 Europe/Berlin)`:
 * short, naming the run that tipped the check; the body lists the others.
 * A grouped alert: `DOWN: 20 checks in Acme`.
 */
export function alertSubject(alert: Alert): string {
  if (isGrouped(alert)) return `DOWN: ${alert.group.length} checks in ${alert.check.projectName}`;
  const detail = alertDetail(alert);
  return `${alertWord(alert)}: ${alert.check.name}${detail ? ` (${detail})` : ''}`;
}

const downFor = (alert: Alert) => (alert.downSince ? formatDuration(alert.flip.at.getTime() - alert.downSince.getTime()) : null);
/** How long a reminder's incident has lasted: its flip to down is where it began. */
const stillDownFor = (alert: Alert) => (alert.reminderAt ? formatDuration(alert.reminderAt.getTime() - alert.flip.at.getTime()) : null);

export function describeSchedule(alert: Alert): string {
  const { schedule, grace } = alert.check;
  const every =
    schedule.kind === 'cron'
      ? `cron "${schedule.cron}" (${schedule.tz})`
      : schedule.kind === 'oncalendar'
        ? `OnCalendar "${schedule.onCalendar.replaceAll('\n', '", "')}" (${schedule.tz})`
        : `every ${formatDuration(schedule.period * 1000)}`;
  return `${every}, grace ${formatDuration(grace * 1000)}`;
}

type Fact = [label: string, value: string];
const threshold = (text: string, value: number | undefined) => (value === undefined ? text : `${text}, threshold ${value}`);
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
  const summary = failureSummary(alert);
  const recovery = recoverySummary(alert);
  return present([
    flip.to !== Status.up ? ['Reason', flip.reason] : null,
    flip.exitStatus !== null ? ['Exit status', String(flip.exitStatus)] : null,
    // A reminder's incident began at its flip; it has lasted until the reminder.
    [sinceLabel, alert.reminderAt ? `${alertTime(alert, flip.at)}, ${stillDownFor(alert)} ago` : alertTime(alert, flip.at)],
    expected ? ['Expected at', timeAgo(alert, expected)] : null,
    ['Last ping', check.lastPing ? timeAgo(alert, check.lastPing) : 'never'],
    flip.reason === 'timed_out' && check.lastStart ? ['Run started', alertTime(alert, check.lastStart)] : null,
    flip.to === Status.up && alert.downSince ? ['Down for', downFor(alert) ?? ''] : null,
    summary ? ['Failed runs', `${summary.runs.length} in a row, threshold ${summary.threshold}`] : null,
    recovery ? ['Recovered after', threshold(recovery, flip.runs?.recoveryThreshold)] : null,
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
