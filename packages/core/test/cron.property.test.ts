/**
 * Property tests of the schedule parsers: whatever text a person types as a
 * cron expression or a time zone, parsing either succeeds or throws our own
 * ValidationError (which the API answers 400), and a schedule that parsed
 * always has a next run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextExpected, parseCron, parseSchedule, parseTimeZone, ValidationError } from '../src';

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

/** Text shaped like a cron field: numbers, names, ranges, steps, lists and stray characters. */
const cronToken = fc.oneof(
  fc.integer({ min: -5, max: 100 }).map(String),
  fc.constantFrom('*', '?', 'L', 'W', '#', 'LW', 'jan', 'DEC', 'mon', 'sun', 'SAT', 'feb', '5L', '15W', '1#5', 'H', '0x1f', '1e3', ''),
  fc.string({ maxLength: 3 }),
);
const cronField = fc
  .array(fc.tuple(cronToken, fc.option(fc.tuple(fc.constantFrom('-', '/', ','), cronToken), { nil: undefined })), {
    minLength: 1,
    maxLength: 3,
  })
  .map((parts) => parts.map(([first, rest]) => (rest ? `${first}${rest[0]}${rest[1]}` : first)).join(','));
const cronLike = fc.oneof(
  fc.array(cronField, { minLength: 4, maxLength: 6 }).map((fields) => fields.join(' ')),
  fc.constantFrom('@daily', '@hourly', '@yearly', '@reboot', '@every', '@ DAILY', '@weekly '),
  fc.constantFrom('constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', '@constructor'),
);
/** A field of numbers in (and just past) its range, as ranges, steps and lists; or a field's special forms. */
const numericField = (min: number, max: number, specials: string[]) => {
  // Now and then one past the range, which must be refused, not searched for.
  const value = fc.oneof({ arbitrary: fc.integer({ min, max }), weight: 20 }, fc.constant(max + 1));
  const item = fc.oneof(
    value.map(String),
    fc.tuple(value, value).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    fc.tuple(fc.constantFrom('*', `${min}`), fc.integer({ min: 1, max: max + 1 })).map(([a, step]) => `${a}/${step}`),
  );
  return fc.oneof(
    fc.constant('*'),
    fc.array(item, { minLength: 1, maxLength: 3 }).map((items) => items.join(',')),
    ...(specials.length > 0 ? [fc.constantFrom(...specials)] : []),
  );
};
/** Expressions most of which parse: these reach the search for the next run, impossible dates (31 April) included. */
const plausibleCron = fc
  .tuple(
    numericField(0, 59, []),
    numericField(0, 23, []),
    numericField(1, 31, ['L', '15W', 'LW', 'L-3']),
    numericField(1, 12, ['feb', 'APR', 'jun-sep']),
    numericField(0, 7, ['mon-fri', '5L', '1#5', '0#1', 'SUN']),
  )
  .map((fields) => fields.join(' '));
const knownZone = fc.constantFrom(
  'UTC',
  'utc',
  'Europe/Berlin',
  'America/New_York',
  'Antarctica/Troll',
  'Etc/GMT+12',
  'Pacific/Kiritimati',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'America/Santiago',
);
const zoneLike = fc.oneof(
  knownZone,
  fc.string({ maxLength: 40 }),
  fc.constantFrom('Europe/Berlin\u0000', '../../etc/passwd', 'GMT+99', '+14:00', 'Etc/GMT-15', ''),
);
/** Instants from 1970 to 2200, where schedules are asked about. */
const instant = fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) }).map((ms) => new Date(ms));

describe('cron parsing properties', () => {
  it('throws nothing but a ValidationError, whatever the expression', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), cronLike, plausibleCron),
        (expression) => {
          parsesOrRefuses(() => parseCron(expression, 'UTC'));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('throws nothing but a ValidationError, whatever the time zone', () => {
    fc.assert(
      fc.property(zoneLike, (tz) => {
        parsesOrRefuses(() => parseTimeZone(tz));
      }),
      { numRuns: 1000 },
    );
  });

  it('gives every schedule that parses a next run after any instant, in any zone', () => {
    let parsed = 0;
    const runs = 2000;
    fc.assert(
      fc.property(
        fc.oneof({ arbitrary: plausibleCron, weight: 4 }, cronLike),
        fc.oneof({ arbitrary: knownZone, weight: 4 }, zoneLike),
        instant,
        (cron, tz, after) => {
          let schedule: ReturnType<typeof parseSchedule>;
          try {
            schedule = parseSchedule({ cron, tz });
          } catch (error) {
            if (error instanceof ValidationError) return;
            throw error;
          }
          parsed++;
          const next = nextExpected(schedule, after);
          expect(next?.getTime()).toBeGreaterThan(after.getTime());
        },
      ),
      { numRuns: runs },
    );
    // The property says something only if many schedules got as far as the search.
    expect(parsed).toBeGreaterThan(runs / 10);
  });
});
