import { describe, expect, it } from 'vitest';
import { nextExpected, parseCron, parseGrace, parseMaxRuntime, parseSchedule, upcoming, ValidationError } from '../src';

const at = (iso: string) => new Date(iso);
const cron = (expression: string, tz = 'UTC') => parseSchedule({ cron: expression, tz });
const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

describe('period schedules', () => {
  it('expects the next ping one period after the last', () => {
    expect(nextExpected({ kind: 'period', period: 300 }, at('2026-01-01T00:00:00Z'))).toEqual(at('2026-01-01T00:05:00Z'));
  });

  it.each([59, 366 * 86400, 1.5, Number.NaN])('rejects a period of %s seconds', (period) => {
    expect(() => parseSchedule({ period })).toThrow(/period must be a whole number of seconds between 60 .* and 31536000/);
  });

  it('accepts the bounds: one minute and one year', () => {
    expect(parseSchedule({ period: 60 })).toEqual({ kind: 'period', period: 60 });
    expect(parseSchedule({ period: 365 * 86400 })).toEqual({ kind: 'period', period: 365 * 86400 });
  });

  it('validates grace and max runtime with the same bounds', () => {
    expect(parseGrace(60)).toBe(60);
    expect(() => parseGrace(30)).toThrow(/grace must be/);
    expect(parseMaxRuntime(null)).toBeNull();
    expect(() => parseMaxRuntime(0)).toThrow(/maxRuntime must be/);
  });
});

describe('cron schedules: parsing', () => {
  it('defaults the time zone to UTC and canonicalises the expression', () => {
    expect(parseSchedule({ cron: '  */5   * * * * ' })).toEqual({ kind: 'cron', cron: '*/5 * * * *', tz: 'UTC' });
  });

  it('writes out nicknames', () => {
    expect(parseSchedule({ cron: '@daily', tz: 'Europe/Riga' })).toEqual({ kind: 'cron', cron: '0 0 * * *', tz: 'Europe/Riga' });
  });

  it('names the field and the rule when a value is out of range', () => {
    expect(() => cron('61 * * * *')).toThrow('"61 * * * *" is not a valid cron expression (minute 61 out of range (0-59))');
    expect(() => cron('0 24 * * *')).toThrow(/hour 24 out of range \(0-23\)/);
  });

  it('refuses the wrong number of fields, including seconds', () => {
    expect(() => cron('* * *')).toThrow(/expected 5 fields .* got 3/);
    expect(() => cron('0 * * * * *')).toThrow(/got 6/);
    expect(() => cron('')).toThrow(/got 0/);
  });

  it('refuses garbage and impossible dates', () => {
    expect(() => cron('x * * * *')).toThrow(/minute "x" is not valid/);
    expect(() => cron('0 0 31 2 *')).toThrow(/not a valid cron expression/);
  });

  it('refuses an unknown time zone with a typed error', () => {
    const error = (() => {
      try {
        cron('0 0 * * *', 'Mars/Olympus');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'CB_INVALID_TZ', field: 'tz', message: 'unknown time zone "Mars/Olympus"' });
  });

  it('tells wildcard jobs from fixed-time jobs the way cronie does', () => {
    expect(parseCron('30 2 * * *', 'UTC').wildcard).toBe(false);
    expect(parseCron('*/15 2 * * *', 'UTC').wildcard).toBe(true);
    expect(parseCron('30 * * * *', 'UTC').wildcard).toBe(true);
    expect(parseCron('@hourly', 'UTC').wildcard).toBe(true);
  });
});

describe('cron schedules: next expected time', () => {
  it('evaluates the expression in the check’s zone and answers in UTC', () => {
    expect(nextExpected(cron('30 2 * * *', 'Europe/Riga'), at('2026-06-01T00:00:00Z'))).toEqual(at('2026-06-01T23:30:00Z'));
  });

  it('is strictly after the given time', () => {
    expect(nextExpected(cron('0 * * * *'), at('2026-06-01T10:00:00Z'))).toEqual(at('2026-06-01T11:00:00Z'));
  });

  it('honours day-of-week and day-of-month together as cron does (either matches)', () => {
    // 2026-06-13 is a Saturday; the 15th is a Monday.
    expect(iso(upcoming(cron('0 9 15 * 1'), at('2026-06-07T12:00:00Z'), 2))).toEqual([
      '2026-06-08T09:00:00.000Z',
      '2026-06-15T09:00:00.000Z',
    ]);
  });

  describe('Europe/Berlin spring forward (2026-03-29, 02:00 CET → 03:00 CEST)', () => {
    const tz = 'Europe/Berlin';

    it('runs a fixed-time job inside the skipped hour at the jump, 03:00 CEST, as cronie does', () => {
      expect(nextExpected(cron('30 2 * * *', tz), at('2026-03-28T12:00:00Z'))).toEqual(at('2026-03-29T01:00:00Z'));
    });

    it('goes back to the usual time the day after', () => {
      expect(nextExpected(cron('30 2 * * *', tz), at('2026-03-29T01:00:00Z'))).toEqual(at('2026-03-30T00:30:00Z'));
    });

    it('runs several fixed times inside the gap once, at the jump', () => {
      expect(iso(upcoming(cron('0,30 2 * * *', tz), at('2026-03-28T12:00:00Z'), 2))).toEqual([
        '2026-03-29T01:00:00.000Z',
        '2026-03-30T00:00:00.000Z',
      ]);
    });

    it('does not catch up a wildcard job inside the gap', () => {
      expect(iso(upcoming(cron('*/20 2 * * *', tz), at('2026-03-28T12:00:00Z'), 2))).toEqual([
        '2026-03-30T00:00:00.000Z', // 02:00 CEST the next day
        '2026-03-30T00:20:00.000Z',
      ]);
    });

    it('keeps a wildcard job on the clock across the jump', () => {
      expect(iso(upcoming(cron('*/30 * * * *', tz), at('2026-03-29T00:15:00Z'), 3))).toEqual([
        '2026-03-29T00:30:00.000Z', // 01:30 CET
        '2026-03-29T01:00:00.000Z', // 03:00 CEST
        '2026-03-29T01:30:00.000Z', // 03:30 CEST
      ]);
    });
  });

  describe('America/New_York fall back (2026-11-01, 02:00 EDT → 01:00 EST)', () => {
    const tz = 'America/New_York';

    it('runs a fixed-time job inside the repeated hour once, at the first pass', () => {
      expect(iso(upcoming(cron('30 1 * * *', tz), at('2026-10-31T12:00:00Z'), 2))).toEqual([
        '2026-11-01T05:30:00.000Z', // 01:30 EDT
        '2026-11-02T06:30:00.000Z', // 01:30 EST the next day
      ]);
    });

    it('does not expect a fixed-time job again during the second pass', () => {
      expect(nextExpected(cron('30 1 * * *', tz), at('2026-11-01T06:10:00Z'))).toEqual(at('2026-11-02T06:30:00Z'));
    });

    it('runs a wildcard job in both passes', () => {
      expect(iso(upcoming(cron('30 * * * *', tz), at('2026-11-01T04:45:00Z'), 3))).toEqual([
        '2026-11-01T05:30:00.000Z', // 01:30 EDT
        '2026-11-01T06:30:00.000Z', // 01:30 EST
        '2026-11-01T07:30:00.000Z', // 02:30 EST
      ]);
      expect(nextExpected(cron('30 * * * *', tz), at('2026-11-01T06:10:00Z'))).toEqual(at('2026-11-01T06:30:00Z'));
    });
  });

  it('handles a jump at midnight (America/Sao_Paulo 2018-11-04, 00:00 → 01:00)', () => {
    expect(nextExpected(cron('0 0 * * *', 'America/Sao_Paulo'), at('2018-11-03T12:00:00Z'))).toEqual(at('2018-11-04T03:00:00Z'));
  });
});
