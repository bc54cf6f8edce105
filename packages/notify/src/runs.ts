/**
 * What alert policies' runs say in messages: why one run counted as failed,
 * with the numbers that made it one, on the check's clocks. Pure.
 */
import { type FailedRun, RunFailure } from '@cronbeat/core';
import { formatClock, knownZone } from './when';

/** How a phrase shows times: in which zone, and whether it names the zone (a list whose lines lead with full times does not). */
export interface PhraseClock {
  tz: string;
  nameZone: boolean;
}

const plain = (value: number) => String(Number(value.toFixed(1)));

/**
 * `2 s`, `1 min 30 s`, `20 min`, `1 h 2 min`, `2 d 3 h`: how long a run
 * took, to two units, so durations set side by side (this run, the median,
 * a bound) stay comparable. Under 10 s, to a tenth.
 */
export function formatRunDuration(ms: number): string {
  const seconds = Math.max(0, ms / 1000);
  if (seconds < 10) return `${plain(seconds)} s`;
  const whole = Math.round(seconds);
  const pair = (big: number, bigUnit: string, small: number, smallUnit: string) =>
    small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`;
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return pair(Math.floor(whole / 60), 'min', whole % 60, 's');
  const minutes = Math.round(whole / 60);
  if (minutes < 24 * 60) return pair(Math.floor(minutes / 60), 'h', minutes % 60, 'min');
  const hours = Math.round(minutes / 60);
  return pair(Math.floor(hours / 24), 'd', hours % 24, 'h');
}

/**
 * Why one run counted as failed, in a few words with its numbers:
 * `failed, exit status 1`, `failed, body contains "ERROR"`,
 * `too early, ran at 01:12, scheduled 02:00 Europe/Berlin`,
 * `overlapping, started while run "r-7", started 01:00 Europe/Berlin, was still open (max 1 at once)`,
 * `too slow, took 1 h 2 min, over 3 × the median 20 min`, `too fast, took 2 s, below the minimum 5 min`.
 * Each leads with what went wrong, like the phrases of other flips (`missed, …`, `timed out, …`).
 * Keywords and run ids are quoted as written: each channel escapes them.
 */
export function failedRunPhrase(run: FailedRun, clock: PhraseClock, maxConcurrentRuns?: number | null): string {
  const at = (when: Date) => formatClock(when, clock.tz, run.at);
  const zone = clock.nameZone ? ` ${knownZone(clock.tz)}` : '';
  switch (run.reason) {
    case RunFailure.failed:
      if (run.keyword !== undefined) return `failed, body contains "${run.keyword}"`;
      return run.exitStatus !== undefined && run.exitStatus !== null ? `failed, exit status ${run.exitStatus}` : 'failed';
    case RunFailure.timedOut:
      return run.startedAt ? `timed out, running for ${formatRunDuration(run.at.getTime() - run.startedAt.getTime())}` : 'timed out';
    case RunFailure.missed:
      return run.scheduled ? `missed, expected ${at(run.scheduled)}${zone}` : 'missed';
    case RunFailure.early: {
      const ran = run.startedAt ?? run.at;
      return run.scheduled ? `too early, ran at ${at(ran)}, scheduled ${at(run.scheduled)}${zone}` : `too early, ran at ${at(ran)}${zone}`;
    }
    case RunFailure.overlap: {
      const open = run.openRid ? `run "${run.openRid}"` : 'a run without run id';
      const started = run.startedAt ? `, started ${at(run.startedAt)}${zone},` : '';
      const max = maxConcurrentRuns ? ` (max ${maxConcurrentRuns} at once)` : '';
      return `overlapping, started while ${open}${started} was still open${max}`;
    }
    case RunFailure.slow:
    case RunFailure.fast:
      return `too ${run.reason}, ${durationDetail(run)}`;
    default:
      return run.reason;
  }
}

/** `took 1 h 2 min, over 3 × the median 20 min`: the run's duration against what it crossed. */
function durationDetail(run: FailedRun): string {
  if (run.duration === undefined) return 'took an unusual time';
  const took = `took ${formatRunDuration(run.duration)}`;
  const slow = run.reason === RunFailure.slow;
  if (run.median !== undefined) {
    const median = formatRunDuration(run.median);
    if (run.limit === undefined || run.median <= 0) return `${took}; median ${median}`;
    const factor = plain(slow ? run.limit / run.median : run.median / run.limit);
    return slow ? `${took}, over ${factor} × the median ${median}` : `${took}, under the median ${median} ÷ ${factor}`;
  }
  if (run.limit === undefined) return took;
  return `${took}, ${slow ? 'above the maximum' : 'below the minimum'} ${formatRunDuration(run.limit)}`;
}
