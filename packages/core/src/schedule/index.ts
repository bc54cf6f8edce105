import { ValidationCode, ValidationError } from '../errors';
import { addSeconds, MINUTE, YEAR } from '../time';
import { type CronRule, nextCronFire, parseCron } from './cron';
import { parseTimeZone } from './zone';

export { type CronRule, nextCronFire, parseCron } from './cron';
export { offsetAt, parseTimeZone } from './zone';

/** How often a job is expected: every `period` seconds, or when a cron expression fires in a zone. */
export type Schedule = { kind: 'period'; period: number } | { kind: 'cron'; cron: string; tz: string };

/** Shortest and longest period and grace, in seconds. */
export const SCHEDULE_LIMITS = { min: MINUTE, max: YEAR } as const;

/** What people send: either a period, or a cron expression with an optional zone (default `UTC`). */
export type ScheduleInput = { period: number } | { cron: string; tz?: string | undefined };

/** Validates a schedule and returns it in canonical form; throws ValidationError. */
export function parseSchedule(input: ScheduleInput): Schedule {
  if ('cron' in input) {
    const tz = parseTimeZone(input.tz ?? 'UTC');
    return { kind: 'cron', cron: parseCron(input.cron, tz).fields, tz };
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

const cronRules = new Map<string, CronRule>();

/** A stored cron schedule was validated on the way in; parse it once per process. */
function cronRuleOf(schedule: { cron: string; tz: string }): CronRule {
  const key = `${schedule.tz} ${schedule.cron}`;
  let rule = cronRules.get(key);
  if (!rule) {
    if (cronRules.size >= 10_000) cronRules.clear();
    rule = parseCron(schedule.cron, schedule.tz);
    cronRules.set(key, rule);
  }
  return rule;
}

/** When the job is next expected to ping, given that it last pinged at `after`. */
export function nextExpected(schedule: Schedule, after: Date): Date {
  return schedule.kind === 'period' ? addSeconds(after, schedule.period) : nextCronFire(cronRuleOf(schedule), after);
}

/** The next `count` expected times after `after`, for showing people what a schedule means. */
export function upcoming(schedule: Schedule, after: Date, count: number): Date[] {
  const times: Date[] = [];
  let at = after;
  for (let i = 0; i < count; i++) {
    at = nextExpected(schedule, at);
    times.push(at);
  }
  return times;
}
