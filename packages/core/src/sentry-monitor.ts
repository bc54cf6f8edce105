/**
 * Sentry Crons check-ins, in Cronbeat's terms: which check a check-in
 * addresses, what kind of ping it is, its run id, and the check settings
 * a `monitor_config` asks for. Pure: the server parses envelopes and
 * applies what these rules decide.
 */
import { ValidationError } from './errors';
import type { PingKind } from './ping';
import { RUN_POLICY_LIMITS } from './run-policy';
import { parseGrace, parseMaxRuntime, parseSchedule, type Schedule } from './schedule';
import { DAY, HOUR, MINUTE, YEAR } from './time';

/** A check-in Cronbeat cannot use; `field` is named as Sentry names it (`monitor_config.schedule`), the message says why. */
export class CheckInError extends Error {
  override readonly name = 'CheckInError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** Sentry's check-in statuses and the ping each one is. */
const STATUS_KINDS = new Map<string, PingKind>([
  ['in_progress', 'start'],
  ['ok', 'success'],
  ['error', 'fail'],
]);

/** The ping a check-in `status` is: `in_progress` starts a run, `ok` ends it well, `error` ends it failed. */
export function checkInKind(status: unknown): PingKind {
  const kind = typeof status === 'string' ? STATUS_KINDS.get(status) : undefined;
  if (!kind) throw new CheckInError('status', `must be in_progress, ok or error, got ${JSON.stringify(status) ?? 'nothing'}`);
  return kind;
}

const HEX_UUID = /^[0-9a-f]{32}$/i;
const DASHED_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A check-in's `check_in_id` as a run id: SDKs send a UUID as 32 hex digits
 * (Python's `uuid4().hex`), HTTP clients may send the dashed form; both are
 * the same run. Absent or empty: no run id.
 */
export function checkInRunId(id: unknown): string | null {
  if (id === undefined || id === null || id === '') return null;
  if (typeof id === 'string' && DASHED_UUID.test(id)) return id.toLowerCase();
  if (typeof id === 'string' && HEX_UUID.test(id)) {
    const hex = id.toLowerCase();
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  throw new CheckInError('check_in_id', `must be a UUID (32 hex digits, dashes allowed), got ${JSON.stringify(id)}`);
}

/** Sentry's longest monitor slug; longer ones are cut, as Sentry cuts them. */
const MONITOR_SLUG_LIMIT = 50;
/** Sentry's longest environment name. */
const ENVIRONMENT_LIMIT = 64;
/** The environment Sentry assumes when a check-in names none. */
export const DEFAULT_ENVIRONMENT = 'production';
/** Between a monitor's slug and its environment in the check's slug. */
export const ENVIRONMENT_SEPARATOR = '--';

/** Lower-case letters, digits, `-` and `_`, as Sentry makes monitor slugs; other runs of characters become one `-`. */
function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|-+$/g, '');
}

/**
 * The slug of the check a monitor's check-ins go to, one check per monitor
 * and environment, as Sentry tracks each environment of a monitor apart:
 * in `production` (Sentry's default, also when none is named) the monitor's
 * own slug, elsewhere `<monitor-slug>--<environment>`.
 */
export function monitorCheckSlug(monitorSlug: unknown, environment: unknown): string {
  if (typeof monitorSlug !== 'string') throw new CheckInError('monitor_slug', 'is required, a string');
  const monitor = slugify(monitorSlug).slice(0, MONITOR_SLUG_LIMIT);
  if (!monitor) throw new CheckInError('monitor_slug', `needs a letter or digit, got ${JSON.stringify(monitorSlug)}`);
  if (environment === undefined || environment === null || environment === '' || environment === DEFAULT_ENVIRONMENT) return monitor;
  if (typeof environment !== 'string' || environment.length > ENVIRONMENT_LIMIT) {
    throw new CheckInError('environment', `must be a name of at most ${ENVIRONMENT_LIMIT} characters`);
  }
  const env = slugify(environment);
  if (!env) throw new CheckInError('environment', `needs a letter or digit, got ${JSON.stringify(environment)}`);
  return `${monitor}${ENVIRONMENT_SEPARATOR}${env}`;
}

/** What a `monitor_config` sets on its check. */
/** The schedules a monitor_config can ask for: a crontab in a zone, or an interval. */
export type MonitorSchedule = Extract<Schedule, { kind: 'cron' } | { kind: 'period' }>;

export interface MonitorSettings {
  schedule: MonitorSchedule;
  /** Seconds. */
  grace: number;
  /** Seconds. */
  maxRuntime: number;
  failureThreshold: number;
  recoveryThreshold: number;
}

/** Seconds in each of Sentry's interval units; a month is 30 days, a year 365. */
const INTERVAL_UNITS = new Map<string, number>([
  ['minute', MINUTE],
  ['hour', HOUR],
  ['day', DAY],
  ['week', 7 * DAY],
  ['month', 30 * DAY],
  ['year', YEAR],
]);

/** Sentry's defaults for what a `monitor_config` leaves out, in minutes. */
const SENTRY_DEFAULTS = { checkinMargin: 1, maxRuntime: 30, threshold: 1 } as const;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The fields read from a `monitor_config` and its `schedule`, each of any type until checked. Named
 * rather than read off `Record<string, unknown>`: the client's type bundler (dts-bundle-generator)
 * fails on a property of an index signature ("Cannot find symbol for node").
 */
interface UncheckedMonitorConfig {
  schedule?: unknown;
  timezone?: unknown;
}
interface UncheckedSchedule {
  type?: unknown;
  value?: unknown;
  unit?: unknown;
}

/**
 * The check settings a `monitor_config` asks for. As in Sentry, an upsert
 * sets the whole monitor: what it leaves out takes Sentry's default
 * (`checkin_margin` 1 minute, `max_runtime` 30 minutes, thresholds 1).
 * `checkin_margin` is the grace, `max_runtime` the longest run, both in
 * minutes; the thresholds are the alert policy's failed and successful runs
 * in a row.
 */
export function monitorSettings(config: unknown): MonitorSettings {
  if (!isRecord(config)) throw new CheckInError('monitor_config', 'must be an object');
  const { schedule: given, timezone }: UncheckedMonitorConfig = config;
  const schedule = monitorSchedule(given, timezone);
  return {
    schedule,
    grace: minutes(config, 'checkin_margin', SENTRY_DEFAULTS.checkinMargin, parseGrace),
    maxRuntime: minutes(config, 'max_runtime', SENTRY_DEFAULTS.maxRuntime, (seconds) => parseMaxRuntime(seconds) ?? seconds),
    failureThreshold: threshold(config, 'failure_issue_threshold'),
    recoveryThreshold: threshold(config, 'recovery_threshold'),
  };
}

function monitorSchedule(given: unknown, timezone: unknown): MonitorSchedule {
  const field = 'monitor_config.schedule';
  if (!isRecord(given)) throw new CheckInError(field, 'must be {type: "crontab", value} or {type: "interval", value, unit}');
  const { type, value, unit: unitName }: UncheckedSchedule = given;
  if (timezone !== undefined && timezone !== null && typeof timezone !== 'string') {
    throw new CheckInError('monitor_config.timezone', 'must be an IANA time zone name');
  }
  if (type === 'crontab') {
    if (typeof value !== 'string') throw new CheckInError(`${field}.value`, 'must be a crontab expression');
    const crontab = withoutSeconds(value);
    return domainRule(`${field}.value`, () => parseSchedule({ cron: crontab, tz: timezone || 'UTC' }) as MonitorSchedule);
  }
  if (type === 'interval') {
    const unit = typeof unitName === 'string' ? INTERVAL_UNITS.get(unitName) : undefined;
    if (!unit) throw new CheckInError(`${field}.unit`, `must be one of ${[...INTERVAL_UNITS.keys()].join(', ')}`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new CheckInError(`${field}.value`, `must be a whole number of ${unitName}s, at least 1`);
    }
    return domainRule(`${field}.value`, () => parseSchedule({ period: value * unit }) as MonitorSchedule);
  }
  throw new CheckInError(`${field}.type`, `must be crontab or interval, got ${JSON.stringify(type) ?? 'nothing'}`);
}

/**
 * A crontab as our cron rules read it. Six fields are the `cron` and
 * `node-cron` packages' form, seconds first: checks expect pings to the
 * minute, so the seconds are dropped (`* * * * * *` expects one a minute).
 */
function withoutSeconds(crontab: string): string {
  const fields = crontab.trim().split(/\s+/);
  return fields.length === 6 ? fields.slice(1).join(' ') : crontab;
}

/** A domain refusal (the zone, the expression, the bounds), named as the check-in names the field. */
function domainRule<T>(field: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ValidationError) {
      const name = error.field === 'tz' ? 'monitor_config.timezone' : field;
      throw new CheckInError(name, error.message);
    }
    throw error;
  }
}

function minutes(config: Record<string, unknown>, name: string, fallback: number, parse: (seconds: number) => number): number {
  const value = config[name] ?? fallback;
  const most = YEAR / MINUTE;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > most) {
    throw new CheckInError(
      `monitor_config.${name}`,
      `must be a whole number of minutes from 1 to ${most} (a year), got ${JSON.stringify(value)}`,
    );
  }
  return parse(value * MINUTE);
}

function threshold(config: Record<string, unknown>, name: string): number {
  const value = config[name] ?? SENTRY_DEFAULTS.threshold;
  const { min, max } = RUN_POLICY_LIMITS.threshold;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new CheckInError(`monitor_config.${name}`, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}
