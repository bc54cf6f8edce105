import { parseArgs } from 'node:util';
import { type Check, type CheckInput, CronbeatApi } from '../api.js';
import { formatDuration, parseDuration } from '../duration.js';
import { settingsFrom } from '../settings.js';
import { CONNECTION_OPTIONS, connectionOverrides, UsageError, usageErrors } from './args.js';
import { ago, formatTable } from './table.js';

export const CHECKS_USAGE = `cronbeat checks list [--tag t]… [--status s] [--json]
cronbeat checks get <id|slug> [--json]
cronbeat checks create --name <name> [--slug s] (--period 1d | --cron "<expr>" [--tz Zone]) [--grace 1h] [--remind-every 6h] [--tag t]… [--channels "*"] [--json]
cronbeat checks pause|resume|delete <id|slug>`;

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

const seconds = (value: string | undefined, name: string) => {
  if (value === undefined) return undefined;
  try {
    return parseDuration(value);
  } catch (error) {
    throw new UsageError(`--${name}: ${(error as Error).message}`);
  }
};

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
      if (values.channels !== undefined) input.channels = values.channels === '*' ? '*' : values.channels.split(',').filter(Boolean);
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
