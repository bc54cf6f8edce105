import { execFile } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { exactTime, formatClock, formatInstant, formatSoon, formatTick, relativeTime } from '../src/time';

const run = promisify(execFile);

/** Intl puts narrow no-break spaces before "AM"; tests read them as spaces. */
const spaced = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

// 08:00 UTC on a winter day: 09:00 in Berlin (CET), 03:00 in New York (EST).
const WINTER = '2026-12-07T08:00:00.000Z';
// 07:00 UTC on a summer day: 09:00 in Berlin (CEST), 03:00 in New York (EDT).
const SUMMER = '2026-07-01T07:00:15.000Z';

describe("instants in the viewer's locale, and in a schedule's zone with the zone named", () => {
  it('writes the date and time as each locale does', () => {
    expect(spaced(formatInstant(WINTER, { locale: 'en-US', zone: 'UTC', nameZone: false }))).toBe('Dec 7, 2026, 8:00 AM');
    expect(formatInstant(WINTER, { locale: 'de-DE', zone: 'UTC', nameZone: false })).toBe('07.12.2026, 08:00');
    expect(formatInstant(WINTER, { locale: 'en-GB', zone: 'UTC', nameZone: false })).toBe('7 Dec 2026, 08:00');
  });

  it("shows a schedule's instant in its zone and names the zone, across daylight saving time", () => {
    expect(formatInstant(WINTER, { locale: 'de-DE', zone: 'Europe/Berlin' })).toBe('07.12.2026, 09:00 Europe/Berlin');
    expect(formatInstant(SUMMER, { locale: 'de-DE', zone: 'Europe/Berlin' })).toBe('01.07.2026, 09:00 Europe/Berlin');
    expect(spaced(formatInstant(WINTER, { locale: 'en-US', zone: 'America/New_York' }))).toBe('Dec 7, 2026, 3:00 AM America/New_York');
    expect(spaced(formatInstant(SUMMER, { locale: 'en-US', zone: 'America/New_York', seconds: true }))).toBe(
      'Jul 1, 2026, 3:00:15 AM America/New_York',
    );
  });

  it('adds the weekday for windows that recur weekly', () => {
    expect(formatInstant(WINTER, { locale: 'en-GB', zone: 'Europe/Berlin', weekday: true })).toBe('Mon, 7 Dec 2026, 09:00 Europe/Berlin');
    expect(formatInstant(WINTER, { locale: 'de-DE', zone: 'Europe/Berlin', weekday: true, nameZone: false })).toBe(
      'Mo., 7. Dez. 2026, 09:00',
    );
  });

  it('gives the exact time with the Intl short zone name, and the IANA name for a schedule', () => {
    expect(exactTime(WINTER, { locale: 'de-DE', zone: 'Europe/Berlin' })).toMatch(
      /^07\.12\.2026, 09:00:00 MEZ \(Europe\/Berlin; .+ your time\)$/,
    );
    expect(spaced(exactTime(SUMMER, { locale: 'en-US', zone: 'America/New_York' }))).toMatch(
      /^Jul 1, 2026, 3:00:15 AM EDT \(America\/New_York; .+ your time\)$/,
    );
    // In the viewer's own zone (UTC on this test runner) the short name is enough.
    expect(exactTime(WINTER, { locale: 'en-GB' })).toBe('7 Dec 2026, 08:00:00 UTC');
    expect(exactTime(WINTER, { locale: 'en-GB', zone: 'UTC' })).toBe('7 Dec 2026, 08:00:00 UTC (UTC)');
  });

  it('falls back to UTC, named, for a zone the runtime does not know, and leaves a text that is no instant as it is', () => {
    expect(formatInstant(WINTER, { locale: 'en-GB', zone: 'Mars/Olympus_Mons' })).toBe('7 Dec 2026, 08:00 UTC');
    expect(formatInstant('not a date')).toBe('not a date');
  });

  it('labels chart ticks with the day or the time of day in the locale', () => {
    const at = Date.parse(WINTER);
    expect(formatTick(at, 'day', 'en-US')).toBe('Dec 7');
    expect(formatTick(at, 'day', 'de-DE')).toBe('7. Dez.');
    expect(formatTick(at, 'time', 'de-DE')).toBe('08:00');
    expect(spaced(formatClock(WINTER, { locale: 'en-US', zone: 'Europe/Berlin' }))).toBe('9:00 AM');
  });

  it.each([
    ['de_DE.UTF-8', 'America/New_York', '07.12.2026, 03:00'],
    ['en_US.UTF-8', 'Europe/Berlin', 'Dec 7, 2026, 9:00 AM'],
    ['en_GB.UTF-8', 'Asia/Kolkata', '7 Dec 2026, 13:30'],
  ])('writes localTime to the minute in the runtime’s own locale and zone: %s in %s', async (locale, zone, expected) => {
    // The runtime's locale is fixed at start (ICU reads LC_ALL), so a Node of its own is started in it.
    const module = JSON.stringify(pathToFileURL(fileURLToPath(new URL('../src/time.ts', import.meta.url))).href);
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '--eval',
        `const { localTime } = await import(${module}); process.stdout.write(localTime(${JSON.stringify(WINTER)}));`,
      ],
      { env: { ...process.env, LC_ALL: locale, TZ: zone } },
    );
    expect(spaced(stdout)).toBe(expected);
  });
});

describe('relative times', () => {
  const now = Date.parse(WINTER);
  it('says now, then seconds, minutes, hours and days, past and future, in English words', () => {
    expect(relativeTime(WINTER, now + 3_000)).toBe('now');
    expect(relativeTime(WINTER, now + 42_000)).toBe('42 seconds ago');
    expect(relativeTime(WINTER, now + 4 * 60_000 + 20_000)).toBe('4 minutes ago');
    expect(relativeTime(WINTER, now - 2 * 3_600_000)).toBe('in 2 hours');
    expect(relativeTime(WINTER, now + 86_400_000)).toBe('yesterday');
    expect(relativeTime(WINTER, now + 3 * 86_400_000)).toBe('3 days ago');
  });
});

describe('an instant soon after now', () => {
  it('is the time of day when it is today, and the day and time when it is not', () => {
    const now = Date.parse('2026-12-24T20:30:00Z');
    expect(formatSoon('2026-12-24T23:00:00Z', now, 'en-GB')).toBe('23:00');
    expect(formatSoon('2026-12-25T02:00:00Z', now, 'en-GB')).toBe('25 Dec, 02:00');
    expect(formatSoon('2026-12-25T02:00:00Z', now, 'de-DE')).toBe('25. Dez., 02:00');
  });
});
