/**
 * What a flip says of the runs that caused it (`Flip.runs`), in the words
 * the alerts use: each failed run with its reason and numbers, and the
 * threshold it reached. Times in the viewer's locale; for a cron or
 * OnCalendar check, in the check's zone, named once at the end.
 */
import { duration, formatInstant, localTime as formatLocal } from './time';
import type { Flip } from './types';

type FlipRuns = NonNullable<Flip['runs']>;
export type FailedRun = NonNullable<FlipRuns['failures']>[number];

/** Milliseconds in words: "2 s", "1 h 2 min". */
const took = (milliseconds: number) => duration(milliseconds / 1000);

/**
 * One failed run, e.g. "failed with exit status 1", "too early: ran 01:12, scheduled 02:00", "took 2 s; median 20 min".
 * `zone`: the schedule's zone, for a check read in one (cron, OnCalendar); its instants are then written in it, and
 * the zone named after them. Default: the viewer's zone, unnamed.
 */
export function describeFailedRun(run: FailedRun, zone?: string): string {
  const written = (iso: string) => (zone ? formatInstant(iso, { zone, nameZone: false }) : formatLocal(iso));
  const inZone = (words: string) => (zone ? `${words} ${zone}` : words);
  switch (run.reason) {
    case 'failed': {
      if (run.keyword) return `failed: the output contains “${run.keyword}”`;
      return typeof run.exitStatus === 'number' ? `failed with exit status ${run.exitStatus}` : 'failed';
    }
    case 'timed_out':
      return run.startedAt ? `ran too long: started ${inZone(written(run.startedAt))} and did not finish` : 'ran too long';
    case 'missed':
      return run.scheduled ? `missed the run expected ${inZone(written(run.scheduled))}` : 'missed an expected run';
    case 'early':
      return run.startedAt && run.scheduled
        ? `too early: ran ${written(run.startedAt)}, scheduled ${inZone(written(run.scheduled))}`
        : 'ran too early';
    case 'overlap': {
      const other = run.openRid ? `run ${run.openRid}` : 'a run without run id';
      return `overlapped: started while ${other}${run.startedAt ? ` started ${inZone(written(run.startedAt))}` : ''} was still open`;
    }
    case 'slow':
    case 'fast':
      return durationAnomaly(run);
    default:
      return String(run.reason).replaceAll('_', ' ');
  }
}

function durationAnomaly(run: FailedRun): string {
  const word = run.reason === 'slow' ? 'too slow' : 'too fast';
  if (typeof run.duration !== 'number') return word;
  const parts = [`${word}: took ${took(run.duration)}`];
  if (typeof run.median === 'number') parts.push(`median ${took(run.median)}`);
  else if (typeof run.limit === 'number') parts.push(`${run.reason === 'slow' ? 'maximum' : 'minimum'} ${took(run.limit)}`);
  return parts.join('; ');
}

/** The flip's summary: "3 failed runs in a row (threshold 3)" or "2 successful runs in a row (threshold 2)"; null when it says nothing. */
export function flipRunsSummary(runs: FlipRuns): string | null {
  const failures = runs.failures?.length ?? 0;
  if (failures > 0) {
    const counted = `${failures} failed run${failures === 1 ? '' : 's'}${failures === 1 ? '' : ' in a row'}`;
    return runs.failureThreshold ? `${counted} (threshold ${runs.failureThreshold})` : counted;
  }
  if (typeof runs.successes === 'number' && runs.successes > 0) {
    const counted = `${runs.successes} successful run${runs.successes === 1 ? '' : 's'} in a row`;
    return runs.recoveryThreshold ? `${counted} (threshold ${runs.recoveryThreshold})` : counted;
  }
  return null;
}
