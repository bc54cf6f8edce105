import type { CheckInput } from './api.js';
import { parseDuration } from './duration.js';
import { parseYaml, type YamlValue } from './yaml.js';

/**
 * One check as a monitors-as-code file declares it: the API's writable
 * fields (the contract's, through `CheckInput`), found by slug, with
 * channels named rather than given by id; absent fields are left as they are
 * on the server. Times are seconds; `remindEvery` null (`off` in the file):
 * no reminders.
 */
export type DeclaredCheck = Omit<CheckInput, 'slug' | 'maxRuntime' | 'channels'> & {
  slug: string;
  /** Left out: the grace time. */
  maxRuntime?: number;
  /** Channel names, or `*` for all the project's channels. */
  channels?: string[] | '*';
};

const KNOWN_FIELDS = new Set([
  'slug',
  'name',
  'tags',
  'description',
  'period',
  'cron',
  'tz',
  'grace',
  'maxRuntime',
  'max_runtime',
  'manualResume',
  'manual_resume',
  'alertOnLate',
  'alert_on_late',
  'remindEvery',
  'remind_every',
  'channels',
]);

/**
 * Reads a monitors file: YAML 1.2 or JSON, either a list of checks or
 * `{ checks: [...] }`. Throws with the check and field at fault.
 */
export function parseMonitorsFile(source: string, fileName = ''): DeclaredCheck[] {
  const document: YamlValue = fileName.endsWith('.json') || source.trimStart().startsWith('{') ? JSON.parse(source) : parseYaml(source);
  const list = Array.isArray(document) ? document : isMap(document) ? document.checks : undefined;
  if (!Array.isArray(list)) throw new Error('expected a list of checks, or a "checks:" list');
  const slugs = new Set<string>();
  return list.map((entry, index) => {
    const declared = toDeclaredCheck(entry, `checks[${index}]`);
    if (slugs.has(declared.slug)) throw new Error(`checks[${index}]: slug "${declared.slug}" is declared twice`);
    slugs.add(declared.slug);
    return declared;
  });
}

const isMap = (value: YamlValue): value is { [key: string]: YamlValue } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function toDeclaredCheck(entry: YamlValue, where: string): DeclaredCheck {
  if (!isMap(entry)) throw new Error(`${where}: expected a map of fields`);
  for (const key of Object.keys(entry)) if (!KNOWN_FIELDS.has(key)) throw new Error(`${where}: unknown field "${key}"`);
  // Errors name the check by its slug once it is known: "checks[3] (backup).grace: …".
  let at = where;
  const text = (key: string): string | undefined => {
    const value = entry[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'object') throw new Error(`${at}.${key}: expected text`);
    return String(value);
  };
  /** A true/false field, under its camelCase or snake_case name. */
  const flag = (key: string, snakeKey: string): boolean | undefined => {
    const value = entry[key] ?? entry[snakeKey];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw new Error(`${at}.${key}: expected true or false`);
    return value;
  };
  const seconds = (key: string): number | undefined => {
    const value = text(key);
    try {
      if (value === undefined) return undefined;
      const parsed = parseDuration(value);
      if (!Number.isInteger(parsed)) throw new Error(`"${value}" is not a whole number of seconds`);
      return parsed;
    } catch (error) {
      throw new Error(`${at}.${key}: ${(error as Error).message}`);
    }
  };
  const slug = text('slug');
  if (!slug) throw new Error(`${where}: "slug" is required (checks are matched by slug)`);
  at = `${where} (${slug})`;
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(slug)) throw new Error(`${at}: slug may hold only a-z, 0-9, "-" and "_"`);
  const declared: DeclaredCheck = { slug };
  const name = text('name');
  if (name !== undefined) declared.name = name;
  if (entry.tags !== undefined) {
    if (!Array.isArray(entry.tags)) throw new Error(`${at}.tags: expected a list`);
    declared.tags = entry.tags.map(String);
  }
  const description = text('description');
  if (description !== undefined) declared.description = description;
  const period = seconds('period');
  const cron = text('cron');
  if (period !== undefined && cron !== undefined) throw new Error(`${at}: give either period or cron, not both`);
  if (period !== undefined) declared.period = period;
  if (cron !== undefined) declared.cron = cron;
  const tz = text('tz');
  if (tz !== undefined) declared.tz = tz;
  const grace = seconds('grace');
  if (grace !== undefined) declared.grace = grace;
  const maxRuntime = seconds('maxRuntime') ?? seconds('max_runtime');
  if (maxRuntime !== undefined) declared.maxRuntime = maxRuntime;
  const remindKey = entry.remindEvery !== undefined ? 'remindEvery' : 'remind_every';
  if (text(remindKey) === 'off') declared.remindEvery = null;
  else {
    const remindEvery = seconds(remindKey);
    if (remindEvery !== undefined) declared.remindEvery = remindEvery;
  }
  const manualResume = flag('manualResume', 'manual_resume');
  if (manualResume !== undefined) declared.manualResume = manualResume;
  const alertOnLate = flag('alertOnLate', 'alert_on_late');
  if (alertOnLate !== undefined) declared.alertOnLate = alertOnLate;
  if (entry.channels !== undefined && entry.channels !== null) {
    if (entry.channels === '*') declared.channels = '*';
    else if (Array.isArray(entry.channels)) declared.channels = entry.channels.map(String);
    else throw new Error(`${at}.channels: expected a list of channel names or "*"`);
  }
  return declared;
}
