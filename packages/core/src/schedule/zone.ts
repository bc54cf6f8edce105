import { ValidationCode, ValidationError } from '../errors';

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let formatter = formatters.get(tz);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, formatter);
  }
  return formatter;
}

/**
 * Returns the canonical name of an IANA time zone ("utc" → "UTC"), or throws
 * when the runtime does not know it.
 */
export function parseTimeZone(tz: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    throw new ValidationError(ValidationCode.invalidTimeZone, 'tz', `unknown time zone "${tz}"`);
  }
}

/** The zone's offset from UTC at `instant`, in milliseconds (Berlin in summer: +7,200,000). */
export function offsetAt(tz: string, instant: number): number {
  const parts = formatterFor(tz).formatToParts(new Date(instant));
  const field = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((part) => part.type === type)?.value);
  const wall = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * "Wall time" below is a local date and time written as if it were UTC
 * milliseconds, so that cron fields can be matched without a zone.
 */
export const wallTimeOf = (tz: string, instant: number): number => instant + offsetAt(tz, instant);

/** What one local wall time means in real time. */
export type WallTimeInstants =
  | { kind: 'single'; at: number }
  /** The clocks went back: the wall time happened twice. */
  | { kind: 'repeated'; first: number; second: number }
  /** The clocks jumped forward over it: `jumpAt` is the instant of the jump. */
  | { kind: 'skipped'; jumpAt: number };

/** Resolves a wall time to instants, assuming at most one offset change within a day of it. */
export function instantsOf(tz: string, wall: number): WallTimeInstants {
  const before = offsetAt(tz, wall - DAY_MS);
  const after = offsetAt(tz, wall + DAY_MS);
  const valid = [...new Set([wall - before, wall - after])].filter((at) => offsetAt(tz, at) === wall - at).sort((a, b) => a - b);
  const [first, second] = valid;
  if (first !== undefined && second !== undefined) return { kind: 'repeated', first, second };
  if (first !== undefined) return { kind: 'single', at: first };
  return { kind: 'skipped', jumpAt: findOffsetChange(tz, wall - after, wall - before, after) };
}

/** The first instant in (low, high] whose offset is `offset`; offsets change on whole seconds. */
function findOffsetChange(tz: string, low: number, high: number, offset: number): number {
  let lo = low;
  let hi = high;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(tz, mid) === offset) hi = mid;
    else lo = mid;
  }
  return Math.ceil(hi / 1000) * 1000;
}
