import { parseArgs } from 'node:util';
import { ApiError, type ChannelDetails, type ChannelInput, type ChannelKindInfo, CronbeatApi } from '../api.js';
import type { Environment } from '../channels-file.js';
import { settingsFrom } from '../settings.js';
import { CONNECTION_OPTIONS, connectionOverrides, UsageError, usageErrors } from './args.js';
import { formatTable } from './table.js';

export const CHANNELS_USAGE = `cronbeat channels list [--json]
cronbeat channels create --kind <kind> --name <name> [--set field=value]… [--set-env field=VARIABLE]… [--events down,up] [--no-attach] [--json]
cronbeat channels delete <name|id>
cronbeat channels test <name|id> [--json]`;

/** `cronbeat channels --help`: what each option means. */
export const CHANNELS_HELP = `usage:
  ${CHANNELS_USAGE.split('\n').join('\n  ')}

A channel is where alerts go: an email address, a Slack or Discord webhook,
PagerDuty, ntfy… Its kind decides which settings it takes: an unknown --kind
lists the kinds, a missing setting is named, and the API document (/docs on
your Cronbeat) describes each kind's settings.

  list                       the project's channels: name, kind, events, id
  create                     a new channel; by default every existing check alerts it too
  delete <name|id>           delete the channel (its checks stop alerting it)
  test <name|id>             send a made-up alert through it now and say what happened

Options of create:
  --kind <kind>              the channel's kind, e.g. slack, pagerduty, ntfy (required)
  --name <name>              the channel's name (required)
  --set field=value          one setting of the kind, e.g. --set url=https://hooks.slack.com/…;
                             repeat a field for a list (--set to=a@example.com --set to=b@example.com),
                             field.key=value for a map (--set headers.Authorization="Bearer …")
  --set-env field=VARIABLE   a setting taken from an environment variable: for secrets, which
                             then appear neither in your shell history nor in the process list
  --events down,up           the events it is sent (down, up, late, still_down); "" for none.
                             Default: all of them (pagerduty and opsgenie: all but late)
  --no-attach                attach it to no check (choose them with each check's channels)
  --json                     print the channel as JSON

Secrets (tokens, keys, secret webhook URLs) are write-only: Cronbeat never
shows them back, only that one is set.
`;

/** The `--set`/`--set-env` flags as a config, each value read as its field's schema says (numbers, true/false). */
export function configFromFlags(sets: string[], setEnvs: string[], info: ChannelKindInfo, env: Environment): Record<string, unknown> {
  const properties = info.schema.properties;
  const config: Record<string, unknown> = {};
  const assign = (flag: string, assignment: string, read: (field: string, value: string) => string) => {
    const at = assignment.indexOf('=');
    if (at <= 0) throw new UsageError(`${flag}: expected field=value, got "${assignment}"`);
    const path = assignment.slice(0, at);
    const [field, ...rest] = path.split('.');
    const key = rest.join('.');
    const schema = properties?.[field!];
    const mapField = schema?.type === 'object' && key !== '';
    const name = mapField ? field! : path;
    if (properties && !Object.hasOwn(properties, name))
      throw new UsageError(`${flag} ${name}: not a setting of ${info.kind} channels (they take ${Object.keys(properties).join(', ')})`);
    const value = read(path, assignment.slice(at + 1));
    if (mapField) {
      config[name] = { ...(config[name] as Record<string, unknown> | undefined), [key]: value };
      return;
    }
    const typed = typedValue(value, properties?.[name]?.type, `${flag} ${name}`);
    const before = config[name];
    config[name] = before === undefined ? typed : Array.isArray(before) ? [...before, typed] : [before, typed];
  };
  for (const assignment of sets) assign('--set', assignment, (_field, value) => value);
  for (const assignment of setEnvs) {
    assign('--set-env', assignment, (field, variable) => {
      const value = env[variable];
      if (value === undefined) throw new UsageError(`--set-env ${field}: environment variable ${variable} is not set`);
      return value;
    });
  }
  return config;
}

function typedValue(value: string, type: string | undefined, flag: string): unknown {
  if (type === 'integer' || type === 'number') {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number)) throw new UsageError(`${flag}: expected a number, got "${value}"`);
    return number;
  }
  if (type === 'boolean') {
    if (value !== 'true' && value !== 'false') throw new UsageError(`${flag}: expected true or false, got "${value}"`);
    return value === 'true';
  }
  return value;
}

/** The API's 400 message said with the flag that set the field: `config.url: …` is `--set url: …`. */
function flagged(reason: string): string {
  const match = /^([\w.-]+): ([\s\S]*)$/.exec(reason);
  if (!match) return reason;
  const [, field, message] = match as unknown as [string, string, string];
  if (field.startsWith('config.')) return `--set ${field.slice('config.'.length)}: ${message}`;
  const flag = field.split('.')[0]!;
  if (!['name', 'kind', 'events'].includes(flag)) return reason;
  return field === flag ? `--${flag}: ${message}` : `--${flag}: ${field} ${message}`;
}

/** A channel by name or id; a name several channels share is a usage error listing their ids. */
async function findChannel(api: CronbeatApi, reference: string): Promise<ChannelDetails> {
  try {
    return await api.findChannel(reference);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'CB_AMBIGUOUS') throw new UsageError(error.message);
    throw error;
  }
}

const eventsOf = (channel: ChannelDetails) => (channel.events.length === 0 ? '(none)' : channel.events.join(','));

function channelsTable(channels: ChannelDetails[]): string {
  return formatTable(
    ['NAME', 'KIND', 'EVENTS', 'ID'],
    channels.map((channel) => [channel.name, channel.kind, eventsOf(channel), channel.id]),
  );
}

export async function channelsCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = usageErrors(() =>
    parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        ...CONNECTION_OPTIONS,
        json: { type: 'boolean' },
        kind: { type: 'string' },
        name: { type: 'string' },
        set: { type: 'string', multiple: true },
        'set-env': { type: 'string', multiple: true },
        events: { type: 'string' },
        'no-attach': { type: 'boolean' },
      },
    }),
  );
  const print = (value: unknown, human: string) => process.stdout.write(values.json ? `${JSON.stringify(value, null, 2)}\n` : human);
  const api = () => new CronbeatApi(settingsFrom(process.env, connectionOverrides(values)));
  switch (action) {
    case 'list': {
      if (positionals.length > 0) throw new UsageError('usage: cronbeat channels list [--json]');
      const channels = await api().listChannels();
      print(channels, channels.length === 0 ? 'no channels\n' : channelsTable(channels));
      return 0;
    }
    case 'create': {
      if (positionals.length > 0) throw new UsageError(`usage: ${CHANNELS_USAGE.split('\n')[1]}`);
      const name = values.name?.trim();
      if (!values.kind) throw new UsageError('--kind: channels create needs a kind, e.g. --kind slack');
      if (!name) throw new UsageError('--name: channels create needs a name');
      const client = api();
      const kinds = await client.listChannelKinds();
      const info = kinds.find((kind) => kind.kind === values.kind);
      if (!info) throw new UsageError(`--kind: unknown kind "${values.kind}" (one of ${kinds.map((kind) => kind.kind).join(', ')})`);
      const input = {
        kind: info.kind,
        name,
        config: configFromFlags(values.set ?? [], values['set-env'] ?? [], info, process.env),
        ...(values.events !== undefined && { events: values.events.split(',').flatMap((event) => event.trim() || []) }),
        ...(values['no-attach'] && { attachToAllChecks: false }),
      } as ChannelInput;
      let channel: ChannelDetails;
      try {
        channel = await client.createChannel(input);
      } catch (error) {
        if (error instanceof ApiError && error.status === 400) throw new UsageError(flagged(error.reason ?? error.message));
        throw error;
      }
      print(channel, channelsTable([channel]));
      return 0;
    }
    case 'delete': {
      if (positionals.length !== 1) throw new UsageError('usage: cronbeat channels delete <name|id>');
      const client = api();
      const channel = await findChannel(client, positionals[0]!);
      await client.deleteChannel(channel.id);
      process.stdout.write(`deleted ${JSON.stringify(channel.name)} (${channel.kind})\n`);
      return 0;
    }
    case 'test': {
      if (positionals.length !== 1) throw new UsageError('usage: cronbeat channels test <name|id>');
      const client = api();
      const channel = await findChannel(client, positionals[0]!);
      const outcome = await client.testChannel(channel.id);
      const said = outcome.delivered
        ? `delivered a test alert to ${JSON.stringify(channel.name)} (${channel.kind})\n`
        : `the test alert to ${JSON.stringify(channel.name)} failed: ${outcome.error}` +
          `${outcome.permanent ? ' (retrying will not help: check its settings)' : ' (it may work on a later try)'}\n`;
      print(outcome, said);
      return outcome.delivered ? 0 : 1;
    }
    default:
      throw new UsageError(`usage:\n${CHANNELS_USAGE}`);
  }
}
