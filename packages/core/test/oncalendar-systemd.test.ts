/**
 * OnCalendar against the ground truth: `systemd-analyze calendar` run here,
 * over DST days in zones with a 1-hour change (Europe/Riga, America/New_York),
 * a 30-minute one (Australia/Lord_Howe) and none (UTC), leap days and `~`.
 * The comparison is skipped only where systemd-analyze is missing outside CI.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nextOnCalendarFire, parseOnCalendar } from '../src';

const systemdAnalyze = (() => {
  try {
    execFileSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!systemdAnalyze && process.env.CI) throw new Error('systemd-analyze is required under CI to check OnCalendar schedules');

const ITERATIONS = 25;

const EXPRESSIONS = [
  '*:0/15',
  '*:0/20',
  '*:20,35',
  '*:*:0/20',
  'minutely',
  'hourly',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'semiannually',
  'yearly',
  'Mon..Fri *-*-* 09:00',
  'Mon,Wed,Fri..Sun 01:30',
  'Sat,Sun 1:30',
  '*-*-* 02:30',
  '*-*-* 02:00,15',
  '*-*-* 02:00,02:15',
  '*-*-* 03:30',
  '*-*-* 1:59:30',
  '*-*-* 2..4:10',
  '*-*-* *:0..30/10',
  'Mon *-*-1..7 9:00',
  '*-02-29 12:00',
  '*-02~01',
  '*-*~03 6:00',
  'Mon *-05~07/1',
  '*-1/3-1 0:0',
  '2026..2030/2-*-* 1:1',
  '28-2-29',
  '*:0/15 Europe/Riga',
  'daily America/New_York',
  '02:30 Australia/Lord_Howe',
  '9:00 UTC',
  '*-*-* 05:40:23.4200004/3.1700005',
];

/** Bases just before each zone's changes, inside a repeated hour's second pass, and before a leap day. */
const CASES: Record<string, string[]> = {
  UTC: ['2026-01-01 00:00:00 UTC', '2028-02-27 22:00:00 UTC'],
  'Europe/Riga': ['2026-03-28 20:00:00 UTC', '2026-10-24 20:00:00 UTC', '2026-10-25 01:10:00 UTC', '2028-02-27 22:00:00 UTC'],
  'America/New_York': ['2026-03-07 20:00:00 UTC', '2026-10-31 20:00:00 UTC', '2026-11-01 06:10:00 UTC'],
  'Australia/Lord_Howe': ['2026-04-04 12:00:00 UTC', '2026-04-04 15:10:00 UTC', '2026-10-03 12:00:00 UTC'],
};

/** Each expression's elapses in UTC, as systemd-analyze prints them (whole seconds), one call per zone and base. */
function systemdElapses(tz: string, base: string): string[][] {
  const output = execFileSync('systemd-analyze', ['calendar', `--iterations=${ITERATIONS}`, `--base-time=${base}`, ...EXPRESSIONS], {
    env: { PATH: process.env.PATH, TZ: tz, LC_ALL: 'C', SYSTEMD_COLORS: '0' },
    encoding: 'utf8',
  });
  return output
    .split(/^Normalized form: /m)
    .slice(1)
    .map((block) => [...block.matchAll(/: \w+ (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) UTC$/gm)].map(([, day, time]) => `${day}T${time}Z`));
}

function ourElapses(expression: string, tz: string, base: string): string[] {
  const rule = parseOnCalendar(expression, tz);
  const times: string[] = [];
  let at = nextOnCalendarFire(rule, new Date(base.replace(' UTC', 'Z').replace(' ', 'T')));
  while (at !== null && times.length < ITERATIONS) {
    times.push(at.toISOString().replace(/\.\d{3}Z$/, 'Z'));
    at = nextOnCalendarFire(rule, at);
  }
  return times;
}

describe.skipIf(!systemdAnalyze)('OnCalendar next elapses match systemd-analyze calendar', () => {
  for (const [tz, bases] of Object.entries(CASES)) {
    for (const base of bases) {
      it(`in ${tz} from ${base}`, () => {
        const expected = systemdElapses(tz, base);
        expect(expected).toHaveLength(EXPRESSIONS.length);
        EXPRESSIONS.forEach((expression, index) => {
          expect({ expression, times: ourElapses(expression, tz, base) }).toEqual({ expression, times: expected[index] });
        });
      });
    }
  }
});

describe.skipIf(!systemdAnalyze)('OnCalendar accepts what systemd-analyze accepts', () => {
  const REFUSED_BY_BOTH = [
    '*:*/5',
    '12:59/1',
    '*-*-* 24:00',
    '1969-01-01',
    'Fri..Mon',
    'Mon..',
    '*-*~0',
    '*-*~29',
    '2200-01-01',
    'a',
    'Mon 9:00 Mars/Base',
    '*-*-5..1',
    '9:00:00:00',
    '*-*-* 9',
    '*-*-1..7 Mon 9:00',
  ];
  it.each(REFUSED_BY_BOTH)('refuses %j as systemd does', (expression) => {
    expect(() =>
      execFileSync('systemd-analyze', ['calendar', expression], { stdio: 'ignore', env: { PATH: process.env.PATH, TZ: 'UTC' } }),
    ).toThrow();
    expect(() => parseOnCalendar(expression, 'UTC')).toThrow(/not a valid OnCalendar expression/);
  });
});
