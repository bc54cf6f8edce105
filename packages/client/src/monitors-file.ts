import { readDurationAnomaly, readEarlyTolerance, readKeywords, readMaxConcurrentRuns, readThreshold } from './alert-policy.js';
import type { CheckInput } from './api.js';
import { parseDuration } from './duration.js';
import { parseYaml, positionOf, type YamlValue } from './yaml.js';

/**
 * One check as a monitors-as-code file declares it: the API's writable
 * fields (the contract's, through `CheckInput`), found by slug, with
 * channels named rather than given by id; absent fields are left as they are
 * on the server. Times are seconds; `remindEvery` null (`off` in the file):
 * no reminders. The alert policy fields likewise: absent leaves the server's
 * setting, `off` turns one off (null).
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
  'failureThreshold',
  'failure_threshold',
  'recoveryThreshold',
  'recovery_threshold',
  'successKeywords',
  'success_keywords',
  'failureKeywords',
  'failure_keywords',
  'earlyTolerance',
  'early_tolerance',
  'maxConcurrentRuns',
  'max_concurrent_runs',
  'durationAnomaly',
  'duration_anomaly',
]);

type Path = ReadonlyArray<string | number>;

/** A mistake in one place of the file: `path` leads to it, so the message can give its line. */
class FieldError extends Error {
  constructor(
    message: string,
    readonly path: Path,
  ) {
    super(message);
  }
}

/**
 * Reads a monitors file: YAML 1.2 or JSON, either a list of checks or
 * `{ checks: [...] }`. Throws with the check and field at fault.
 */
export function parseMonitorsFile(source: string, fileName = ''): DeclaredCheck[] {
  const document: YamlValue = fileName.endsWith('.json') || source.trimStart().startsWith('{') ? JSON.parse(source) : parseYaml(source);
  const list = Array.isArray(document) ? document : isMap(document) ? document.checks : undefined;
  if (!Array.isArray(list)) throw new Error('expected a list of checks, or a "checks:" list');
  const listPath: Path = Array.isArray(document) ? [] : ['checks'];
  const slugs = new Set<string>();
  try {
    return list.map((entry, index) => {
      const declared = toDeclaredCheck(entry, `checks[${index}]`, [...listPath, index]);
      if (slugs.has(declared.slug))
        throw new FieldError(`checks[${index}]: slug "${declared.slug}" is declared twice`, [...listPath, index, 'slug']);
      slugs.add(declared.slug);
      return declared;
    });
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    // "line 7, column 24: checks[2] (backup).failure_threshold: …", like the YAML reader's own errors.
    const position = positionOf(source, error.path);
    throw new Error(position ? `line ${position.line}, column ${position.column}: ${error.message}` : error.message);
  }
}

const isMap = (value: YamlValue): value is { [key: string]: YamlValue } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function toDeclaredCheck(entry: YamlValue, where: string, path: Path): DeclaredCheck {
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
  if (period !== undefined && cron !== undefined) fail(null, 'give either period or cron, not both');
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
    else fail('channels', 'expected a list of channel names or "*"');
  }
  const failureThreshold = policy('failureThreshold', 'failure_threshold', readThreshold);
  if (failureThreshold !== undefined) declared.failureThreshold = failureThreshold;
  const recoveryThreshold = policy('recoveryThreshold', 'recovery_threshold', readThreshold);
  if (recoveryThreshold !== undefined) declared.recoveryThreshold = recoveryThreshold;
  const successKeywords = policy('successKeywords', 'success_keywords', readKeywords);
  if (successKeywords !== undefined) declared.successKeywords = successKeywords;
  const failureKeywords = policy('failureKeywords', 'failure_keywords', readKeywords);
  if (failureKeywords !== undefined) declared.failureKeywords = failureKeywords;
  const earlyTolerance = policy('earlyTolerance', 'early_tolerance', readEarlyTolerance);
  if (earlyTolerance !== undefined) {
    // The server refuses it too, but only here can the file's line be named.
    if (earlyTolerance !== null && period !== undefined)
      fail(
        entry.earlyTolerance === undefined ? 'early_tolerance' : 'earlyTolerance',
        'applies to cron schedules only, and this check has a period',
      );
    declared.earlyTolerance = earlyTolerance;
  }
  const maxConcurrentRuns = policy('maxConcurrentRuns', 'max_concurrent_runs', readMaxConcurrentRuns);
  if (maxConcurrentRuns !== undefined) declared.maxConcurrentRuns = maxConcurrentRuns;
  const durationAnomaly = policy('durationAnomaly', 'duration_anomaly', readDurationAnomaly);
  if (durationAnomaly !== undefined) declared.durationAnomaly = durationAnomaly;
  return declared;
}
