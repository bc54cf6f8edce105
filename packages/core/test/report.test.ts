import { describe, expect, it } from 'vitest';
import { checksToShow, nextReportAt, REPORT_LIMITS, reportWindow, worstFirst } from '../src';

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

describe('report schedule in the person’s time zone', () => {
  it('sends at 09:00 on the local clock, before and after Europe/Berlin springs forward (29 March 2026)', () => {
    // Monday 23 March: CET (UTC+1); Monday 30 March: CEST (UTC+2).
    expect(nextReportAt('weekly', utc('2026-03-20T12:00:00'), 'Europe/Berlin')).toEqual(utc('2026-03-23T08:00:00'));
    expect(nextReportAt('weekly', utc('2026-03-23T08:00:00'), 'Europe/Berlin')).toEqual(utc('2026-03-30T07:00:00'));
    // The week across the change is one hour short, and still ends at 09:00 local.
    expect(reportWindow('weekly', utc('2026-03-30T07:00:00'), 'Europe/Berlin')).toEqual({
      start: utc('2026-03-23T08:00:00'),
      end: utc('2026-03-30T07:00:00'),
    });
    // The 1st of April is in summer time, the 1st of March in winter time.
    expect(nextReportAt('monthly', utc('2026-03-15T00:00:00'), 'Europe/Berlin')).toEqual(utc('2026-04-01T07:00:00'));
    expect(reportWindow('monthly', utc('2026-04-01T07:00:00'), 'Europe/Berlin')).toEqual({
      start: utc('2026-03-01T08:00:00'),
      end: utc('2026-04-01T07:00:00'),
    });
  });

  it('sends at 09:00 on the local clock when America/New_York falls back (1 November 2026)', () => {
    // Monday 26 October: EDT (UTC−4); Monday 2 November: EST (UTC−5). That week is an hour longer.
    expect(nextReportAt('weekly', utc('2026-10-26T13:00:00'), 'America/New_York')).toEqual(utc('2026-11-02T14:00:00'));
    expect(reportWindow('weekly', utc('2026-11-02T14:00:00'), 'America/New_York')).toEqual({
      start: utc('2026-10-26T13:00:00'),
      end: utc('2026-11-02T14:00:00'),
    });
  });

  it('reads "today" on the local calendar, not the UTC one', () => {
    // 23:30 UTC on Sunday 6 December is already Monday 7 December in Tokyo (08:30 there): the report is due at 09:00 that day.
    expect(nextReportAt('weekly', utc('2026-12-06T23:30:00'), 'Asia/Tokyo')).toEqual(utc('2026-12-07T00:00:00'));
    // 20:00 UTC on Monday 30 November is still Monday 30 November in Los Angeles (12:00), after its 09:00: next Monday.
    expect(nextReportAt('weekly', utc('2026-11-30T20:00:00'), 'America/Los_Angeles')).toEqual(utc('2026-12-07T17:00:00'));
    // New Year's Day reaches Auckland first.
    expect(nextReportAt('monthly', utc('2026-12-31T10:00:00'), 'Pacific/Auckland')).toEqual(utc('2026-12-31T20:00:00'));
  });

  it('walks a year of Mondays in Berlin, each at 09:00 local and one to seven days apart', () => {
    const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit' });
    let at = utc('2026-01-01T00:00:00');
    for (let week = 0; week < 53; week++) {
      const next = nextReportAt('weekly', at, 'Europe/Berlin');
      expect(clock.format(next)).toBe('Mon 09:00');
      expect(next.getTime() - at.getTime()).toBeLessThanOrEqual(7 * 86_400_000 + 3_600_000);
      at = next;
    }
  });
});

describe('which checks a report lists', () => {
  const check = (name: string, uptime: number | null, failures = 0, downs = 0) => ({ name, uptime, failures, downs });

  it('puts the lowest uptime first, then the most failed runs, then the most times down, and unwatched checks last', () => {
    const ranked = worstFirst([
      check('fine', 1),
      check('unwatched', null),
      check('flaky', 1, 3),
      check('down a while', 0.8, 0, 1),
      check('down longer', 0.5, 0, 1),
      check('flakier', 1, 5),
      check('bounced', 1, 0, 2),
    ]);
    expect(ranked.map((c) => c.name)).toEqual(['down longer', 'down a while', 'flakier', 'flaky', 'bounced', 'fine', 'unwatched']);
  });

  it('lists at most the limit, and says whether the rest were all clean', () => {
    const many = Array.from({ length: 120 }, (_, i) => check(`job ${String(i).padStart(3, '0')}`, 1));
    const clean = checksToShow([...many, check('broken', 0.9, 1, 1)]);
    expect(clean.shown).toHaveLength(REPORT_LIMITS.checksPerProject);
    expect(clean.shown[0]?.name).toBe('broken');
    expect(clean).toMatchObject({ more: 71, moreAllClean: true });
    const notClean = checksToShow([...many, check('flaky', 1, 2)], 1);
    expect(notClean.shown.map((c) => c.name)).toEqual(['flaky']);
    expect(notClean).toMatchObject({ more: 120, moreAllClean: true });
    expect(checksToShow([check('a', 0.5), check('b', 1, 1)], 1)).toMatchObject({ more: 1, moreAllClean: false });
  });
});
