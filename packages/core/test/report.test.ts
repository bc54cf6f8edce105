import { describe, expect, it } from 'vitest';
import { nextReportAt, reportWindow } from '../src';

const utc = (text: string) => new Date(`${text}Z`);

describe('report schedule', () => {
  it('sends weekly reports on the next Monday at 09:00 UTC, a week later when that moment has passed', () => {
    expect(nextReportAt('weekly', utc('2026-11-30T08:59:59'))).toEqual(utc('2026-11-30T09:00:00')); // a Monday
    expect(nextReportAt('weekly', utc('2026-11-30T09:00:00'))).toEqual(utc('2026-12-07T09:00:00'));
    expect(nextReportAt('weekly', utc('2026-12-02T12:00:00'))).toEqual(utc('2026-12-07T09:00:00'));
    expect(nextReportAt('weekly', utc('2026-12-06T23:59:00'))).toEqual(utc('2026-12-07T09:00:00')); // a Sunday
  });

  it('sends monthly reports on the 1st at 09:00 UTC, across the end of a year', () => {
    expect(nextReportAt('monthly', utc('2026-12-01T08:00:00'))).toEqual(utc('2026-12-01T09:00:00'));
    expect(nextReportAt('monthly', utc('2026-12-01T09:00:00'))).toEqual(utc('2027-01-01T09:00:00'));
    expect(nextReportAt('monthly', utc('2026-12-31T23:00:00'))).toEqual(utc('2027-01-01T09:00:00'));
  });

  it('covers the week or the calendar month that just ended', () => {
    expect(reportWindow('weekly', utc('2026-12-07T09:00:00'))).toEqual({
      start: utc('2026-11-30T09:00:00'),
      end: utc('2026-12-07T09:00:00'),
    });
    expect(reportWindow('monthly', utc('2027-01-01T09:00:00'))).toEqual({
      start: utc('2026-12-01T09:00:00'),
      end: utc('2027-01-01T09:00:00'),
    });
    expect(reportWindow('monthly', utc('2026-03-01T09:00:00'))).toEqual({
      start: utc('2026-02-01T09:00:00'),
      end: utc('2026-03-01T09:00:00'),
    });
  });
});
