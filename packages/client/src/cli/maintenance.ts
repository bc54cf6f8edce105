import { parseArgs } from 'node:util';
import { isUuid } from '@cronbeat/contract/rules';
import { ApiError, CronbeatApi, type MaintenanceWindow, type MaintenanceWindowInput } from '../api.js';
import { formatDuration, parseDuration } from '../duration.js';
import { normalCron, WINDOW_LIMITS, zoneOf } from '../maintenance-file.js';
import { settingsFrom } from '../settings.js';
import { CONNECTION_OPTIONS, connectionOverrides, UsageError, usageErrors } from './args.js';
import { formatTable } from './table.js';

export const MAINTENANCE_USAGE = `cronbeat maintenance list [--json]
cronbeat maintenance create --name <name> (--starts <time> --ends <time|+2h> | --cron "<expr>" [--tz Zone] --duration 2h) [--tag t]… [--check <slug|id>]… [--json]
cronbeat maintenance end <name|id> [--json]`;

/** `cronbeat maintenance --help`: what a window is and what each option means. */
export const MAINTENANCE_HELP = `usage:
  ${MAINTENANCE_USAGE.split('\n').join('\n  ')}

A maintenance window is planned downtime: while a check is inside one its
pings are still recorded and its status still changes, but nobody is
alerted; a check still down when the window ends alerts once then.

  list                       the project's windows, with the occurrence in force now or the next one
  create                     a one-off window (--starts, --ends) or a recurring one (--cron, --duration)
  end <name|id>              end the window now (a recurring one until its next occurrence)

Options of create:
  --name <name>              the window's name (required)
  --starts <time>            one-off: when it starts, e.g. 2026-12-24T22:00:00+01:00, or "now" (the default)
  --ends <time>              one-off: when it ends (a time with its offset), or +<duration> after --starts (e.g. +2h);
                             at most ${WINDOW_LIMITS.onceDays} days after --starts
  --cron "<expr>"            recurring: each time this five-field cron expression fires, a window opens
  --tz <Zone>                recurring: the IANA time zone --cron is read in (default UTC)
  --duration <duration>      recurring: how long each occurrence lasts (1m to 7d)
  --tag <tag>                covers the checks with any of these tags; repeatable
  --check <slug|id>          covers these checks; repeatable
                             (neither --tag nor --check: the window covers every check of the project)
  --json                     print the window as JSON

Times need their offset (Z or +01:00). Durations take 30s, 15m, 1h, 1d, 1h30m or plain seconds.
`;

const localTime = (iso: string) => new Date(iso).toISOString().replace(/\.000Z$/, 'Z');

function when(window: MaintenanceWindow): string {
  if (window.kind === 'once') return `${localTime(window.startsAt!)} → ${localTime(window.endsAt!)}`;
  return `${window.cron} (${window.tz}) for ${formatDuration(window.duration!)}`;
}

function coverage(window: MaintenanceWindow): string {
  if (window.covers === 'tags') return `tags ${window.tags.join(', ')}`;
  if (window.covers === 'checks') return `${window.checks.length} check${window.checks.length === 1 ? '' : 's'}`;
  return 'project';
}

function state(window: MaintenanceWindow): string {
  if (window.current) return `in force until ${localTime(window.current.end)}`;
  if (window.next) return `next ${localTime(window.next.start)}`;
  return 'over';
}

function windowsTable(windows: MaintenanceWindow[]): string {
  return formatTable(
    ['NAME', 'WHEN', 'COVERS', 'NOW', 'ID'],
    windows.map((window) => [window.name, when(window), coverage(window), state(window), window.id]),
  );
}

/** An instant given with its offset, or `now`; a usage error naming the flag otherwise. */
function instantFlag(value: string, flag: string): Date {
  if (value === 'now') return new Date();
  if (!/(Z|[+-]\d\d:?\d\d)$/i.test(value) || !/^\d{4}-\d\d-\d\dT/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new UsageError(`--${flag}: expected a date and time with its offset (e.g. 2026-12-24T22:00:00+01:00) or "now", got "${value}"`);
  }
  return new Date(value);
}

function secondsFlag(value: string, flag: string): number {
  let seconds: number;
  try {
    seconds = parseDuration(value);
  } catch (error) {
    throw new UsageError(`--${flag}: ${(error as Error).message}`);
  }
  if (!Number.isInteger(seconds)) throw new UsageError(`--${flag}: expected whole seconds, got "${value}"`);
  return seconds;
}

/** The window `create`'s flags describe, checked before anything is sent. */
function windowFromFlags(values: {
  name?: string;
  starts?: string;
  ends?: string;
  cron?: string;
  tz?: string;
  duration?: string;
  tag?: string[];
}): MaintenanceWindowInput {
  const name = values.name?.trim();
  if (!name) throw new UsageError('--name: maintenance create needs a name');
  if (name.length > WINDOW_LIMITS.name.max) throw new UsageError(`--name: at most ${WINDOW_LIMITS.name.max} characters`);
  const once = values.starts !== undefined || values.ends !== undefined;
  const recurring = values.cron !== undefined || values.tz !== undefined || values.duration !== undefined;
  if (once && recurring)
    throw new UsageError('--cron: give --starts/--ends for a one-off window, or --cron/--duration for a recurring one, not both');
  if (!once && !recurring)
    throw new UsageError('--ends: give --starts/--ends for a one-off window, or --cron/--duration for a recurring one');
  if (once) {
    const startsAt = instantFlag(values.starts ?? 'now', 'starts');
    if (values.ends === undefined) throw new UsageError('--ends: a one-off window needs an end (a time, or +<duration>)');
    const endsAt = values.ends.startsWith('+')
      ? new Date(startsAt.getTime() + secondsFlag(values.ends.slice(1), 'ends') * 1000)
      : instantFlag(values.ends, 'ends');
    const length = endsAt.getTime() - startsAt.getTime();
    if (length <= 0) throw new UsageError('--ends: must be after --starts');
    if (length > WINDOW_LIMITS.onceDays * 86_400_000) throw new UsageError(`--ends: at most ${WINDOW_LIMITS.onceDays} days after --starts`);
    return { name, kind: 'once', startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() };
  }
  if (!values.cron?.trim()) throw new UsageError('--cron: a recurring window needs a cron expression, e.g. "0 2 * * SUN"');
  const tz = values.tz === undefined ? 'UTC' : zoneOf(values.tz);
  if (tz === null) throw new UsageError(`--tz: unknown time zone "${values.tz}" (expected e.g. Europe/Berlin)`);
  if (values.duration === undefined) throw new UsageError('--duration: a recurring window needs a duration, e.g. 2h');
  const duration = secondsFlag(values.duration, 'duration');
  const { min, max } = WINDOW_LIMITS.duration;
  if (duration < min || duration > max) throw new UsageError(`--duration: expected 1m to 7d, got "${values.duration}"`);
  return { name, kind: 'recurring', cron: normalCron(values.cron), tz, duration };
}

/** `--check` values as check ids; an unknown slug is a usage error naming the flag. */
async function checkIds(api: CronbeatApi, references: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const reference of references) {
    if (isUuid(reference)) ids.push(reference.toLowerCase());
    else if (!/^[a-z0-9][a-z0-9_-]*$/.test(reference)) throw new UsageError(`--check: "${reference}" is neither a check id nor a slug`);
    else {
      try {
        ids.push((await api.findCheck(reference)).id);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) throw new UsageError(`--check: no check with slug "${reference}"`);
        throw error;
      }
    }
  }
  return ids;
}

export async function maintenanceCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = usageErrors(() =>
    parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        ...CONNECTION_OPTIONS,
        json: { type: 'boolean' },
        name: { type: 'string' },
        starts: { type: 'string' },
        ends: { type: 'string' },
        cron: { type: 'string' },
        tz: { type: 'string' },
        duration: { type: 'string' },
        tag: { type: 'string', multiple: true },
        check: { type: 'string', multiple: true },
      },
    }),
  );
  const print = (value: unknown, human: string) => process.stdout.write(values.json ? `${JSON.stringify(value, null, 2)}\n` : human);
  switch (action) {
    case 'list': {
      if (positionals.length > 0) throw new UsageError('usage: cronbeat maintenance list [--json]');
      const windows = await new CronbeatApi(settingsFrom(process.env, connectionOverrides(values))).listMaintenanceWindows();
      print(windows, windows.length === 0 ? 'no maintenance windows\n' : windowsTable(windows));
      return 0;
    }
    case 'create': {
      if (positionals.length > 0) throw new UsageError(`usage: ${MAINTENANCE_USAGE.split('\n')[1]}`);
      const input = windowFromFlags(values);
      if (values.tag && values.check) throw new UsageError('--check: a window covers tags or checks, not both');
      if (values.tag && values.tag.length > WINDOW_LIMITS.targets.max)
        throw new UsageError(`--tag: at most ${WINDOW_LIMITS.targets.max} tags, got ${values.tag.length}`);
      if (values.check && values.check.length > WINDOW_LIMITS.targets.max)
        throw new UsageError(`--check: at most ${WINDOW_LIMITS.targets.max} checks, got ${values.check.length}`);
      const badTag = values.tag?.find((tag) => !/^\S+$/.test(tag));
      if (badTag !== undefined) throw new UsageError(`--tag: "${badTag}": a tag has no spaces`);
      const api = new CronbeatApi(settingsFrom(process.env, connectionOverrides(values)));
      if (values.tag) Object.assign(input, { covers: 'tags', tags: values.tag });
      if (values.check) Object.assign(input, { covers: 'checks', checks: await checkIds(api, values.check) });
      const window = await api.createMaintenanceWindow(input);
      print(window, windowsTable([window]));
      return 0;
    }
    case 'end': {
      if (positionals.length !== 1) throw new UsageError('usage: cronbeat maintenance end <name|id>');
      const api = new CronbeatApi(settingsFrom(process.env, connectionOverrides(values)));
      const window = await api.findMaintenanceWindow(positionals[0]!);
      const ended = await api.endMaintenanceWindow(window.id);
      print(ended, `ended ${JSON.stringify(ended.name)}${ended.next ? `; next ${localTime(ended.next.start)}` : ''}\n`);
      return 0;
    }
    default:
      throw new UsageError(`usage:\n${MAINTENANCE_USAGE}`);
  }
}
