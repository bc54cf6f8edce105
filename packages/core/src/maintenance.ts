/**
 * Maintenance windows: planned downtime during which a covered check still
 * records pings and changes status, but alerts nobody. A window is one-off
 * (two instants) or recurring (a cron expression in a zone, each fire time
 * opening an occurrence that lasts `duration` seconds of real time). Pure.
 */
import { ValidationCode, ValidationError } from './errors';
import { type CronRule, nextCronFire, parseCron, parseTimeZone } from './schedule';
import { DAY, MINUTE } from './time';

export const MAINTENANCE_LIMITS = {
  /** A recurring window's occurrence, in seconds: 1 minute … 7 days. */
  duration: { min: MINUTE, max: 7 * DAY },
  /** Longest one-off window, in seconds: 31 days. */
  once: { max: 31 * DAY },
  /** Characters of a window's name. */
  name: { min: 1, max: 200 },
  /** Tags or check ids one window may list. */
  targets: { max: 50 },
} as const;

/** What a window covers: every check of its project, checks with any of the tags, or the listed checks. */
export type WindowCoverage =
  | { kind: 'project' }
  | { kind: 'tags'; tags: readonly string[] }
  | { kind: 'checks'; checkIds: readonly string[] };

/** When a window is open: between two instants, or for `duration` seconds from each fire time of `cron` in `tz`. */
export type MaintenanceSchedule =
  | { kind: 'once'; startsAt: Date; endsAt: Date }
  | { kind: 'recurring'; cron: string; tz: string; duration: number };

/** A window as validated input, before it is stored. */
export type MaintenanceWindowSpec = { name: string; coverage: WindowCoverage } & MaintenanceSchedule;

/**
 * A stored window. `endedAt` is set when someone ended it early: a one-off
 * window is over from then, a recurring one loses the rest of the
 * occurrence that was in force then.
 */
export type MaintenanceWindow = { id: string; name: string; coverage: WindowCoverage; endedAt: Date | null } & MaintenanceSchedule;

/** One stretch of maintenance: `start` ≤ t < `end`. */
export interface Occurrence {
  windowId: string;
  name: string;
  start: Date;
  end: Date;
}

/** What people send; `tz` defaults to UTC. */
export type MaintenanceWindowInput = { name: string; coverage: WindowCoverage } & (
  | { kind: 'once'; startsAt: Date; endsAt: Date }
  | { kind: 'recurring'; cron: string; tz?: string | undefined; duration: number }
);

/**
 * Validates a window and returns it in canonical form (name trimmed, cron
 * written out, zone canonical, tags and ids without repeats); throws
 * ValidationError naming the field as the API does (`name`, `startsAt`,
 * `endsAt`, `cron`, `tz`, `duration`, `tags`, `checks`).
 */
export function parseMaintenanceWindow(input: MaintenanceWindowInput): MaintenanceWindowSpec {
  const name = input.name.trim();
  if (name.length < MAINTENANCE_LIMITS.name.min || name.length > MAINTENANCE_LIMITS.name.max) {
    throw invalid('name', `must be ${MAINTENANCE_LIMITS.name.min} to ${MAINTENANCE_LIMITS.name.max} characters, got ${name.length}`);
  }
  const coverage = parseCoverage(input.coverage);
  if (input.kind === 'once') {
    const { startsAt, endsAt } = input;
    if (Number.isNaN(startsAt.getTime())) throw invalid('startsAt', 'is not a valid date and time');
    if (Number.isNaN(endsAt.getTime())) throw invalid('endsAt', 'is not a valid date and time');
    if (endsAt.getTime() <= startsAt.getTime()) {
      throw invalid('endsAt', `must be after startsAt (${startsAt.toISOString()}), got ${endsAt.toISOString()}`);
    }
    if (endsAt.getTime() - startsAt.getTime() > MAINTENANCE_LIMITS.once.max * 1000) {
      throw invalid('endsAt', `a one-off window lasts at most ${MAINTENANCE_LIMITS.once.max / DAY} days after startsAt`);
    }
    return { name, coverage, kind: 'once', startsAt, endsAt };
  }
  const tz = parseTimeZone(input.tz ?? 'UTC');
  const cron = parseCron(input.cron, tz).fields;
  const { min, max } = MAINTENANCE_LIMITS.duration;
  if (!Number.isInteger(input.duration) || input.duration < min || input.duration > max) {
    throw invalid('duration', `must be a whole number of seconds between ${min} (1 minute) and ${max} (7 days), got ${input.duration}`);
  }
  return { name, coverage, kind: 'recurring', cron, tz, duration: input.duration };
}

function parseCoverage(coverage: WindowCoverage): WindowCoverage {
  if (coverage.kind === 'project') return { kind: 'project' };
  const field = coverage.kind === 'tags' ? 'tags' : 'checks';
  const values = [...new Set(coverage.kind === 'tags' ? coverage.tags : coverage.checkIds)];
  if (values.length === 0) throw invalid(field, `must list at least one ${coverage.kind === 'tags' ? 'tag' : 'check'}`);
  if (values.length > MAINTENANCE_LIMITS.targets.max) {
    throw invalid(field, `lists at most ${MAINTENANCE_LIMITS.targets.max}, got ${values.length}`);
  }
  return coverage.kind === 'tags' ? { kind: 'tags', tags: values } : { kind: 'checks', checkIds: values };
}

const invalid = (field: string, message: string) => new ValidationError(ValidationCode.invalidMaintenanceWindow, field, message);

/** Whether the window covers the check: its project, any of its tags, or its id. */
export function coversCheck(window: Pick<MaintenanceWindow, 'coverage'>, check: { id: string; tags: readonly string[] }): boolean {
  const { coverage } = window;
  switch (coverage.kind) {
    case 'project':
      return true;
    case 'tags':
      return coverage.tags.some((tag) => check.tags.includes(tag));
    case 'checks':
      return coverage.checkIds.includes(check.id);
  }
}

/** The occurrence in force at `at` (start ≤ at < end), or null. */
export function occurrenceAt(window: MaintenanceWindow, at: Date): Occurrence | null {
  const atMs = at.getTime();
  if (window.kind === 'once') {
    const span = onceSpan(window);
    return span && span.start <= atMs && atMs < span.end ? occurrence(window, span) : null;
  }
  const span = recurringSpanAt(window, atMs);
  if (!span) return null;
  const cut = cutAtEnd(window, span);
  return cut && atMs < cut.end ? occurrence(window, cut) : null;
}

/** The first occurrence that starts strictly after `after`, or null (a one-off window that has begun has none). */
export function nextOccurrence(window: MaintenanceWindow, after: Date): Occurrence | null {
  const afterMs = after.getTime();
  if (window.kind === 'once') {
    const span = onceSpan(window);
    return span && span.start > afterMs ? occurrence(window, span) : null;
  }
  // Start after the stretch in force, if any: its later fire times belong to it.
  let from = recurringSpanAt(window, afterMs)?.end ?? afterMs;
  for (let step = 0; step < MAX_CHAIN_STEPS; step++) {
    const span = recurringSpanFrom(window, nextFire(window, from));
    const cut = cutAtEnd(window, span);
    if (cut) return occurrence(window, cut);
    from = span.end;
  }
  return null;
}

/**
 * Whether the check is under maintenance at `at`: of the windows that cover
 * it and are in force, the occurrence that ends last (the first listed on a tie).
 */
export function maintenanceAt(
  windows: readonly MaintenanceWindow[],
  check: { id: string; tags: readonly string[] },
  at: Date,
): Occurrence | null {
  let latest: Occurrence | null = null;
  for (const window of windows) {
    if (!coversCheck(window, check)) continue;
    const current = occurrenceAt(window, at);
    if (current && (!latest || current.end.getTime() > latest.end.getTime())) latest = current;
  }
  return latest;
}

/** The first occurrence of a window covering the check that starts strictly after `after` (the first listed on a tie). */
export function nextMaintenance(
  windows: readonly MaintenanceWindow[],
  check: { id: string; tags: readonly string[] },
  after: Date,
): Occurrence | null {
  let earliest: Occurrence | null = null;
  for (const window of windows) {
    if (!coversCheck(window, check)) continue;
    const next = nextOccurrence(window, after);
    if (next && (!earliest || next.start.getTime() < earliest.start.getTime())) earliest = next;
  }
  return earliest;
}

/** A stretch of maintenance in epoch milliseconds, start ≤ t < end. */
interface Span {
  start: number;
  end: number;
}

const occurrence = (window: MaintenanceWindow, span: Span): Occurrence => ({
  windowId: window.id,
  name: window.name,
  start: new Date(span.start),
  end: new Date(span.end),
});

function onceSpan(window: Extract<MaintenanceWindow, { kind: 'once' }>): Span | null {
  const start = window.startsAt.getTime();
  const end = Math.min(window.endsAt.getTime(), window.endedAt?.getTime() ?? Number.POSITIVE_INFINITY);
  return end > start ? { start, end } : null;
}

/** Ending early cuts the stretch in force at `endedAt`; null when nothing of it is left. */
function cutAtEnd(window: MaintenanceWindow, span: Span): Span | null {
  const endedAt = window.endedAt?.getTime();
  if (endedAt === undefined || endedAt < span.start || endedAt >= span.end) return span;
  return endedAt > span.start ? { start: span.start, end: endedAt } : null;
}

/**
 * Bounds how far a chain of overlapping occurrences is followed either way:
 * a minutely cron with a one-hour duration never stops overlapping, and
 * following it for months costs seconds per question. Such a window still
 * answers "in force or not" exactly; its stretch's start and end are
 * reported at most this many steps (each at least one duration) away.
 */
const MAX_CHAIN_STEPS = 24;

type RecurringWindow = Extract<MaintenanceWindow, { kind: 'recurring' }>;

const cronRules = new Map<string, CronRule>();

/** A stored window's cron was validated on the way in; parse it once per process. */
function ruleOf(window: RecurringWindow): CronRule {
  const key = `${window.tz} ${window.cron}`;
  let rule = cronRules.get(key);
  if (!rule) {
    if (cronRules.size >= 10_000) cronRules.clear();
    rule = parseCron(window.cron, window.tz);
    cronRules.set(key, rule);
  }
  return rule;
}

/** The first fire time strictly after `after`, by core's cronie rules in the window's zone. */
const nextFire = (window: RecurringWindow, after: number): number => nextCronFire(ruleOf(window), new Date(after)).getTime();

/**
 * The stretch in force at `at` before any early end: fire times whose
 * occurrences overlap or touch are one stretch, from the earliest start to
 * the latest end. Null when no occurrence covers `at`.
 */
function recurringSpanAt(window: RecurringWindow, at: number): Span | null {
  const length = window.duration * 1000;
  // An occurrence covers `at` when it fired in (at - duration, at].
  const first = nextFire(window, at - length);
  if (first > at) return null;
  let start = first;
  for (let step = 0; step < MAX_CHAIN_STEPS; step++) {
    // An earlier fire in [start - duration, start) runs into this one.
    const earlier = nextFire(window, start - length - 1);
    if (earlier >= start) break;
    start = earlier;
  }
  return { start, end: chainEnd(window, lastFireUpTo(window, first, at)) };
}

/** The stretch that opens at fire time `start`, which nothing before it overlaps. */
const recurringSpanFrom = (window: RecurringWindow, start: number): Span => ({ start, end: chainEnd(window, start) });

/** Where the stretch ends whose latest known fire time is `latest`: later fires that start before it ends extend it. */
function chainEnd(window: RecurringWindow, latestFire: number): number {
  const length = window.duration * 1000;
  let latest = latestFire;
  for (let step = 0; step < MAX_CHAIN_STEPS; step++) {
    const next = nextFire(window, latest);
    if (next > latest + length) break;
    latest = lastFireUpTo(window, next, latest + length);
  }
  return latest + length;
}

/**
 * The last fire time ≤ `limit`, given `known`, a fire time ≤ `limit`. Usually
 * `known` itself (one lookup); for dense schedules a binary search over
 * "is there a fire after t", since cron can only be asked forwards.
 */
function lastFireUpTo(window: RecurringWindow, known: number, limit: number): number {
  if (nextFire(window, known) > limit) return known;
  let low = known; // some fire after `low` is ≤ limit
  let high = limit; // none after `high` is
  // Fire times are whole seconds at least a minute apart, so a second is fine enough.
  while (high - low > 1000) {
    const middle = Math.floor((low + high) / 2000) * 1000;
    if (nextFire(window, middle) <= limit) low = middle;
    else high = middle;
  }
  return nextFire(window, low);
}
