import { type CronExpression, CronExpressionParser } from 'cron-parser';
import { ValidationCode, ValidationError } from '../errors';
import { instantsOf, offsetAt, wallTimeOf } from './zone';

const FIELD_NAMES = ['minute', 'hour', 'day of month', 'month', 'day of week'] as const;

/**
 * The nicknames cronie accepts, written out as the five fields they stand
 * for. A Map, not an object: the expression `constructor` or `__proto__`
 * must not find Object.prototype's members.
 */
const NICKNAMES = new Map<string, string>([
  ['@yearly', '0 0 1 1 *'],
  ['@annually', '0 0 1 1 *'],
  ['@monthly', '0 0 1 * *'],
  ['@weekly', '0 0 * * 0'],
  ['@daily', '0 0 * * *'],
  ['@midnight', '0 0 * * *'],
  ['@hourly', '0 * * * *'],
]);

/**
 * Longest a DST change moves the clock (Antarctica/Troll: 2 h), plus margin.
 * Near a change, wall-time order and real-time order can disagree by this much.
 */
const SHIFT_MARGIN_MS = 3 * 3_600_000;

/** Bounds the careful search near a DST change; a minutely cron needs ~400 steps. */
const MAX_SEARCH_STEPS = 5_000;

/** A validated five-field cron expression in an IANA time zone. */
export interface CronRule {
  /** The five fields, single-spaced, nicknames written out. */
  readonly fields: string;
  readonly tz: string;
  /**
   * cronie's "wildcard" jobs (minute or hour field starting with `*`) run by
   * the clock as it is; fixed-time jobs are caught up after a jump forward
   * and run once when an hour repeats. See `nextCronFire`.
   */
  readonly wildcard: boolean;
}

/** Parses `expression` (five fields or a nickname such as `@daily`); throws ValidationError. */
export function parseCron(expression: string, tz: string): CronRule {
  const trimmed = expression.trim().replace(/\s+/g, ' ');
  const fields = NICKNAMES.get(trimmed.toLowerCase()) ?? trimmed;
  const parts = fields.split(' ');
  if (parts.length !== 5 || fields === '') {
    throw invalidCron(
      expression,
      `expected 5 fields (minute hour day-of-month month day-of-week), got ${fields === '' ? 0 : parts.length}`,
    );
  }
  parts.forEach((part, index) => {
    const probe = parts.map((_, i) => (i === index ? part : '*')).join(' ');
    try {
      CronExpressionParser.parse(probe, { tz: 'UTC' });
    } catch (error) {
      throw invalidCron(expression, describeFieldError(FIELD_NAMES[index] ?? 'field', part, error));
    }
  });
  try {
    CronExpressionParser.parse(fields, { tz: 'UTC' });
  } catch (error) {
    throw invalidCron(expression, errorMessage(error).toLowerCase());
  }
  const [minute = '', hour = ''] = parts;
  return { fields, tz, wildcard: minute.startsWith('*') || hour.startsWith('*') };
}

function invalidCron(expression: string, why: string): ValidationError {
  return new ValidationError(ValidationCode.invalidCron, 'cron', `"${expression}" is not a valid cron expression (${why})`);
}

function describeFieldError(field: string, value: string, error: unknown): string {
  const range = /got value (\S+) expected range (\d+)-(\d+)/.exec(errorMessage(error));
  if (range) return `${field} ${range[1]} out of range (${range[2]}-${range[3]})`;
  return `${field} "${value}" is not valid`;
}

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Parsed expressions over floating wall time, reused because parsing dominates the cost. */
const wallIterators = new Map<string, CronExpression>();

/** The first wall time strictly after `wall` that matches the fields. */
function nextWallMatch(fields: string, wall: number): number {
  let iterator = wallIterators.get(fields);
  if (!iterator) {
    if (wallIterators.size >= 10_000) wallIterators.clear();
    iterator = CronExpressionParser.parse(fields, { tz: 'UTC', currentDate: new Date(wall) });
    wallIterators.set(fields, iterator);
  } else {
    iterator.reset(new Date(wall));
  }
  return iterator.next().getTime();
}

/** The instants at which cronie runs a job whose fields match `wall`. */
function firesAt(rule: CronRule, wall: number): number[] {
  const resolved = instantsOf(rule.tz, wall);
  switch (resolved.kind) {
    case 'single':
      return [resolved.at];
    case 'repeated':
      return rule.wildcard ? [resolved.first, resolved.second] : [resolved.first];
    case 'skipped':
      return rule.wildcard ? [] : [resolved.jumpAt];
  }
}

/**
 * When cron next runs the job, strictly after `after`, as cronie does it:
 * a fixed-time job inside a skipped hour runs at the jump (Berlin's
 * `30 2 * * *` on 2026-03-29 runs at 03:00 CEST, where cron-parser says 03:30),
 * and inside a repeated hour it runs once, at the first pass; wildcard jobs
 * follow the clock, so they skip the gap and run in both passes.
 */
export function nextCronFire(rule: CronRule, after: Date): Date {
  const afterMs = after.getTime();
  const quiet = offsetAt(rule.tz, afterMs - SHIFT_MARGIN_MS) === offsetAt(rule.tz, afterMs + SHIFT_MARGIN_MS);
  if (quiet) {
    // No offset change near `after`: wall order is real order, so the first
    // wall match is the answer unless it falls in a gap or overlap itself.
    const [only, ...more] = firesAt(rule, nextWallMatch(rule.fields, wallTimeOf(rule.tz, afterMs)));
    if (only !== undefined && more.length === 0 && only > afterMs) return new Date(only);
  }
  return new Date(carefulNextFire(rule, afterMs));
}

/** Walks wall times from a margin before `after` and keeps the earliest real fire time. */
function carefulNextFire(rule: CronRule, afterMs: number): number {
  let best = Number.POSITIVE_INFINITY;
  let wall = wallTimeOf(rule.tz, afterMs) - SHIFT_MARGIN_MS;
  for (let step = 0; step < MAX_SEARCH_STEPS; step++) {
    wall = nextWallMatch(rule.fields, wall);
    if (best !== Number.POSITIVE_INFINITY && wall > wallTimeOf(rule.tz, best) + SHIFT_MARGIN_MS) return best;
    for (const at of firesAt(rule, wall)) {
      if (at > afterMs && at < best) best = at;
    }
  }
  if (best !== Number.POSITIVE_INFINITY) return best;
  throw new Error(`cron "${rule.fields}" in ${rule.tz}: no run time found after ${new Date(afterMs).toISOString()}`);
}
