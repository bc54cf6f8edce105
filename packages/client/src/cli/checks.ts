import { parseArgs } from 'node:util';
import { isUuid } from '@cronbeat/contract/rules';
import {
  type DurationAnomalyInput,
  durationBounds,
  POLICY_LIMITS,
  readDurationAnomalyFlag,
  readEarlyTolerance,
  readKeyword,
  readMaxConcurrentRuns,
  readThreshold,
} from '../alert-policy.js';
import { ApiError, type Check, type CheckInput, CronbeatApi } from '../api.js';
import { formatDuration, parseDuration } from '../duration.js';
import { settingsFrom } from '../settings.js';
import { CONNECTION_OPTIONS, connectionOverrides, UsageError, usageErrors } from './args.js';
import { ago, formatTable } from './table.js';

export const CHECKS_USAGE = `cronbeat checks list [--tag t]… [--status s] [--json]
cronbeat checks get <id|slug> [--json]
cronbeat checks create --name <name> [--slug s] (--period 1d | --cron "<expr>" [--tz Zone]) [--grace 1h] [--remind-every 6h] [--tag t]… [--channels "*"] [--depends-on <slug|id>]… [--json]
    [--alert-on-late] [--failure-threshold N] [--recovery-threshold N] [--success-keyword K]… [--failure-keyword K]… [--start-keyword K]…
    [--early-tolerance 10m] [--max-concurrent-runs N] [--duration-anomaly auto|auto:F | --min-duration 30s --max-duration 2h]
cronbeat checks pause|resume|delete <id|slug>`;

const { threshold, earlyTolerance, maxConcurrentRuns, factor } = POLICY_LIMITS;
/** The most checks one check may depend on (the API's limit). */
const MAX_PARENTS = 20;

/** `cronbeat checks create --help`: what each option of a new check means. */
export const CHECKS_CREATE_HELP = `usage: cronbeat checks create --name <name> [options]

  --name <name>              the check's name (required)
  --slug <slug>              lets jobs ping /ping/<ping key>/<slug>
  --period <duration>        a ping is expected this often, e.g. 5m, 1d
  --cron "<expr>"            or a five-field cron schedule, with --tz <Zone> (default UTC)
  --grace <duration>         how late a ping may be before the check goes down
  --remind-every <duration>  alert again this often while the check stays down
  --tag <tag>                repeatable
  --description <text>
  --channels "*"|<ids>       channel ids separated by commas, "*" for all (the default), "" for none
  --depends-on <slug|id>     a check of the project this one depends on; repeatable (at most ${MAX_PARENTS}).
                             While it is down, this check going down alerts nobody on its own:
                             the parent's alert lists it
  --json                     print the new check as JSON

Alert policy (each off or 1 by default):
  --alert-on-late            alert as soon as a ping is overdue, before the grace time runs out
  --failure-threshold <N>    go down only after N failed runs in a row (${threshold.min}-${threshold.max})
  --recovery-threshold <N>   come back up only after N successful runs in a row (${threshold.min}-${threshold.max})
  --success-keyword <K>      a ping whose body contains K (any case) is a successful run; repeatable
  --failure-keyword <K>      a ping whose body contains K (any case) is a failed run; repeatable
  --start-keyword <K>        a ping (or mail) whose body contains K, and no failure or success keyword, starts a run; repeatable
  --early-tolerance <dur>    cron only: a run more than this before its scheduled time fails (${formatDuration(earlyTolerance.min)}-${formatDuration(earlyTolerance.max)})
  --max-concurrent-runs <N>  a start that makes more than N runs open at once fails (${maxConcurrentRuns.min}-${maxConcurrentRuns.max})
  --duration-anomaly auto[:F]
                             a run F times slower or faster than the median of its last runs fails
                             (F ${factor.min}-${factor.max}, default ${factor.default}; judged once 10 runs have completed)
  --min-duration <dur>       a run shorter than this fails (0-7d)
  --max-duration <dur>       a run longer than this fails (0-7d)

Durations take 30s, 15m, 1h, 1d, 1h30m or plain seconds.
`;

const schedule = (check: Check) =>
  check.cron ? `${check.cron} (${check.tz ?? 'UTC'})` : check.period ? `every ${formatDuration(check.period)}` : '';
const status = (check: Check) => (check.running ? `${check.status}, running` : check.status);

function checksTable(checks: Check[]): string {
  return formatTable(
    ['NAME', 'SLUG', 'STATUS', 'SCHEDULE', 'LAST PING', 'ID'],
    checks.map((check) => [check.name, check.slug ?? '', status(check), schedule(check), ago(check.lastPing), check.id]),
  );
}

function checkDetails(check: Check): string {
  const rows: Array<[string, string]> = [
    ['name', check.name],
    ['slug', check.slug ?? ''],
    ['id', check.id],
    ['status', status(check)],
    ['schedule', schedule(check)],
    ['grace', formatDuration(check.grace)],
    ['reminders', check.remindEvery ? `every ${formatDuration(check.remindEvery)} while down` : ''],
    ['in window', check.maintenance ? `until ${check.maintenance.until} (${check.maintenance.name})` : ''],
    ['depends on', check.dependsOn.join(', ')],
    ...policyRows(check),
    ['tags', check.tags.join(', ')],
    ['last ping', ago(check.lastPing)],
    ['next ping', check.nextPing ?? ''],
    ['ping code', check.pingCode ?? ''],
    ['ping url', check.pingUrl ?? ''],
  ];
  return `${rows
    .filter(([, value]) => value !== '')
    .map(([label, value]) => `${`${label}:`.padEnd(11)}${value}`)
    .join('\n')}\n`;
}

/** The check's alert policies that are not at their defaults, one row each, as `checks get` shows them. */
function policyRows(check: Check): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  if (check.alertOnLate) rows.push(['late', 'alerts as soon as a ping is overdue']);
  if (check.failureThreshold > 1) {
    const failing = check.failures > 0 ? ` (failing ${check.failures} of ${check.failureThreshold})` : '';
    rows.push(['down after', `${check.failureThreshold} failed runs in a row${failing}`]);
  }
  if (check.recoveryThreshold > 1) {
    const recovering = check.successes > 0 ? ` (recovering ${check.successes} of ${check.recoveryThreshold})` : '';
    rows.push(['up after', `${check.recoveryThreshold} successful runs in a row${recovering}`]);
  }
  const quoted = (keywords: readonly string[]) => keywords.map((keyword) => JSON.stringify(keyword)).join(', ');
  if (check.successKeywords.length > 0) rows.push(['success if', `body contains ${quoted(check.successKeywords)}`]);
  if (check.failureKeywords.length > 0) rows.push(['failure if', `body contains ${quoted(check.failureKeywords)}`]);
  if (check.startKeywords.length > 0) rows.push(['start if', `body contains ${quoted(check.startKeywords)}`]);
  if (check.earlyTolerance !== null) rows.push(['too early', `more than ${formatDuration(check.earlyTolerance)} before schedule`]);
  if (check.maxConcurrentRuns !== null) rows.push(['overlap', `more than ${check.maxConcurrentRuns} running at once`]);
  const anomaly = check.durationAnomaly;
  if (anomaly?.mode === 'auto') rows.push(['durations', `${anomaly.factor} × slower or faster than the median`]);
  if (anomaly?.mode === 'bounds') {
    const bounds = [
      anomaly.minDuration !== null && `under ${formatDuration(anomaly.minDuration)}`,
      anomaly.maxDuration !== null && `over ${formatDuration(anomaly.maxDuration)}`,
    ].filter(Boolean);
    rows.push(['durations', `fails ${bounds.join(' or ')}`]);
  }
  return rows;
}

/** A policy flag's value read by `read`, or a usage error naming the flag. */
function policyFlag<T>(value: string | undefined, name: string, read: (text: string) => T): T | undefined {
  if (value === undefined) return undefined;
  try {
    return read(value);
  } catch (error) {
    throw new UsageError(`--${name}: ${(error as Error).message}`);
  }
}

/** `--duration-anomaly auto[:F]`, or bounds from `--min-duration` / `--max-duration`; never both. */
function durationAnomalyFlags(values: {
  'duration-anomaly'?: string;
  'min-duration'?: string;
  'max-duration'?: string;
}): DurationAnomalyInput | null | undefined {
  const { 'duration-anomaly': mode, 'min-duration': min, 'max-duration': max } = values;
  if (mode !== undefined && (min !== undefined || max !== undefined)) {
    throw new UsageError('--duration-anomaly: give auto[:F], or --min-duration / --max-duration, not both');
  }
  if (mode !== undefined) return policyFlag(mode, 'duration-anomaly', readDurationAnomalyFlag);
  if (min === undefined && max === undefined) return undefined;
  try {
    return durationBounds(min, max);
  } catch (error) {
    // "min: …" or "max: …" from the reader: name the flag instead.
    const message = (error as Error).message;
    const flag = message.startsWith('max:') ? 'max-duration' : 'min-duration';
    throw new UsageError(`--${flag}: ${message.replace(/^(min|max): /, '')}`);
  }
}

const seconds = (value: string | undefined, name: string) => {
  if (value === undefined) return undefined;
  try {
    return parseDuration(value);
  } catch (error) {
    throw new UsageError(`--${name}: ${(error as Error).message}`);
  }
};

/** `--depends-on` values as check ids: ids as given (the API checks them), slugs looked up; a usage error naming the flag otherwise. */
async function parentIds(api: CronbeatApi, references: string[]): Promise<string[]> {
  if (references.length > MAX_PARENTS) throw new UsageError(`--depends-on: at most ${MAX_PARENTS} checks, got ${references.length}`);
  const ids: string[] = [];
  for (const reference of references) {
    if (isUuid(reference)) {
      ids.push(reference.toLowerCase());
      continue;
    }
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(reference)) throw new UsageError(`--depends-on: "${reference}" is neither a check id nor a slug`);
    try {
      ids.push((await api.findCheck(reference)).id);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) throw new UsageError(`--depends-on: no check with slug "${reference}"`);
      throw error;
    }
  }
  return ids;
}

/** A repeatable keyword flag: at most 20, each one checked. */
function keywordsFlag(keywords: string[], name: string): string[] {
  if (keywords.length > POLICY_LIMITS.keywords.maxItems) {
    throw new UsageError(`--${name}: at most ${POLICY_LIMITS.keywords.maxItems} keywords, got ${keywords.length}`);
  }
  return keywords.map((keyword) => policyFlag(keyword, name, readKeyword) as string);
}

export async function checksCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = usageErrors(() =>
    parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        ...CONNECTION_OPTIONS,
        json: { type: 'boolean' },
        tag: { type: 'string', multiple: true },
        status: { type: 'string' },
        name: { type: 'string' },
        slug: { type: 'string' },
        period: { type: 'string' },
        cron: { type: 'string' },
        tz: { type: 'string' },
        grace: { type: 'string' },
        'remind-every': { type: 'string' },
        'alert-on-late': { type: 'boolean' },
        description: { type: 'string' },
        channels: { type: 'string' },
        'failure-threshold': { type: 'string' },
        'recovery-threshold': { type: 'string' },
        'success-keyword': { type: 'string', multiple: true },
        'failure-keyword': { type: 'string', multiple: true },
        'start-keyword': { type: 'string', multiple: true },
        'early-tolerance': { type: 'string' },
        'max-concurrent-runs': { type: 'string' },
        'duration-anomaly': { type: 'string' },
        'min-duration': { type: 'string' },
        'max-duration': { type: 'string' },
        'depends-on': { type: 'string', multiple: true },
      },
    }),
  );
  const api = new CronbeatApi(settingsFrom(process.env, connectionOverrides(values)));
  const print = (value: unknown, human: string) => process.stdout.write(values.json ? `${JSON.stringify(value, null, 2)}\n` : human);
  const target = async () => {
    if (positionals.length !== 1) throw new UsageError(`usage: cronbeat checks ${action} <id|slug>`);
    return api.findCheck(positionals[0]!);
  };

  switch (action) {
    case 'list': {
      const checks = await api.listChecks({ tag: values.tag, status: values.status });
      print(checks, checks.length === 0 ? 'no checks\n' : checksTable(checks));
      return 0;
    }
    case 'get': {
      const check = await target();
      print(check, checkDetails(check));
      return 0;
    }
    case 'create': {
      if (!values.name) throw new UsageError('checks create needs --name');
      if (values.period && values.cron) throw new UsageError('give --period or --cron, not both');
      const input: CheckInput = { name: values.name };
      if (values.slug) input.slug = values.slug;
      if (values.tag) input.tags = values.tag;
      if (values.description) input.description = values.description;
      input.period = seconds(values.period, 'period');
      if (values.cron) input.cron = values.cron;
      if (values.tz) input.tz = values.tz;
      input.grace = seconds(values.grace, 'grace');
      input.remindEvery = seconds(values['remind-every'], 'remind-every');
      if (values['alert-on-late']) input.alertOnLate = true;
      input.failureThreshold = policyFlag(values['failure-threshold'], 'failure-threshold', readThreshold);
      input.recoveryThreshold = policyFlag(values['recovery-threshold'], 'recovery-threshold', readThreshold);
      if (values['success-keyword']) input.successKeywords = keywordsFlag(values['success-keyword'], 'success-keyword');
      if (values['failure-keyword']) input.failureKeywords = keywordsFlag(values['failure-keyword'], 'failure-keyword');
      if (values['start-keyword']) input.startKeywords = keywordsFlag(values['start-keyword'], 'start-keyword');
      input.earlyTolerance = policyFlag(values['early-tolerance'], 'early-tolerance', readEarlyTolerance);
      if (input.earlyTolerance != null && !values.cron) throw new UsageError('--early-tolerance: applies to --cron schedules only');
      input.maxConcurrentRuns = policyFlag(values['max-concurrent-runs'], 'max-concurrent-runs', readMaxConcurrentRuns);
      input.durationAnomaly = durationAnomalyFlags(values);
      if (values.channels !== undefined) input.channels = values.channels === '*' ? '*' : values.channels.split(',').filter(Boolean);
      if (values['depends-on']) input.dependsOn = await parentIds(api, values['depends-on']);
      const check = await api.createCheck(JSON.parse(JSON.stringify(input)));
      print(check, checkDetails(check));
      return 0;
    }
    case 'pause':
    case 'resume': {
      const check = await target();
      const updated = action === 'pause' ? await api.pauseCheck(check.id) : await api.resumeCheck(check.id);
      print(updated, `${action === 'pause' ? 'paused' : 'resumed'} ${check.slug ?? check.id}\n`);
      return 0;
    }
    case 'delete': {
      const check = await target();
      await api.deleteCheck(check.id);
      print({ deleted: check.id }, `deleted ${check.slug ?? check.id}\n`);
      return 0;
    }
    default:
      throw new UsageError(`usage:\n${CHECKS_USAGE}`);
  }
}
