import { readDurationAnomaly, readEarlyTolerance, readKeywords, readMaxConcurrentRuns, readThreshold } from './alert-policy.js';
import type { CheckInput } from './api.js';
import { type DeclaredChannel, type Environment, readChannels } from './channels-file.js';
import { parseDuration } from './duration.js';
import { FieldError, notePlace, type Path, placed } from './file-places.js';
import { type DeclaredWindow, readMaintenance } from './maintenance-file.js';
import { parseYaml, type YamlValue } from './yaml.js';

/**
 * One check as a monitors-as-code file declares it: the API's writable
 * fields (the contract's, through `CheckInput`), found by slug, with
 * channels named rather than given by id; absent fields are left as they are
 * on the server. Times are seconds; `remindEvery` null (`off` in the file):
 * no reminders. The alert policy fields likewise: absent leaves the server's
 * setting, `off` turns one off (null).
 */
export type DeclaredCheck = Omit<CheckInput, 'slug' | 'maxRuntime' | 'channels' | 'dependsOn'> & {
  slug: string;
  /** Left out: the grace time. */
  maxRuntime?: number;
  /** Channel names, or `*` for all the project's channels. */
  channels?: string[] | '*';
  /** Slugs of the checks (in the file or on the server) this one depends on; [] for none. Left out: left as it is. */
  dependsOn?: string[];
};

/**
 * A whole monitors file: its checks, its maintenance windows when it has a
 * `maintenance:` list and its channels when it has a `channels:` list (else
 * sync leaves those alone).
 */
export interface MonitorsFile {
  checks: DeclaredCheck[];
  maintenance?: DeclaredWindow[];
  channels?: DeclaredChannel[];
}

/** The most checks one check may depend on (the API's limit). */
const MAX_PARENTS = 20;

const KNOWN_FIELDS = new Set([
  'slug',
  'name',
  'tags',
  'description',
  'period',
  'cron',
  'onCalendar',
  'on_calendar',
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
  'failureThreshold',
  'failure_threshold',
  'recoveryThreshold',
  'recovery_threshold',
  'successKeywords',
  'success_keywords',
  'failureKeywords',
  'failure_keywords',
  'startKeywords',
  'start_keywords',
  'earlyTolerance',
  'early_tolerance',
  'maxConcurrentRuns',
  'max_concurrent_runs',
  'durationAnomaly',
  'duration_anomaly',
  'dependsOn',
  'depends_on',
  'methods',
]);

/**
 * Reads a monitors file's checks: YAML 1.2 or JSON, either a list of
 * checks or `{ checks: [...] }`. Throws with the check and field at fault.
 */
export function parseMonitorsFile(source: string, fileName = ''): DeclaredCheck[] {
  return parseMonitors(source, fileName).checks;
}

/**
 * Reads a whole monitors file: `{ checks: [...], maintenance: [...],
 * channels: [...] }` (or a bare list of checks). `${VAR}` in a channel's
 * values is read from `env`. Throws with the check, window or channel and
 * the field at fault, and its line.
 */
export function parseMonitors(source: string, fileName = '', env: Environment = process.env): MonitorsFile {
  const document: YamlValue = fileName.endsWith('.json') || source.trimStart().startsWith('{') ? JSON.parse(source) : parseYaml(source);
  const list = Array.isArray(document) ? document : isMap(document) ? document.checks : undefined;
  if (!Array.isArray(list)) throw new Error('expected a list of checks, or a "checks:" list');
  const listPath: Path = Array.isArray(document) ? [] : ['checks'];
  const slugs = new Set<string>();
  try {
    const checks = list.map((entry, index) => {
      const declared = toDeclaredCheck(entry, `checks[${index}]`, [...listPath, index], source);
      if (slugs.has(declared.slug))
        throw new FieldError(`checks[${index}]: slug "${declared.slug}" is declared twice`, [...listPath, index, 'slug']);
      slugs.add(declared.slug);
      return declared;
    });
    const file: MonitorsFile = { checks };
    if (isMap(document) && document.maintenance !== undefined)
      file.maintenance = readMaintenance(document.maintenance, source, ['maintenance']);
    if (isMap(document) && document.channels !== undefined) file.channels = readChannels(document.channels, source, ['channels'], env);
    return file;
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    // "line 7, column 24: checks[2] (backup).failure_threshold: …", like the YAML reader's own errors.
    throw new Error(placed(source, error.path, error.message));
  }
}

const isMap = (value: YamlValue): value is { [key: string]: YamlValue } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function toDeclaredCheck(entry: YamlValue, where: string, path: Path, source: string): DeclaredCheck {
  if (!isMap(entry)) throw new FieldError(`${where}: expected a map of fields`, path);
  for (const key of Object.keys(entry))
    if (!KNOWN_FIELDS.has(key)) throw new FieldError(`${where}: unknown field "${key}"`, [...path, key]);
  // Errors name the check by its slug once it is known: "checks[3] (backup).grace: …".
  let at = where;
  // A declaration, not an arrow, so TypeScript knows code after a call to it does not run.
  function fail(key: string | null, message: string): never {
    throw new FieldError(key === null ? `${at}: ${message}` : `${at}.${key}: ${message}`, key === null ? path : [...path, key]);
  }
  const text = (key: string): string | undefined => {
    const value = entry[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'object') fail(key, 'expected text');
    return String(value);
  };
  /** A true/false field, under its camelCase or snake_case name. */
  const flag = (key: string, snakeKey: string): boolean | undefined => {
    const value = entry[key] ?? entry[snakeKey];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') fail(entry[key] === undefined ? snakeKey : key, 'expected true or false');
    return value as boolean;
  };
  const seconds = (key: string): number | undefined => {
    const value = text(key);
    try {
      if (value === undefined) return undefined;
      const parsed = parseDuration(value);
      if (!Number.isInteger(parsed)) throw new Error(`"${value}" is not a whole number of seconds`);
      return parsed;
    } catch (error) {
      return fail(key, (error as Error).message);
    }
  };
  /**
   * An alert policy field under its camelCase or snake_case name, read by
   * `read`; errors name the key as the file spells it. Undefined when absent
   * (or null, as for the other fields): the server's setting stays.
   */
  const policy = <T>(key: string, snakeKey: string, read: (value: YamlValue) => T): T | undefined => {
    const written = entry[key] === undefined ? snakeKey : key;
    const value = entry[written];
    if (value === undefined || value === null) return undefined;
    try {
      return read(value);
    } catch (error) {
      return fail(written, (error as Error).message);
    }
  };
  const slug = text('slug');
  if (!slug) throw new FieldError(`${where}: "slug" is required (checks are matched by slug)`, path);
  at = `${where} (${slug})`;
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(slug)) fail('slug', 'slug may hold only a-z, 0-9, "-" and "_"');
  const declared: DeclaredCheck = { slug };
  const name = text('name');
  if (name !== undefined) declared.name = name;
  if (entry.tags !== undefined) {
    if (!Array.isArray(entry.tags)) fail('tags', 'expected a list');
    declared.tags = entry.tags.map(String);
  }
  const description = text('description');
  if (description !== undefined) declared.description = description;
  const period = seconds('period');
  const cron = text('cron');
  const onCalendar = text('onCalendar') ?? text('on_calendar');
  if ([period, cron, onCalendar].filter((given) => given !== undefined).length > 1)
    fail(null, 'give one of period, cron and on_calendar, not several');
  if (period !== undefined) declared.period = period;
  if (cron !== undefined) declared.cron = cron;
  if (onCalendar !== undefined) declared.onCalendar = onCalendar;
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
  const methods = text('methods');
  if (methods !== undefined) {
    if (methods !== '' && methods !== 'POST') fail('methods', '"" (any method pings) or "POST" (GET and HEAD are ignored)');
    declared.methods = methods;
  }
  if (entry.channels !== undefined && entry.channels !== null) {
    if (entry.channels === '*') declared.channels = '*';
    else if (Array.isArray(entry.channels)) declared.channels = entry.channels.map(String);
    else fail('channels', 'expected a list of channel names or "*"');
    const place = at;
    notePlace(declared, 'channels', () => placed(source, [...path, 'channels'], `${place}.channels`));
  }
  const failureThreshold = policy('failureThreshold', 'failure_threshold', readThreshold);
  if (failureThreshold !== undefined) declared.failureThreshold = failureThreshold;
  const recoveryThreshold = policy('recoveryThreshold', 'recovery_threshold', readThreshold);
  if (recoveryThreshold !== undefined) declared.recoveryThreshold = recoveryThreshold;
  const successKeywords = policy('successKeywords', 'success_keywords', readKeywords);
  if (successKeywords !== undefined) declared.successKeywords = successKeywords;
  const failureKeywords = policy('failureKeywords', 'failure_keywords', readKeywords);
  if (failureKeywords !== undefined) declared.failureKeywords = failureKeywords;
  const startKeywords = policy('startKeywords', 'start_keywords', readKeywords);
  if (startKeywords !== undefined) declared.startKeywords = startKeywords;
  const earlyTolerance = policy('earlyTolerance', 'early_tolerance', readEarlyTolerance);
  if (earlyTolerance !== undefined) {
    // The server refuses it too, but only here can the file's line be named.
    if (earlyTolerance !== null && period !== undefined)
      fail(
        entry.earlyTolerance === undefined ? 'early_tolerance' : 'earlyTolerance',
        'applies to cron and OnCalendar schedules only, and this check has a period',
      );
    declared.earlyTolerance = earlyTolerance;
  }
  const maxConcurrentRuns = policy('maxConcurrentRuns', 'max_concurrent_runs', readMaxConcurrentRuns);
  if (maxConcurrentRuns !== undefined) declared.maxConcurrentRuns = maxConcurrentRuns;
  const durationAnomaly = policy('durationAnomaly', 'duration_anomaly', readDurationAnomaly);
  if (durationAnomaly !== undefined) declared.durationAnomaly = durationAnomaly;
  const dependsKey = entry.dependsOn !== undefined ? 'dependsOn' : 'depends_on';
  const dependsOn = entry[dependsKey];
  if (dependsOn !== undefined && dependsOn !== null) {
    if (!Array.isArray(dependsOn)) fail(dependsKey, 'expected a list of check slugs');
    if (dependsOn.length > MAX_PARENTS) fail(dependsKey, `at most ${MAX_PARENTS} checks, got ${dependsOn.length}`);
    declared.dependsOn = dependsOn.map((parent, index) => {
      const key = `${dependsKey}[${index}]`;
      if (typeof parent !== 'string' || !/^[a-z0-9][a-z0-9_-]*$/.test(parent))
        throw new FieldError(`${at}.${key}: expected the slug of a check, got ${JSON.stringify(parent)}`, [...path, dependsKey, index]);
      if (parent === slug) throw new FieldError(`${at}.${key}: a check cannot depend on itself`, [...path, dependsKey, index]);
      const place = at;
      notePlace(declared, `dependsOn.${index}`, () => placed(source, [...path, dependsKey, index], `${place}.${key}`));
      return parent;
    });
  }
  return declared;
}
