/**
 * One systemd OnCalendar expression as data (`CalendarSpec`), and the
 * normalisation and range checks systemd applies after reading it
 * (calendarspec.c's normalize and valid). The grammar is in
 * oncalendar-syntax.ts; evaluation in oncalendar.ts.
 */

/** `start`, or `start..stop`, optionally `/repeat`; `stop` is -1 when open-ended. */
export interface CalendarComponent {
  readonly start: number;
  readonly stop: number;
  readonly repeat: number;
}

/** The alternatives of one field; null is `*`, any value. */
export type CalendarChain = readonly CalendarComponent[] | null;

export interface CalendarSpec {
  /** Bit 0 Monday … bit 6 Sunday; -1 any day. */
  readonly weekdays: number;
  readonly year: CalendarChain;
  readonly month: CalendarChain;
  /** Days of the month, or with `endOfMonth` days counted back from its last day (1 = the last). */
  readonly day: CalendarChain;
  readonly endOfMonth: boolean;
  readonly hour: CalendarChain;
  readonly minute: CalendarChain;
  /** Seconds, in microseconds as systemd keeps them (fractions allowed). */
  readonly microsecond: CalendarChain;
  /** `UTC` or an IANA zone written at the end of the expression; null: the check's zone. */
  readonly zone: string | null;
}

/** What is wrong with an expression, in words; oncalendar.ts turns it into a ValidationError. */
export class CalendarSyntaxError extends Error {}

/** Longest OnCalendar text accepted, all lines together (here, in a module importing nothing, for the contract's bundles). */
export const ON_CALENDAR_MAX_LENGTH = 1000;

export const USEC = 1_000_000;
const MIN_YEAR = 1970;
export const MAX_YEAR = 2199;
export const ANY_WEEKDAY = -1;
const ALL_WEEKDAYS = 127;

/** A single value: no range, no repetition. */
export const one = (value: number): CalendarComponent => ({ start: value, stop: -1, repeat: 0 });

/** systemd's normalisation, then its range checks; throws CalendarSyntaxError. */
export const checkedSpec = (spec: CalendarSpec): CalendarSpec => validated({ ...normalized(spec), zone: spec.zone });

function normalized(fields: Omit<CalendarSpec, 'zone'>): Omit<CalendarSpec, 'zone'> {
  const weekdays = fields.weekdays <= 0 || fields.weekdays >= ALL_WEEKDAYS ? ANY_WEEKDAY : fields.weekdays;
  const year =
    fields.year === null
      ? null
      : fields.year.map((component) => ({ ...component, start: fullYear(component.start), stop: fullYear(component.stop) }));
  return {
    ...fields,
    weekdays,
    endOfMonth: fields.endOfMonth && fields.day !== null,
    year: normalizedChain(year),
    month: normalizedChain(fields.month),
    day: normalizedChain(fields.day),
    hour: normalizedChain(fields.hour),
    minute: normalizedChain(fields.minute),
    microsecond: normalizedChain(fields.microsecond),
  };
}

/** Two-digit years as systemd reads them: 70…99 → 1970…1999, 0…69 → 2000…2069. */
const fullYear = (year: number): number => (year >= 0 && year < 70 ? year + 2000 : year >= 70 && year < 100 ? year + 1900 : year);

/** A range ends on a repetition; one that cannot repeat, or starts where it stops, is a single value. */
function normalizedChain(chain: CalendarChain): CalendarChain {
  if (chain === null) return null;
  return chain.map(({ start, stop: rawStop, repeat }) => {
    const stop = rawStop > start && repeat > 0 ? rawStop - ((rawStop - start) % repeat) : rawStop;
    return (stop > start && start + repeat > stop) || start === stop ? one(start) : { start, stop, repeat };
  });
}

const FIELD_RANGES = [
  ['year', MIN_YEAR, MAX_YEAR],
  ['month', 1, 12],
  ['day', 1, 31],
  ['hour', 0, 23],
  ['minute', 0, 59],
  ['microsecond', 0, 60 * USEC - 1],
] as const;

function validated(spec: CalendarSpec): CalendarSpec {
  for (const [field, from, fullTo] of FIELD_RANGES) {
    const fromEnd = field === 'day' && spec.endOfMonth;
    // Counted from the end, a day may be at most the 28th last, which every month has.
    const to = fromEnd ? 28 : fullTo;
    for (const { start, stop, repeat } of spec[field] ?? []) {
      const name = field === 'microsecond' ? 'second' : fromEnd ? 'day from the end of the month' : field;
      const show = (value: number) => (field === 'microsecond' ? String(value / USEC) : String(value));
      const range = `${show(from)}-${show(to)}`;
      if (start < from || start > to) throw new CalendarSyntaxError(`${name} ${show(start)} is out of range (${range})`);
      if (stop >= 0 && (stop < from || stop > to)) throw new CalendarSyntaxError(`${name} ${show(stop)} is out of range (${range})`);
      if (repeat > to - from) throw new CalendarSyntaxError(`the ${name} repetition /${show(repeat)} is longer than the range ${range}`);
      if (stop >= 0 && start + repeat > stop) throw new CalendarSyntaxError(`the ${name} range ${show(start)}..${show(stop)} is empty`);
      if (stop < 0 && (fromEnd ? start - repeat < from : start + repeat > to)) {
        throw new CalendarSyntaxError(`the ${name} ${show(start)}/${show(repeat)} cannot repeat within ${range}`);
      }
    }
  }
  return spec;
}
