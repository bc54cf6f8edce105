import { describe, expect, it } from 'vitest';
import {
  coversCheck,
  type MaintenanceWindow,
  type MaintenanceWindowInput,
  maintenanceAt,
  nextMaintenance,
  nextOccurrence,
  occurrenceAt,
  parseMaintenanceWindow,
  ValidationError,
  type WindowCoverage,
} from '../src';

const at = (iso: string) => new Date(iso);
const HOUR = 3600;

function once(startsAt: string, endsAt: string, extra: Partial<MaintenanceWindow> = {}): MaintenanceWindow {
  return {
    id: 'w-once',
    name: 'migration',
    coverage: { kind: 'project' },
    endedAt: null,
    kind: 'once',
    startsAt: at(startsAt),
    endsAt: at(endsAt),
    ...extra,
  } as MaintenanceWindow;
}

function recurring(cron: string, tz: string, duration: number, extra: Partial<MaintenanceWindow> = {}): MaintenanceWindow {
  return {
    id: 'w-cron',
    name: 'backups',
    coverage: { kind: 'project' },
    endedAt: null,
    kind: 'recurring',
    cron,
    tz,
    duration,
    ...extra,
  } as MaintenanceWindow;
}

/** The occurrence as ISO strings, so a failing table shows instants people can read. */
const span = (occurrence: { start: Date; end: Date } | null) =>
  occurrence && [occurrence.start.toISOString(), occurrence.end.toISOString()];

describe('one-off windows', () => {
  const window = once('2026-05-10T22:00:00Z', '2026-05-11T01:30:00Z');

  it.each([
    ['2026-05-10T21:59:59.999Z', null],
    ['2026-05-10T22:00:00.000Z', ['2026-05-10T22:00:00.000Z', '2026-05-11T01:30:00.000Z']],
    ['2026-05-11T00:00:00.000Z', ['2026-05-10T22:00:00.000Z', '2026-05-11T01:30:00.000Z']],
    ['2026-05-11T01:29:59.999Z', ['2026-05-10T22:00:00.000Z', '2026-05-11T01:30:00.000Z']],
    ['2026-05-11T01:30:00.000Z', null],
  ])('at %s is in force: %j (start inclusive, end exclusive, across midnight)', (when, expected) => {
    expect(span(occurrenceAt(window, at(when)))).toEqual(expected);
  });

  it('names the window in its occurrence', () => {
    expect(occurrenceAt(window, at('2026-05-10T23:00:00Z'))).toEqual({
      windowId: 'w-once',
      name: 'migration',
      start: at('2026-05-10T22:00:00Z'),
      end: at('2026-05-11T01:30:00Z'),
    });
  });

  it('is next until it starts, and never again after', () => {
    expect(span(nextOccurrence(window, at('2026-05-01T00:00:00Z')))).toEqual(['2026-05-10T22:00:00.000Z', '2026-05-11T01:30:00.000Z']);
    expect(nextOccurrence(window, at('2026-05-10T22:00:00Z'))).toBeNull();
    expect(nextOccurrence(window, at('2026-06-01T00:00:00Z'))).toBeNull();
  });

  it('spans a month and a year end', () => {
    const newYear = once('2026-12-31T23:00:00Z', '2027-01-01T02:00:00Z');
    expect(span(occurrenceAt(newYear, at('2027-01-01T00:00:00Z')))).toEqual(['2026-12-31T23:00:00.000Z', '2027-01-01T02:00:00.000Z']);
    expect(occurrenceAt(newYear, at('2027-01-01T02:00:00Z'))).toBeNull();
  });
});

describe('recurring windows', () => {
  it('opens at each fire time for the duration (Sundays 02:00 Berlin, 2 h, in winter)', () => {
    const window = recurring('0 2 * * 0', 'Europe/Berlin', 2 * HOUR);
    expect(span(occurrenceAt(window, at('2026-01-04T02:30:00Z')))).toEqual(['2026-01-04T01:00:00.000Z', '2026-01-04T03:00:00.000Z']);
    expect(occurrenceAt(window, at('2026-01-04T00:59:59Z'))).toBeNull();
    expect(occurrenceAt(window, at('2026-01-04T03:00:00Z'))).toBeNull();
    expect(span(nextOccurrence(window, at('2026-01-04T02:00:00Z')))).toEqual(['2026-01-11T01:00:00.000Z', '2026-01-11T03:00:00.000Z']);
    expect(span(nextOccurrence(window, at('2026-01-03T12:00:00Z')))).toEqual(['2026-01-04T01:00:00.000Z', '2026-01-04T03:00:00.000Z']);
  });

  it('takes the occurrence that starts strictly after the given instant as next', () => {
    const window = recurring('0 2 * * 0', 'Europe/Berlin', 2 * HOUR);
    expect(span(nextOccurrence(window, at('2026-01-04T00:59:59Z')))?.[0]).toBe('2026-01-04T01:00:00.000Z');
    expect(span(nextOccurrence(window, at('2026-01-04T01:00:00Z')))?.[0]).toBe('2026-01-11T01:00:00.000Z');
  });

  it.each([
    // [cron, tz, duration, at, in force]
    ['0 23 * * *', 'UTC', 2 * HOUR, '2026-03-01T00:30:00Z', ['2026-02-28T23:00:00.000Z', '2026-03-01T01:00:00.000Z']],
    ['0 22 * * *', 'Europe/Berlin', 4 * HOUR, '2026-02-01T00:30:00Z', ['2026-01-31T21:00:00.000Z', '2026-02-01T01:00:00.000Z']],
    ['0 23 31 12 *', 'America/New_York', 3 * HOUR, '2027-01-01T05:00:00Z', ['2027-01-01T04:00:00.000Z', '2027-01-01T07:00:00.000Z']],
    ['0 20 28-31 * *', 'UTC', 6 * HOUR, '2026-04-01T01:00:00Z', ['2026-03-31T20:00:00.000Z', '2026-04-01T02:00:00.000Z']],
  ])('%s in %s for %i s spans midnight and month ends: at %s', (cron, tz, duration, when, expected) => {
    expect(span(occurrenceAt(recurring(cron, tz, duration), at(when)))).toEqual(expected);
  });

  it('skips months without the day: the 31st after April is in May', () => {
    const window = recurring('0 12 31 * *', 'UTC', HOUR);
    expect(span(nextOccurrence(window, at('2026-04-01T00:00:00Z')))?.[0]).toBe('2026-05-31T12:00:00.000Z');
  });

  it('merges occurrences that overlap into one, ending at the latest end', () => {
    const window = recurring('0 0,1 * * *', 'UTC', 90 * 60);
    const merged = ['2026-06-01T00:00:00.000Z', '2026-06-01T02:30:00.000Z'];
    expect(span(occurrenceAt(window, at('2026-06-01T00:30:00Z')))).toEqual(merged);
    expect(span(occurrenceAt(window, at('2026-06-01T02:00:00Z')))).toEqual(merged);
    // The 01:00 fire belongs to the stretch in force, so the next one is tomorrow's.
    expect(span(nextOccurrence(window, at('2026-06-01T00:30:00Z')))).toEqual(['2026-06-02T00:00:00.000Z', '2026-06-02T02:30:00.000Z']);
  });

  it('merges occurrences that touch, and long chains of dense fire times', () => {
    expect(span(occurrenceAt(recurring('0 0,2 * * *', 'UTC', 2 * HOUR), at('2026-06-01T03:00:00Z')))).toEqual([
      '2026-06-01T00:00:00.000Z',
      '2026-06-01T04:00:00.000Z',
    ]);
    expect(span(occurrenceAt(recurring('*/10 0-2 * * *', 'UTC', 15 * 60), at('2026-06-01T01:33:00Z')))).toEqual([
      '2026-06-01T00:00:00.000Z',
      '2026-06-01T03:05:00.000Z',
    ]);
  });
});

describe('recurring windows that never stop overlapping', () => {
  it('are in force at every instant, and answer without following the chain for months', () => {
    const window = recurring('* * * * *', 'Europe/Berlin', HOUR);
    const started = performance.now();
    const current = occurrenceAt(window, at('2026-06-01T00:00:30Z'));
    expect(current).not.toBeNull();
    expect(current && current.start <= at('2026-06-01T00:00:30Z') && current.end > at('2026-06-01T01:00:00Z')).toBe(true);
    expect(occurrenceAt(window, at('2026-09-01T12:34:56Z'))).not.toBeNull();
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('recurring windows across DST: cronie fire times, durations in real time', () => {
  it.each([
    // Europe/Berlin springs forward 2026-03-29 02:00 CET → 03:00 CEST (01:00Z).
    [
      'Berlin: a fixed time in the skipped hour opens at the jump',
      '30 2 * * *',
      'Europe/Berlin',
      HOUR,
      '2026-03-29T00:00:00Z',
      ['2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z'],
    ],
    [
      'Berlin: the day after is back on 02:30 summer time',
      '30 2 * * *',
      'Europe/Berlin',
      HOUR,
      '2026-03-29T12:00:00Z',
      ['2026-03-30T00:30:00.000Z', '2026-03-30T01:30:00.000Z'],
    ],
    [
      'Berlin: 2 h from 01:00 across the jump ends at 04:00 CEST, 2 h later',
      '0 1 * * *',
      'Europe/Berlin',
      2 * HOUR,
      '2026-03-28T12:00:00Z',
      ['2026-03-29T00:00:00.000Z', '2026-03-29T02:00:00.000Z'],
    ],
    // Europe/Berlin falls back 2026-10-25 03:00 CEST → 02:00 CET (01:00Z).
    [
      'Berlin: a fixed time in the repeated hour opens once, at the first pass',
      '30 2 * * *',
      'Europe/Berlin',
      HOUR,
      '2026-10-24T12:00:00Z',
      ['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z'],
    ],
    [
      'Berlin: after the repeated hour the next is tomorrow 02:30 CET',
      '30 2 * * *',
      'Europe/Berlin',
      HOUR,
      '2026-10-25T00:30:00Z',
      ['2026-10-26T01:30:00.000Z', '2026-10-26T02:30:00.000Z'],
    ],
    [
      'Berlin: 2 h from 01:00 CEST across the change ends at 02:00 CET, 2 h later',
      '0 1 * * *',
      'Europe/Berlin',
      2 * HOUR,
      '2026-10-24T12:00:00Z',
      ['2026-10-24T23:00:00.000Z', '2026-10-25T01:00:00.000Z'],
    ],
    // America/New_York springs forward 2026-03-08 02:00 EST → 03:00 EDT (07:00Z).
    [
      'New York: a fixed time in the skipped hour opens at the jump',
      '30 2 * * *',
      'America/New_York',
      2 * HOUR,
      '2026-03-08T00:00:00Z',
      ['2026-03-08T07:00:00.000Z', '2026-03-08T09:00:00.000Z'],
    ],
    [
      'New York: 2 h from 01:00 EST across the jump is 2 h of real time',
      '0 1 * * *',
      'America/New_York',
      2 * HOUR,
      '2026-03-08T00:00:00Z',
      ['2026-03-08T06:00:00.000Z', '2026-03-08T08:00:00.000Z'],
    ],
    // America/New_York falls back 2026-11-01 02:00 EDT → 01:00 EST (06:00Z).
    [
      'New York: a fixed time in the repeated hour opens once',
      '30 1 * * *',
      'America/New_York',
      HOUR,
      '2026-10-31T12:00:00Z',
      ['2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z'],
    ],
    [
      'New York: after the repeated hour the next is tomorrow 01:30 EST',
      '30 1 * * *',
      'America/New_York',
      HOUR,
      '2026-11-01T05:30:00Z',
      ['2026-11-02T06:30:00.000Z', '2026-11-02T07:30:00.000Z'],
    ],
    [
      'New York: 2 h from 01:00 EDT across the change ends at 02:00 EST',
      '0 1 * * *',
      'America/New_York',
      2 * HOUR,
      '2026-10-31T12:00:00Z',
      ['2026-11-01T05:00:00.000Z', '2026-11-01T07:00:00.000Z'],
    ],
  ])('%s', (_name, cron, tz, duration, after, expected) => {
    const window = recurring(cron, tz, duration);
    const next = nextOccurrence(window, at(after));
    expect(span(next)).toEqual(expected);
    if (!next) return;
    expect(next.end.getTime() - next.start.getTime()).toBe(duration * 1000);
    // In force from its start to just before its end, by the same rules.
    expect(span(occurrenceAt(window, next.start))).toEqual(expected);
    expect(span(occurrenceAt(window, new Date(next.end.getTime() - 1)))).toEqual(expected);
    expect(occurrenceAt(window, next.end)).toBeNull();
  });

  it('does not open again in the second pass of a repeated hour', () => {
    const window = recurring('30 2 * * *', 'Europe/Berlin', 10 * 60);
    // 02:45 CET, the second 02:45 of the night: the 02:30 occurrence was in the first pass.
    expect(occurrenceAt(window, at('2026-10-25T01:35:00Z'))).toBeNull();
  });

  it('follows the clock in both passes for a wildcard hour, as cronie does', () => {
    const window = recurring('30 * * * *', 'Europe/Berlin', 10 * 60);
    expect(span(occurrenceAt(window, at('2026-10-25T00:35:00Z')))).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-25T00:40:00.000Z']);
    expect(span(occurrenceAt(window, at('2026-10-25T01:35:00Z')))).toEqual(['2026-10-25T01:30:00.000Z', '2026-10-25T01:40:00.000Z']);
  });
});

describe('windows ended early', () => {
  it('ends a one-off window at endedAt', () => {
    const window = once('2026-05-10T22:00:00Z', '2026-05-11T01:30:00Z', { endedAt: at('2026-05-10T23:15:00Z') });
    expect(span(occurrenceAt(window, at('2026-05-10T23:00:00Z')))).toEqual(['2026-05-10T22:00:00.000Z', '2026-05-10T23:15:00.000Z']);
    expect(occurrenceAt(window, at('2026-05-10T23:15:00Z'))).toBeNull();
    expect(occurrenceAt(window, at('2026-05-11T00:00:00Z'))).toBeNull();
  });

  it('cuts only the occurrence in force of a recurring window', () => {
    const window = recurring('0 2 * * 0', 'Europe/Berlin', 2 * HOUR, { endedAt: at('2026-01-04T01:40:00Z') });
    expect(span(occurrenceAt(window, at('2026-01-04T01:20:00Z')))).toEqual(['2026-01-04T01:00:00.000Z', '2026-01-04T01:40:00.000Z']);
    expect(occurrenceAt(window, at('2026-01-04T02:00:00Z'))).toBeNull();
    expect(span(occurrenceAt(window, at('2026-01-11T02:00:00Z')))).toEqual(['2026-01-11T01:00:00.000Z', '2026-01-11T03:00:00.000Z']);
    expect(span(nextOccurrence(window, at('2026-01-04T01:20:00Z')))).toEqual(['2026-01-11T01:00:00.000Z', '2026-01-11T03:00:00.000Z']);
  });

  it('leaves nothing of an occurrence ended at its very start, and the next one is the week after', () => {
    const window = recurring('0 2 * * 0', 'Europe/Berlin', 2 * HOUR, { endedAt: at('2026-01-04T01:00:00Z') });
    expect(occurrenceAt(window, at('2026-01-04T01:00:00Z'))).toBeNull();
    expect(span(nextOccurrence(window, at('2026-01-03T00:00:00Z')))?.[0]).toBe('2026-01-11T01:00:00.000Z');
  });

  it('leaves occurrences before the early end as they were', () => {
    const window = recurring('0 2 * * 0', 'Europe/Berlin', 2 * HOUR, { endedAt: at('2026-01-11T01:30:00Z') });
    expect(span(occurrenceAt(window, at('2026-01-04T02:00:00Z')))).toEqual(['2026-01-04T01:00:00.000Z', '2026-01-04T03:00:00.000Z']);
    expect(span(nextOccurrence(window, at('2026-01-04T02:00:00Z')))).toEqual(['2026-01-11T01:00:00.000Z', '2026-01-11T01:30:00.000Z']);
  });
});

describe('coverage', () => {
  const check = { id: 'c1', tags: ['db', 'nightly'] };
  it.each<[WindowCoverage, boolean]>([
    [{ kind: 'project' }, true],
    [{ kind: 'tags', tags: ['web', 'nightly'] }, true],
    [{ kind: 'tags', tags: ['web'] }, false],
    [{ kind: 'checks', checkIds: ['c2', 'c1'] }, true],
    [{ kind: 'checks', checkIds: ['c2'] }, false],
  ])('%j covers a check tagged db, nightly: %s', (coverage, covered) => {
    expect(coversCheck({ coverage }, check)).toBe(covered);
  });

  it('a tag window covers no untagged check', () => {
    expect(coversCheck({ coverage: { kind: 'tags', tags: ['db'] } }, { id: 'c1', tags: [] })).toBe(false);
  });

  it('finds the covering window in force that ends last', () => {
    const windows = [
      once('2026-05-10T22:00:00Z', '2026-05-11T01:00:00Z', { id: 'short' }),
      once('2026-05-10T22:00:00Z', '2026-05-11T05:00:00Z', { id: 'long-other', coverage: { kind: 'checks', checkIds: ['c9'] } }),
      once('2026-05-10T23:00:00Z', '2026-05-11T03:00:00Z', { id: 'long', coverage: { kind: 'tags', tags: ['db'] } }),
      once('2026-05-12T00:00:00Z', '2026-05-13T00:00:00Z', { id: 'later' }),
    ];
    expect(maintenanceAt(windows, check, at('2026-05-11T00:00:00Z'))?.windowId).toBe('long');
    expect(maintenanceAt(windows, check, at('2026-05-10T22:30:00Z'))?.windowId).toBe('short');
    expect(maintenanceAt(windows, check, at('2026-05-11T04:00:00Z'))).toBeNull();
    expect(maintenanceAt([], check, at('2026-05-11T00:00:00Z'))).toBeNull();
  });

  it('finds the covering window that starts next', () => {
    const windows = [
      recurring('0 3 * * *', 'UTC', HOUR, { id: 'nightly-other', coverage: { kind: 'tags', tags: ['web'] } }),
      recurring('0 4 * * *', 'UTC', HOUR, { id: 'nightly' }),
      once('2026-05-11T03:30:00Z', '2026-05-11T05:00:00Z', { id: 'once', coverage: { kind: 'checks', checkIds: ['c1'] } }),
    ];
    expect(nextMaintenance(windows, check, at('2026-05-11T00:00:00Z'))?.windowId).toBe('once');
    expect(span(nextMaintenance(windows, check, at('2026-05-11T03:30:00Z')))).toEqual([
      '2026-05-11T04:00:00.000Z',
      '2026-05-11T05:00:00.000Z',
    ]);
    expect(nextMaintenance(windows.slice(0, 1), check, at('2026-05-11T00:00:00Z'))).toBeNull();
  });
});

describe('parseMaintenanceWindow', () => {
  const base = { name: '  Nightly backup ', coverage: { kind: 'project' } } as const;
  const recurringInput = (extra: Partial<Extract<MaintenanceWindowInput, { kind: 'recurring' }>> = {}): MaintenanceWindowInput => ({
    ...base,
    kind: 'recurring',
    cron: '0 2 * * SUN',
    tz: 'Europe/Berlin',
    duration: 2 * HOUR,
    ...extra,
  });
  const onceInput = (startsAt: string, endsAt: string): MaintenanceWindowInput => ({
    ...base,
    kind: 'once',
    startsAt: at(startsAt),
    endsAt: at(endsAt),
  });

  function refusal(input: MaintenanceWindowInput): { field: string; message: string } {
    try {
      parseMaintenanceWindow(input);
    } catch (error) {
      if (error instanceof ValidationError) return { field: error.field, message: error.message };
      throw error;
    }
    throw new Error('accepted');
  }

  it('returns the canonical form', () => {
    expect(parseMaintenanceWindow(recurringInput({ cron: ' @daily ', tz: 'utc' }))).toEqual({
      name: 'Nightly backup',
      coverage: { kind: 'project' },
      kind: 'recurring',
      cron: '0 0 * * *',
      tz: 'UTC',
      duration: 7200,
    });
    expect(parseMaintenanceWindow(recurringInput({ tz: undefined }))).toMatchObject({ tz: 'UTC' });
    expect(parseMaintenanceWindow({ ...recurringInput(), coverage: { kind: 'tags', tags: ['db', 'db', 'web'] } }).coverage).toEqual({
      kind: 'tags',
      tags: ['db', 'web'],
    });
    expect(parseMaintenanceWindow(onceInput('2026-05-10T22:00:00Z', '2026-06-10T22:00:00Z'))).toMatchObject({ kind: 'once' });
  });

  it.each<[string, MaintenanceWindowInput, string, RegExp]>([
    ['an empty name', { ...recurringInput(), name: '   ' }, 'name', /1 to 200 characters, got 0/],
    ['a name of 201 characters', { ...recurringInput(), name: 'x'.repeat(201) }, 'name', /got 201/],
    ['a bad cron expression', recurringInput({ cron: '0 25 * * *' }), 'cron', /hour 25 out of range/],
    ['an unknown zone', recurringInput({ tz: 'Mars/Olympus' }), 'tz', /unknown time zone "Mars\/Olympus"/],
    ['a duration under a minute', recurringInput({ duration: 59 }), 'duration', /between 60 .* and 604800 .*, got 59/],
    ['a duration over 7 days', recurringInput({ duration: 7 * 86400 + 1 }), 'duration', /got 604801/],
    ['a fractional duration', recurringInput({ duration: 90.5 }), 'duration', /whole number/],
    ['an end before the start', onceInput('2026-05-10T22:00:00Z', '2026-05-10T21:00:00Z'), 'endsAt', /must be after startsAt/],
    ['an end at the start', onceInput('2026-05-10T22:00:00Z', '2026-05-10T22:00:00Z'), 'endsAt', /must be after startsAt/],
    ['a one-off window over 31 days', onceInput('2026-05-10T22:00:00Z', '2026-06-10T22:00:01Z'), 'endsAt', /at most 31 days/],
    ['an invalid start', onceInput('not a date', '2026-05-10T22:00:00Z'), 'startsAt', /not a valid date/],
    ['no tags', { ...recurringInput(), coverage: { kind: 'tags', tags: [] } }, 'tags', /at least one tag/],
    [
      '51 tags',
      { ...recurringInput(), coverage: { kind: 'tags', tags: Array.from({ length: 51 }, (_, i) => `t${i}`) } },
      'tags',
      /at most 50, got 51/,
    ],
    ['no checks', { ...recurringInput(), coverage: { kind: 'checks', checkIds: [] } }, 'checks', /at least one check/],
  ])('refuses %s, naming the field', (_name, input, field, message) => {
    const refused = refusal(input);
    expect(refused.field).toBe(field);
    expect(refused.message).toMatch(message);
  });
});
