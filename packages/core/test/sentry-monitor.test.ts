import { describe, expect, it } from 'vitest';
import { CheckInError, checkInKind, checkInRunId, monitorCheckSlug, monitorSettings } from '../src';

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof CheckInError) return error.message;
    throw error;
  }
  throw new Error('not refused');
};

describe('a Sentry check-in as a ping', () => {
  it.each([
    ['in_progress', 'start'],
    ['ok', 'success'],
    ['error', 'fail'],
  ])('status %s is a %s ping', (status, kind) => {
    expect(checkInKind(status)).toBe(kind);
  });

  it('refuses other statuses, naming the field', () => {
    expect(refusal(() => checkInKind('missed'))).toBe('status: must be in_progress, ok or error, got "missed"');
    expect(refusal(() => checkInKind(undefined))).toMatch(/^status: .*got nothing/);
  });

  it('reads check_in_id as a run id, hex or dashed, any case', () => {
    expect(checkInRunId('0123456789ABCDEF0123456789abcdef')).toBe('01234567-89ab-cdef-0123-456789abcdef');
    expect(checkInRunId('01234567-89AB-cdef-0123-456789abcdef')).toBe('01234567-89ab-cdef-0123-456789abcdef');
    expect(checkInRunId(undefined)).toBeNull();
    expect(checkInRunId('')).toBeNull();
    expect(refusal(() => checkInRunId('run-42'))).toMatch(/^check_in_id: must be a UUID/);
    expect(refusal(() => checkInRunId(42))).toMatch(/^check_in_id: /);
  });
});

describe('the check a monitor and environment go to', () => {
  it('is the monitor slug in production or when no environment is named', () => {
    expect(monitorCheckSlug('nightly-backup', 'production')).toBe('nightly-backup');
    expect(monitorCheckSlug('nightly-backup', undefined)).toBe('nightly-backup');
    expect(monitorCheckSlug('nightly-backup', '')).toBe('nightly-backup');
  });

  it('is <monitor>--<environment> elsewhere, so each environment is its own check', () => {
    expect(monitorCheckSlug('nightly-backup', 'staging')).toBe('nightly-backup--staging');
    expect(monitorCheckSlug('nightly-backup', 'EU West')).toBe('nightly-backup--eu-west');
  });

  it('makes a slug of what Sentry would, cut at 50 characters', () => {
    expect(monitorCheckSlug('My Job: Daily!', undefined)).toBe('my-job-daily');
    expect(monitorCheckSlug('x'.repeat(80), undefined)).toHaveLength(50);
  });

  it('refuses a monitor slug or environment with nothing to keep', () => {
    expect(refusal(() => monitorCheckSlug('!!!', undefined))).toMatch(/^monitor_slug: needs a letter or digit/);
    expect(refusal(() => monitorCheckSlug(undefined, undefined))).toMatch(/^monitor_slug: is required/);
    expect(refusal(() => monitorCheckSlug('job', '***'))).toMatch(/^environment: needs a letter or digit/);
    expect(refusal(() => monitorCheckSlug('job', 'e'.repeat(65)))).toMatch(/^environment: must be a name of at most 64/);
  });
});

describe('the settings a monitor_config asks for', () => {
  it('maps a crontab, its zone, the margin, the longest run and the thresholds', () => {
    const settings = monitorSettings({
      schedule: { type: 'crontab', value: '30 2 * * *' },
      timezone: 'Europe/Berlin',
      checkin_margin: 5,
      max_runtime: 90,
      failure_issue_threshold: 3,
      recovery_threshold: 2,
    });
    expect(settings).toEqual({
      schedule: { kind: 'cron', cron: '30 2 * * *', tz: 'Europe/Berlin' },
      grace: 300,
      maxRuntime: 5400,
      failureThreshold: 3,
      recoveryThreshold: 2,
    });
  });

  it("gives what is left out Sentry's defaults (UTC, 1 minute margin, 30 minutes runtime, thresholds 1)", () => {
    expect(monitorSettings({ schedule: { type: 'crontab', value: '@hourly' } })).toEqual({
      schedule: { kind: 'cron', cron: '0 * * * *', tz: 'UTC' },
      grace: 60,
      maxRuntime: 1800,
      failureThreshold: 1,
      recoveryThreshold: 1,
    });
  });

  it.each([
    [2, 'minute', 120],
    [3, 'hour', 10_800],
    [1, 'day', 86_400],
    [2, 'week', 1_209_600],
    [1, 'month', 2_592_000],
    [1, 'year', 31_536_000],
  ])('maps an interval of %i %s to a period of %i seconds', (value, unit, period) => {
    expect(monitorSettings({ schedule: { type: 'interval', value, unit } }).schedule).toEqual({ kind: 'period', period });
  });

  it("reads the cron package's six fields without the seconds", () => {
    expect(monitorSettings({ schedule: { type: 'crontab', value: '* * * * * *' } }).schedule).toEqual({
      kind: 'cron',
      cron: '* * * * *',
      tz: 'UTC',
    });
    expect(monitorSettings({ schedule: { type: 'crontab', value: '0 15 9 * * 1-5' } }).schedule).toMatchObject({ cron: '15 9 * * 1-5' });
  });

  it.each([
    [{ schedule: 'daily' }, /^monitor_config.schedule: must be/],
    [{ schedule: { type: 'weekly' } }, /^monitor_config.schedule.type: must be crontab or interval/],
    [{ schedule: { type: 'crontab', value: 'every day' } }, /^monitor_config.schedule.value: /],
    [{ schedule: { type: 'interval', value: 0, unit: 'day' } }, /^monitor_config.schedule.value: must be a whole number of days/],
    [{ schedule: { type: 'interval', value: 2, unit: 'fortnight' } }, /^monitor_config.schedule.unit: must be one of minute/],
    [{ schedule: { type: 'interval', value: 2, unit: 'year' } }, /^monitor_config.schedule.value: period must be/],
    [{ schedule: { type: 'crontab', value: '0 * * * *' }, timezone: 'Mars/Base' }, /^monitor_config.timezone: unknown time zone/],
    [
      { schedule: { type: 'crontab', value: '0 * * * *' }, checkin_margin: 0 },
      /^monitor_config.checkin_margin: must be a whole number of minutes/,
    ],
    [{ schedule: { type: 'crontab', value: '0 * * * *' }, max_runtime: 'long' }, /^monitor_config.max_runtime: /],
    [
      { schedule: { type: 'crontab', value: '0 * * * *' }, failure_issue_threshold: 720 },
      /^monitor_config.failure_issue_threshold: .* 1 to 100/,
    ],
    [{ schedule: { type: 'crontab', value: '0 * * * *' }, recovery_threshold: 1.5 }, /^monitor_config.recovery_threshold: /],
    ['hourly', /^monitor_config: must be an object/],
  ])('refuses %j, naming the field', (config, message) => {
    expect(refusal(() => monitorSettings(config))).toMatch(message);
  });
});
