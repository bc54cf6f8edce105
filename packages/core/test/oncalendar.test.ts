/**
 * OnCalendar schedules: parsing, messages, zones, several expressions, and
 * property tests like the cron ones (systemd-analyze comparisons live in
 * oncalendar-systemd.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextExpected, nextOnCalendarFire, parseOnCalendar, parseSchedule, upcoming, ValidationError } from '../src';

const at = (iso: string) => new Date(iso);
const next = (text: string, tz: string, after: string) => nextOnCalendarFire(parseOnCalendar(text, tz), at(after))?.toISOString();

describe('OnCalendar schedules: parsing', () => {
  it('keeps the expressions, trimmed and single-spaced, one per line, and the zone', () => {
    expect(parseSchedule({ onCalendar: '  Mon..Fri   *-*-* 09:00 \n\n daily Europe/Riga ', tz: 'Europe/Riga' })).toEqual({
      kind: 'oncalendar',
      onCalendar: 'Mon..Fri *-*-* 09:00\ndaily Europe/Riga',
      tz: 'Europe/Riga',
    });
    expect(parseSchedule({ onCalendar: 'daily' })).toEqual({ kind: 'oncalendar', onCalendar: 'daily', tz: 'UTC' });
  });

  it.each([
    ['Mon..Fri *-*-* 25:00', /hour 25 is out of range \(0-23\)/],
    ['*:0/75', /minute repetition \/75 is longer than the range 0-59/],
    ['Fri..Mon 9:00', /weekday range must go from Monday towards Sunday/],
    ['Mo 9:00', /expected a number in the date, found "Mo"/],
    ['*-*~30', /day from the end of the month 30 is out of range \(1-28\)/],
    ['*-*-* *:*/5', /a repetition follows a number, e.g. 0\/15, not \* \(in the minute\)/],
    ['1999-01-01', /never happens after the year 2000/],
    ['*-02-30', /never happens after the year 2000/],
    ['@1700000000', /a single @timestamp is not a schedule/],
    ['9:00 Europe/Nowhere', /unknown time zone "Europe\/Nowhere"/],
    ['daily europe/riga', /unknown time zone "europe\/riga" \(zone names are spelt as in the tz database/],
  ])('refuses %j saying what is wrong', (text, message) => {
    const error = (() => {
      try {
        parseOnCalendar(text, 'UTC');
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('onCalendar');
    expect((error as ValidationError).message).toMatch(message);
  });

  it('refuses an empty text and an unknown zone for the check', () => {
    expect(() => parseSchedule({ onCalendar: ' \n ' })).toThrow(/onCalendar is empty/);
    expect(() => parseSchedule({ onCalendar: 'daily', tz: 'Mars/Base' })).toThrow(/unknown time zone "Mars\/Base"/);
  });

  it('reads a trailing zone only when spelt as the zone database spells it', () => {
    expect(next('daily Europe/Riga', 'UTC', '2026-06-01T12:00:00Z')).toBe('2026-06-01T21:00:00.000Z');
  });
});

describe('OnCalendar schedules: next expected time', () => {
  it('evaluates in the check’s zone unless the expression names its own', () => {
    expect(next('Mon..Fri *-*-* 09:00', 'America/New_York', '2026-06-05T14:00:00Z')).toBe('2026-06-08T13:00:00.000Z');
    expect(next('Mon..Fri *-*-* 09:00 UTC', 'America/New_York', '2026-06-05T14:00:00Z')).toBe('2026-06-08T09:00:00.000Z');
  });

  it('fires at the union of several expressions', () => {
    const schedule = parseSchedule({ onCalendar: '*-*-* 09:00\n*-*-* 17:30 Europe/Riga', tz: 'UTC' });
    expect(upcoming(schedule, at('2026-06-01T00:00:00Z'), 4).map((time) => time.toISOString())).toEqual([
      '2026-06-01T09:00:00.000Z',
      '2026-06-01T14:30:00.000Z',
      '2026-06-02T09:00:00.000Z',
      '2026-06-02T14:30:00.000Z',
    ]);
  });

  it('skips a local time the clocks jump over (Riga 03:30 on 2026-03-29) and runs a repeated one once', () => {
    expect(next('*-*-* 03:30', 'Europe/Riga', '2026-03-28T02:00:00Z')).toBe('2026-03-30T00:30:00.000Z');
    expect(next('*-*-* 03:30', 'Europe/Riga', '2026-10-24T12:00:00Z')).toBe('2026-10-25T00:30:00.000Z');
    expect(next('*-*-* 03:30', 'Europe/Riga', '2026-10-25T00:30:00Z')).toBe('2026-10-26T01:30:00.000Z');
  });

  it('knows the last day of the month and leap days', () => {
    expect(next('*-02~01 12:00', 'UTC', '2028-02-01T00:00:00Z')).toBe('2028-02-29T12:00:00.000Z');
    expect(next('*-02-29', 'UTC', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('expects nothing once the expression has no time left', () => {
    const schedule = parseSchedule({ onCalendar: '2026-01-01 09:00' });
    expect(nextExpected(schedule, at('2025-12-31T00:00:00Z'))?.toISOString()).toBe('2026-01-01T09:00:00.000Z');
    expect(nextExpected(schedule, at('2026-01-01T09:00:00Z'))).toBeNull();
    expect(upcoming(schedule, at('2025-01-01T00:00:00Z'), 5)).toHaveLength(1);
  });
});

/** Runs `parse`; true when it succeeded, false when it threw a ValidationError. Anything else fails the property. */
function parsesOrRefuses(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch (error) {
    if (error instanceof ValidationError) return false;
    throw error;
  }
}

const value = fc.oneof(fc.integer({ min: 0, max: 62 }).map(String), fc.constantFrom('*', '2026', '29', '31', '99', '1969', '2200', ''));
const component = fc
  .tuple(value, fc.option(fc.tuple(fc.constantFrom('..', '/', ','), value), { nil: undefined }))
  .map(([first, rest]) => (rest ? `${first}${rest[0]}${rest[1]}` : first));
const weekday = fc.constantFrom('', 'Mon ', 'mon..fri ', 'Sat,Sun ', 'Fri..Mon ', 'Thu, ', 'Sunday ', 'Mo ');
const zone = fc.constantFrom('', ' UTC', ' Europe/Riga', ' Australia/Lord_Howe', ' America/New_York', ' Nowhere/Zone', ' utc');
const onCalendarLike = fc.oneof(
  fc
    .tuple(weekday, component, fc.constantFrom('-', '~'), component, fc.constantFrom('-', '~'), component, component, component, zone)
    .map(([days, year, sep1, month, sep2, day, hour, minute, tz]) => `${days}${year}${sep1}${month}${sep2}${day} ${hour}:${minute}${tz}`),
  fc.tuple(weekday, component, component, zone).map(([days, hour, minute, tz]) => `${days}${hour}:${minute}${tz}`),
  fc.constantFrom('daily', 'weekly', 'hourly', 'minutely', 'quarterly', 'semiannually', 'yearly', 'constructor', '__proto__', ''),
  fc.string({ maxLength: 30 }),
);
const instant = fc.date({ min: at('2000-01-01T00:00:00Z'), max: at('2060-01-01T00:00:00Z'), noInvalidDate: true });
const checkZone = fc.constantFrom('UTC', 'Europe/Riga', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata');

describe('OnCalendar schedules: properties', () => {
  it('throws nothing but a ValidationError, whatever the text', () => {
    fc.assert(
      fc.property(fc.array(onCalendarLike, { minLength: 1, maxLength: 3 }), checkZone, (lines, tz) => {
        parsesOrRefuses(() => parseSchedule({ onCalendar: lines.join('\n'), tz }));
      }),
      { numRuns: 400 },
    );
  });

  it('gives a parsed schedule next times that are strictly later, or none', () => {
    fc.assert(
      fc.property(onCalendarLike, checkZone, instant, (text, tz, after) => {
        let schedule: ReturnType<typeof parseSchedule>;
        try {
          schedule = parseSchedule({ onCalendar: text, tz });
        } catch (error) {
          if (error instanceof ValidationError) return;
          throw error;
        }
        const first = nextExpected(schedule, after);
        if (first === null) return;
        expect(first.getTime()).toBeGreaterThan(after.getTime());
        const second = nextExpected(schedule, first);
        if (second !== null) expect(second.getTime()).toBeGreaterThan(first.getTime());
      }),
      { numRuns: 300 },
    );
  });
});
