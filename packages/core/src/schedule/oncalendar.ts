import { ValidationCode, ValidationError } from '../errors';
import { type CalendarChain, type CalendarSpec, CalendarSyntaxError, MAX_YEAR, ON_CALENDAR_MAX_LENGTH, USEC } from './oncalendar-spec';
import { parseCalendarSpec } from './oncalendar-syntax';
import { type LocalTime, WallClock } from './wall-clock';
import { parseTimeZone } from './zone';

/** A validated set of OnCalendar expressions (one per line, fired at the union of their times). */
export interface OnCalendarRule {
  /** The expressions, one per line, trimmed and single-spaced. */
  readonly text: string;
  /** The zone of expressions that name none. */
  readonly tz: string;
  readonly specs: readonly CalendarSpec[];
}

/** Healthchecks accepts an expression when it elapses at least once after this; so does Cronbeat. */
const ACCEPTANCE_BASE = Date.UTC(2000, 0, 1);

/**
 * Parses newline-separated systemd OnCalendar expressions (`Mon..Fri *-*-* 09:00`,
 * `daily`, `*:0/15 Europe/Riga`); an expression's own zone overrides `tz`.
 * Throws ValidationError (field `onCalendar`) naming the line and what is wrong.
 */
export function parseOnCalendar(text: string, tz: string): OnCalendarRule {
  if (text.length > ON_CALENDAR_MAX_LENGTH) {
    throw invalid(`is longer than ${ON_CALENDAR_MAX_LENGTH} characters`);
  }
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/\s+/g, ' '))
    .filter((line) => line !== '');
  if (lines.length === 0) throw invalid('is empty; give an expression such as "Mon..Fri *-*-* 09:00" or "daily"');
  const specs = lines.map((line) => {
    let spec: CalendarSpec;
    try {
      spec = parseCalendarSpec(line, isZoneName);
    } catch (error) {
      if (error instanceof CalendarSyntaxError) throw invalid(`"${line}" is not a valid OnCalendar expression (${error.message})`);
      throw error;
    }
    if (nextElapse(spec, tz, ACCEPTANCE_BASE) === null) throw invalid(`"${line}" never happens after the year 2000`);
    return spec;
  });
  return { text: lines.join('\n'), tz, specs };
}

function invalid(why: string): ValidationError {
  return new ValidationError(ValidationCode.invalidOnCalendar, 'onCalendar', why.startsWith('"') ? why : `onCalendar ${why}`);
}

/**
 * A trailing word is a zone when it is an IANA name spelt as the zone database
 * spells it (systemd looks the file up, so `europe/riga` is not one).
 */
function isZoneName(word: string): boolean {
  if (!/^[A-Za-z]/.test(word)) return false;
  try {
    const canonical = parseTimeZone(word);
    return canonical === word || canonical.toLowerCase() !== word.toLowerCase();
  } catch {
    return false;
  }
}

/** The first time after `after` at which any of the expressions elapses, or null once none ever will. */
export function nextOnCalendarFire(rule: OnCalendarRule, after: Date): Date | null {
  let best: number | null = null;
  for (const spec of rule.specs) {
    const at = nextElapse(spec, rule.tz, after.getTime());
    if (at !== null && (best === null || at < best)) best = at;
  }
  return best === null ? null : new Date(best);
}

/** systemd's guard against a search that does not settle. */
const MAX_ITERATIONS = 1000;

/**
 * When systemd next elapses `spec` strictly after `afterMs`, in ms: a port
 * of calendar_spec_next_usec, searching local time field by field from the
 * largest, with the normalisations of glibc's mktime deciding what happens
 * in DST gaps and repeated hours (see WallClock).
 */
function nextElapse(spec: CalendarSpec, tz: string, afterMs: number): number | null {
  const zone = spec.zone ?? tz;
  const clock = new WallClock(zone === 'UTC' ? null : zone);
  const usec = afterMs * 1000 + 1;
  const seconds = Math.floor(usec / USEC);
  const found = findNext(spec, clock, clock.localTime(seconds * 1000), usec - seconds * USEC);
  if (!found) return null;
  // Up to the next millisecond: the next search, from the returned time, must pass this elapse.
  return clock.normalize(found.local).at + Math.ceil(found.usec / 1000);
}

type Found = { local: LocalTime; usec: number };

function findNext(spec: CalendarSpec, clock: WallClock, start: LocalTime, startUsec: number): Found | null {
  let c = start;
  let usec = startUsec;
  const zeroFrom = (field: 'mon' | 'mday' | 'hour' | 'min' | 'sec') => {
    const order = ['mon', 'mday', 'hour', 'min', 'sec'] as const;
    for (const name of order.slice(order.indexOf(field))) c[name] = name === 'mday' ? 1 : 0;
    usec = 0;
  };
  /** tm_within_bounds: 1 in range, 0 carried forward into `c` (search again), -1 carried backward or past the last year. */
  const withinBounds = (): number => {
    if (c.year > MAX_YEAR) return -1;
    const t = clock.normalize(c).local;
    const order = ['year', 'mon', 'mday', 'hour', 'min', 'sec'] as const;
    const differing = order.findIndex((name) => t[name] !== c[name]);
    if (differing === -1) return 1;
    const name = order[differing]!;
    const below = order[differing + 1];
    if (t[name] < c[name]) return -1;
    if (below !== undefined) t[below] = below === 'mday' ? 1 : 0;
    c = t;
    return 0;
  };
  const match = (chain: CalendarChain, value: number, endOfMonth: boolean): number | null =>
    matchingValue(chain, value, endOfMonth ? (day) => lastDays(clock, c, day) : null);

  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    c = clock.normalize(c).local;

    const year = match(spec.year, c.year, false);
    if (year === null) return null;
    if (year !== c.year) {
      c.year = year;
      zeroFrom('mon');
    }
    if (withinBounds() <= 0) return null;

    const month = match(spec.month, c.mon + 1, false);
    if (month !== null && month !== c.mon + 1) {
      c.mon = month - 1;
      zeroFrom('mday');
    }
    let bounds = month === null ? -1 : withinBounds();
    if (bounds < 0) {
      c.year++;
      zeroFrom('mon');
      continue;
    }
    if (bounds === 0) continue;

    const day = match(spec.day, c.mday, spec.endOfMonth);
    if (day !== null && day !== c.mday) {
      c.mday = day;
      zeroFrom('hour');
    }
    bounds = day === null ? -1 : withinBounds();
    if (bounds < 0) {
      c.mon++;
      zeroFrom('mday');
      continue;
    }
    if (bounds === 0) continue;

    if (spec.weekdays !== -1 && !(spec.weekdays & (1 << ((clock.normalize(c).weekday + 6) % 7)))) {
      c.mday++;
      zeroFrom('hour');
      continue;
    }

    const hour = match(spec.hour, c.hour, false);
    if (hour !== null && hour !== c.hour) {
      c.hour = hour;
      zeroFrom('min');
    }
    bounds = hour === null ? -1 : withinBounds();
    if (bounds < 0) {
      c.mday++;
      zeroFrom('hour');
      continue;
    }
    if (bounds === 0) continue; // the hour may not exist on a DST day; search again from where it led

    const minute = match(spec.minute, c.min, false);
    if (minute !== null && minute !== c.min) {
      c.min = minute;
      zeroFrom('sec');
    }
    bounds = minute === null ? -1 : withinBounds();
    if (bounds < 0) {
      c.hour++;
      zeroFrom('min');
      continue;
    }
    if (bounds === 0) continue;

    const second = match(spec.microsecond, c.sec * USEC + usec, false);
    if (second !== null) {
      c.sec = Math.floor(second / USEC);
      usec = second % USEC;
    }
    bounds = second === null ? -1 : withinBounds();
    if (bounds < 0) {
      c.min++;
      zeroFrom('sec');
      continue;
    }
    if (bounds === 0) continue;

    return { local: c, usec };
  }
  return null;
}

/**
 * The earliest value at or after `value` that one of the chain's components
 * allows (repetitions may run past the field's range; normalising carries
 * them over), `value` itself for `*`, or null when none does.
 * `fromEnd` turns days counted back from the month's end into dates.
 */
function matchingValue(chain: CalendarChain, value: number, fromEnd: ((day: number) => number) | null): number | null {
  if (chain === null) return value;
  let best: number | null = null;
  for (const component of chain) {
    let { start, stop } = component;
    if (fromEnd) {
      start = fromEnd(component.start);
      stop = fromEnd(component.stop);
      if (stop > 0) [start, stop] = [stop, start];
    }
    let candidate: number | null = null;
    if (start >= value) candidate = start;
    else if (component.repeat > 0) {
      const next = start + component.repeat * Math.ceil((value - start) / component.repeat);
      if (stop < 0 || next <= stop) candidate = next;
    }
    if (candidate !== null && (best === null || candidate < best)) best = candidate;
  }
  return best;
}

/** The date of the `day`-th last day of `local`'s month (1: the last), or -1 when that is in another month. */
function lastDays(clock: WallClock, local: LocalTime, day: number): number {
  const { local: t } = clock.normalize({ ...local, mon: local.mon + 1, mday: 1 - day });
  return t.mon === local.mon ? t.mday : -1;
}
