import { duration } from './time';
import type { Flip } from './types';

/** A flip as the API sends it: with the job's exit status, which the dashboard's shared `Flip` type does not declare yet. */
export type FlipWithExit = Flip & { exitStatus?: number | null };

/** What a down check's reason needs to know about the check. */
export interface DownCheck {
  lastPing: string | null;
  /** Seconds a run may take; null: the grace time. */
  maxRuntime: number | null;
  /** Seconds. */
  grace: number;
}

/**
 * The flip that took a down check down: the newest flip, when it is one to
 * `down` (a down check makes no other flip until it leaves `down`). Null
 * when the newest flip is another: the list was read before the check went
 * down, and an older incident's flip would give the wrong time and reason.
 */
export function downFlip(flips: FlipWithExit[]): FlipWithExit | null {
  let newest: FlipWithExit | null = null;
  for (const flip of flips) {
    if (newest === null || Date.parse(flip.at) > Date.parse(newest.at)) newest = flip;
  }
  return newest?.to === 'down' ? newest : null;
}

/** An instant in the browser's own locale and zone, to the minute: "4 Dec 2026, 16:20" in en-GB. */
export const localTime = (iso: string): string => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * Why the check went down, in a sentence, in the words the alerts use:
 * missed, failed with its exit status, ran too long. It does not change as
 * time passes, so a live region reading it is not read out again.
 */
export function downReason(flip: FlipWithExit, check: DownCheck): string {
  switch (flip.reason) {
    case 'missed':
      return check.lastPing
        ? `Missed: no ping arrived by the deadline; the last one came on ${localTime(check.lastPing)}.`
        : 'Missed: no ping arrived by the deadline, and the check was never pinged.';
    case 'failed':
      return typeof flip.exitStatus === 'number'
        ? `Failed: the job reported a failure with exit status ${flip.exitStatus}.`
        : 'Failed: the job reported a failure.';
    case 'timed_out':
      return check.maxRuntime === null
        ? `Ran too long: a run started and did not finish within the grace time (${duration(check.grace)}).`
        : `Ran too long: a run started and did not finish within its max runtime (${duration(check.maxRuntime)}).`;
    default:
      return `${flip.reason.replaceAll('_', ' ')}.`;
  }
}
