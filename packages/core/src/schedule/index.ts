import { ValidationCode, ValidationError } from '../errors';
import { addSeconds, MINUTE, YEAR } from '../time';
import { type CronRule, nextCronFire, parseCron } from './cron';
import { nextOnCalendarFire, type OnCalendarRule, parseOnCalendar } from './oncalendar';
import { parseTimeZone } from './zone';

export { type CronRule, nextCronFire, parseCron } from './cron';
export { nextOnCalendarFire, type OnCalendarRule, parseOnCalendar } from './oncalendar';
export { ON_CALENDAR_MAX_LENGTH } from './oncalendar-spec';
export { offsetAt, parseTimeZone } from './zone';

/**
 * How often a job is expected: every `period` seconds, when a cron expression
 * fires in a zone, or when systemd OnCalendar expressions (one per line) elapse
 * in a zone (an expression may name its own).
 */
export type Schedule =
  | { kind: 'period'; period: number }
  | { kind: 'cron'; cron: string; tz: string }
  | { kind: 'oncalendar'; onCalendar: string; tz: string };

/** Schedules that expect runs at times of day, not at intervals (the early-run policy applies to them). */
export const isCalendarSchedule = (schedule: Schedule): schedule is Exclude<Schedule, { kind: 'period' }> => schedule.kind !== 'period';

/** Shortest and longest period and grace, in seconds. */
export const SCHEDULE_LIMITS = { min: MINUTE, max: YEAR } as const;

/** What people send: a period, or a cron or OnCalendar expression with an optional zone (default `UTC`). */
export type ScheduleInput =
  | { period: number }
  | { cron: string; tz?: string | undefined }
  | { onCalendar: string; tz?: string | undefined };

/** Validates a schedule and returns it in canonical form; throws ValidationError. */
export function parseSchedule(input: ScheduleInput): Schedule {
  if ('cron' in input) {
    const tz = parseTimeZone(input.tz ?? 'UTC');
    return { kind: 'cron', cron: parseCron(input.cron, tz).fields, tz };
  }
  if ('onCalendar' in input) {
    const tz = parseTimeZone(input.tz ?? 'UTC');
    return { kind: 'oncalendar', onCalendar: parseOnCalendar(input.onCalendar, tz).text, tz };
  }
  assertSeconds(input.period, 'period', ValidationCode.invalidPeriod);
  return { kind: 'period', period: input.period };
}

/** Validates a grace time in seconds (60 s … 1 year). */
export function parseGrace(grace: number): number {
  assertSeconds(grace, 'grace', ValidationCode.invalidGrace);
  return grace;
}

/** Validates an optional max runtime in seconds (60 s … 1 year, or null for "use the grace time"). */
export function parseMaxRuntime(maxRuntime: number | null): number | null {
  if (maxRuntime !== null) assertSeconds(maxRuntime, 'maxRuntime', ValidationCode.invalidMaxRuntime);
  return maxRuntime;
}

function assertSeconds(value: number, field: string, code: ValidationCode): void {
  if (!Number.isInteger(value) || value < SCHEDULE_LIMITS.min || value > SCHEDULE_LIMITS.max) {
    throw new ValidationError(
      code,
      field,
      `${field} must be a whole number of seconds between ${SCHEDULE_LIMITS.min} (1 minute) and ${SCHEDULE_LIMITS.max} (1 year), got ${value}`,
    );
  }
}

/** Stored schedules were validated on the way in; parse each once per process. */
function memoized<Rule>(parse: (text: string, tz: string) => Rule): (text: string, tz: string) => Rule {
  const rules = new Map<string, Rule>();
  return (text, tz) => {
    const key = `${tz} ${text}`;
    let rule = rules.get(key);
    if (!rule) {
      if (rules.size >= 10_000) rules.clear();
      rule = parse(text, tz);
      rules.set(key, rule);
    }
    return rule;
  };
}

// Marked pure: a bundler keeps a top-level call, and with it the cron parser and Luxon, in every
// bundle that imports anything of core's (the dashboard's, through the contract's plain values).
const cronRuleOf = /* @__PURE__ */ memoized<CronRule>(parseCron);
const onCalendarRuleOf = /* @__PURE__ */ memoized<OnCalendarRule>(parseOnCalendar);

/**
 * When the job is next expected to ping, given that it last pinged at `after`;
 * null when the schedule never fires again (an OnCalendar expression naming
 * a past date, such as `2024-01-01`), so the job is not expected at all.
 */
export function nextExpected(schedule: Schedule, after: Date): Date | null {
  switch (schedule.kind) {
    case 'period':
      return addSeconds(after, schedule.period);
    case 'cron':
      return nextCronFire(cronRuleOf(schedule.cron, schedule.tz), after);
    case 'oncalendar':
      return nextOnCalendarFire(onCalendarRuleOf(schedule.onCalendar, schedule.tz), after);
  }
}

/** Up to `count` next expected times after `after`, for showing people what a schedule means. */
export function upcoming(schedule: Schedule, after: Date, count: number): Date[] {
  const times: Date[] = [];
  let at: Date | null = nextExpected(schedule, after);
  while (at !== null && times.length < count) {
    times.push(at);
    at = times.length < count ? nextExpected(schedule, at) : null;
  }
  return times;
}
