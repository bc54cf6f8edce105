import { FieldError, notePlace, type Path, placed } from './file-places.js';
import type { YamlValue } from './yaml.js';

/**
 * A channel as a monitors file declares it, matched with the server's by
 * name. `config` is every other key of the entry, `${VAR}`s replaced by the
 * environment's values; `fromEnvironment` names the config fields that took
 * one (a secret must, so it is never written in the file in clear).
 * `events` left out: the server's choice stays (a new channel gets its
 * kind's default).
 */
export interface DeclaredChannel {
  name: string;
  kind: string;
  config: Record<string, YamlValue>;
  events?: string[];
  fromEnvironment: string[];
}

/** The environment `${VAR}` is read from: `process.env` for the CLI. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The API's limit on a channel's name. */
const NAME_MAX = 100;
/** Keys of a channel entry that are not its kind's config. */
const ENTRY_KEYS = new Set(['name', 'kind', 'events']);
/** `${NAME}`, or `$${` for a literal `${`. */
const REFERENCE = /\$(\$)?\{([^}]*)\}/g;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const isMap = (value: YamlValue | undefined): value is { [key: string]: YamlValue } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads the top-level `channels:` list. Throws FieldError at the channel and
 * key at fault: `channels[1] (Pager).routingKey: environment variable
 * PAGERDUTY_KEY is not set`.
 */
export function readChannels(list: YamlValue, source: string, listPath: Path, env: Environment): DeclaredChannel[] {
  if (!Array.isArray(list)) throw new FieldError('channels: expected a list of channels', listPath);
  const names = new Set<string>();
  return list.map((entry, index) => {
    const channel = readChannel(entry, `channels[${index}]`, [...listPath, index], source, env);
    if (names.has(channel.name))
      throw new FieldError(`channels[${index}]: name "${channel.name}" is declared twice (channels are matched by name)`, [
        ...listPath,
        index,
        'name',
      ]);
    names.add(channel.name);
    return channel;
  });
}

function readChannel(entry: YamlValue, where: string, path: Path, source: string, env: Environment): DeclaredChannel {
  if (!isMap(entry)) throw new FieldError(`${where}: expected a map with name, kind and the kind's settings`, path);
  let at = where;
  function fail(keys: ReadonlyArray<string | number>, message: string): never {
    throw new FieldError(keys.length === 0 ? `${at}: ${message}` : `${at}.${keys.join('.')}: ${message}`, [...path, ...keys]);
  }
  const fromEnvironment = new Set<string>();
  /** The value with every `${VAR}` in its strings replaced; `keys` lead to it, for errors and for `fromEnvironment`. */
  const substituted = (value: YamlValue, keys: Array<string | number>): YamlValue => {
    if (typeof value === 'string') {
      return value.replace(REFERENCE, (_whole, literal: string | undefined, variable: string) => {
        if (literal) return `\${${variable}}`;
        if (!VARIABLE_NAME.test(variable))
          fail(keys, `"\${${variable}}" is not an environment variable's name (write $\${ for a literal \${)`);
        const found = env[variable];
        if (found === undefined) fail(keys, `environment variable ${variable} is not set`);
        if (typeof keys[0] === 'string' && !ENTRY_KEYS.has(keys[0])) fromEnvironment.add(keys[0]);
        return found;
      });
    }
    if (Array.isArray(value)) return value.map((item, index) => substituted(item, [...keys, index]));
    if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, substituted(inner, [...keys, key])]));
    return value;
  };

  const rawName = entry.name;
  if (rawName === undefined || rawName === null) fail([], '"name" is required (channels are matched by name)');
  if (typeof rawName !== 'string' && typeof rawName !== 'number') fail(['name'], 'expected text');
  const name = String(substituted(String(rawName), ['name'])).trim();
  if (!name) fail(['name'], '"name" is required (channels are matched by name)');
  if (name.length > NAME_MAX) fail(['name'], `at most ${NAME_MAX} characters, got ${name.length}`);
  at = `${where} (${name})`;

  const kind = entry.kind;
  if (typeof kind !== 'string' || kind.trim() === '')
    fail(kind === undefined ? [] : ['kind'], '"kind" is required (e.g. slack, pagerduty)');

  const config: Record<string, YamlValue> = {};
  for (const [key, value] of Object.entries(entry)) if (!ENTRY_KEYS.has(key)) config[key] = substituted(value, [key]);

  const channel: DeclaredChannel = { name, kind: kind.trim(), config, fromEnvironment: [...fromEnvironment] };
  if (entry.events !== undefined && entry.events !== null) {
    const events = entry.events;
    if (!Array.isArray(events)) fail(['events'], 'expected a list of events (down, up, late, still_down), [] for none');
    channel.events = events.map((event, index) => {
      if (typeof event !== 'string') fail(['events', index], `expected an event name, got ${JSON.stringify(event)}`);
      return event;
    });
  }
  // The kinds and their fields are known only once sync asks the server, so it asks here for the lines.
  notePlace(channel, 'channel', () => placed(source, path, at));
  notePlace(channel, 'kind', () => placed(source, [...path, 'kind'], `${at}.kind`));
  for (const key of Object.keys(config)) notePlace(channel, `config.${key}`, () => placed(source, [...path, key], `${at}.${key}`));
  return channel;
}
