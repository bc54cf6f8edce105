import { parseDuration } from './duration.js';
import { FieldError, notePlace, type Path, placed } from './file-places.js';
import type { YamlValue } from './yaml.js';

/** The API's limits on windows (core's MAINTENANCE_LIMITS), checked here too so a mistake names its line. */
export const WINDOW_LIMITS = {
  /** Seconds an occurrence of a recurring window lasts: 1 minute … 7 days. */
  duration: { min: 60, max: 7 * 86_400 },
  /** Days a one-off window lasts at most. */
  onceDays: 31,
  name: { max: 200 },
  targets: { max: 50 },
} as const;

/** When a declared window is open: between two instants, or for `duration` seconds from each time `cron` fires in `tz`. */
export type DeclaredWindowSchedule =
  | { kind: 'once'; startsAt: string; endsAt: string }
  | { kind: 'recurring'; cron: string; tz: string; duration: number };

/** What a declared window covers; checks are named by slug, as in `depends_on`. */
export type DeclaredCoverage = { kind: 'project' } | { kind: 'tags'; tags: string[] } | { kind: 'checks'; slugs: string[] };

/** A maintenance window as a monitors file declares it, matched with the server's by name. */
export interface DeclaredWindow {
  name: string;
  schedule: DeclaredWindowSchedule;
  covers: DeclaredCoverage;
}

const WINDOW_KEYS = new Set(['name', 'once', 'recurring', 'covers', 'tags', 'checks']);
/** An instant with its offset: a time without one would mean whatever zone the machine running sync is in. */
const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i;

const isMap = (value: YamlValue | undefined): value is { [key: string]: YamlValue } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads the top-level `maintenance:` list. Throws FieldError at the window
 * and key at fault: `maintenance[0] (Database upgrade).recurring.duration: …`.
 */
export function readMaintenance(list: YamlValue, source: string, listPath: Path): DeclaredWindow[] {
  if (!Array.isArray(list)) throw new FieldError('maintenance: expected a list of windows', listPath);
  const names = new Set<string>();
  return list.map((entry, index) => {
    const window = readWindow(entry, `maintenance[${index}]`, [...listPath, index], source);
    if (names.has(window.name))
      throw new FieldError(`maintenance[${index}]: name "${window.name}" is declared twice (windows are matched by name)`, [
        ...listPath,
        index,
        'name',
      ]);
    names.add(window.name);
    return window;
  });
}

function readWindow(entry: YamlValue, where: string, path: Path, source: string): DeclaredWindow {
  if (!isMap(entry)) throw new FieldError(`${where}: expected a map of fields`, path);
  for (const key of Object.keys(entry)) if (!WINDOW_KEYS.has(key)) throw new FieldError(`${where}: unknown field "${key}"`, [...path, key]);
  let at = where;
  function fail(keys: ReadonlyArray<string | number>, message: string): never {
    throw new FieldError(keys.length === 0 ? `${at}: ${message}` : `${at}.${keys.join('.')}: ${message}`, [...path, ...keys]);
  }
  const name = typeof entry.name === 'string' || typeof entry.name === 'number' ? String(entry.name).trim() : '';
  if (!name) fail(entry.name === undefined ? [] : ['name'], '"name" is required (windows are matched by name)');
  if (name.length > WINDOW_LIMITS.name.max) fail(['name'], `at most ${WINDOW_LIMITS.name.max} characters, got ${name.length}`);
  at = `${where} (${name})`;

  if ((entry.once === undefined) === (entry.recurring === undefined))
    fail([], 'give either once: {starts, ends} or recurring: {cron, tz, duration}');
  const schedule = entry.once !== undefined ? readOnce(entry.once, fail) : readRecurring(entry.recurring as YamlValue, fail);

  const window: DeclaredWindow = { name, schedule, covers: readCoverage(entry, fail) };
  if (window.covers.kind === 'checks') {
    const key = entry.checks !== undefined ? ['checks'] : ['covers', 'checks'];
    window.covers.slugs.forEach((_, index) => {
      notePlace(window, `checks.${index}`, () => placed(source, [...path, ...key, index], `${at}.${[...key, index].join('.')}`));
    });
  }
  return window;
}

type Fail = (keys: ReadonlyArray<string | number>, message: string) => never;

function readOnce(value: YamlValue, fail: Fail): DeclaredWindowSchedule {
  if (!isMap(value)) fail(['once'], 'expected {starts, ends}');
  for (const key of Object.keys(value))
    if (key !== 'starts' && key !== 'ends') fail(['once', key], 'unknown field (once takes starts and ends)');
  const instant = (key: 'starts' | 'ends'): string => {
    const text = value[key];
    if (typeof text !== 'string') fail(['once', key], 'expected a date and time with its offset, e.g. 2026-12-24T22:00:00+01:00');
    if (!INSTANT.test(text) || Number.isNaN(Date.parse(text)))
      fail(['once', key], `expected a date and time with its offset (Z or +01:00), got "${text}"`);
    return new Date(text).toISOString();
  };
  const startsAt = instant('starts');
  const endsAt = instant('ends');
  const length = Date.parse(endsAt) - Date.parse(startsAt);
  if (length <= 0) fail(['once', 'ends'], 'must be after starts');
  if (length > WINDOW_LIMITS.onceDays * 86_400_000) fail(['once', 'ends'], `a one-off window lasts at most ${WINDOW_LIMITS.onceDays} days`);
  return { kind: 'once', startsAt, endsAt };
}

function readRecurring(value: YamlValue, fail: Fail): DeclaredWindowSchedule {
  if (!isMap(value)) fail(['recurring'], 'expected {cron, tz, duration}');
  for (const key of Object.keys(value))
    if (key !== 'cron' && key !== 'tz' && key !== 'duration')
      fail(['recurring', key], 'unknown field (recurring takes cron, tz and duration)');
  const { cron, tz, duration } = value;
  if (typeof cron !== 'string' || cron.trim() === '') fail(['recurring', 'cron'], 'expected a cron expression, e.g. "0 2 * * SUN"');
  if (tz !== undefined && (typeof tz !== 'string' || zoneOf(tz) === null))
    fail(['recurring', 'tz'], `expected an IANA time zone such as Europe/Berlin, got ${JSON.stringify(tz)}`);
  if (duration === undefined || duration === null) fail(['recurring', 'duration'], 'is required: how long each occurrence lasts, e.g. 2h');
  let seconds: number;
  try {
    seconds = parseDuration(typeof duration === 'number' ? duration : String(duration));
  } catch (error) {
    return fail(['recurring', 'duration'], (error as Error).message);
  }
  const { min, max } = WINDOW_LIMITS.duration;
  if (!Number.isInteger(seconds) || seconds < min || seconds > max)
    fail(['recurring', 'duration'], `expected whole seconds from 1m to 7d, got ${duration}`);
  return { kind: 'recurring', cron: normalCron(cron), tz: tz === undefined ? 'UTC' : (zoneOf(tz as string) as string), duration: seconds };
}

/**
 * `covers: project`, `covers: {tags: [...]}` or `covers: {checks: [...]}`,
 * or the lists directly on the window (`tags: [...]`, `checks: [...]`);
 * neither: the whole project, as in the API.
 */
function readCoverage(entry: { [key: string]: YamlValue }, fail: Fail): DeclaredCoverage {
  const { covers } = entry;
  const lists: Array<[ReadonlyArray<string>, YamlValue]> = [];
  if (entry.tags !== undefined) lists.push([['tags'], entry.tags]);
  if (entry.checks !== undefined) lists.push([['checks'], entry.checks]);
  if (isMap(covers)) {
    for (const key of Object.keys(covers)) if (key !== 'tags' && key !== 'checks') fail(['covers', key], 'expected tags or checks');
    if (covers.tags !== undefined) lists.push([['covers', 'tags'], covers.tags]);
    if (covers.checks !== undefined) lists.push([['covers', 'checks'], covers.checks]);
  } else if (covers !== undefined && covers !== 'project') {
    fail(['covers'], 'expected project, {tags: [...]} or {checks: [...]}');
  }
  if (lists.length > 1) fail(lists[1]![0], 'a window covers the project, tags or checks: give one of them');
  if (lists.length === 0) return { kind: 'project' };
  if (covers === 'project') fail(lists[0]![0], 'covers: project takes no list');
  const [keys, value] = lists[0]!;
  const kind = keys[keys.length - 1] as 'tags' | 'checks';
  if (!Array.isArray(value) || value.length === 0) fail(keys, `expected a list of ${kind === 'tags' ? 'tags' : 'check slugs'}`);
  if (value.length > WINDOW_LIMITS.targets.max) fail(keys, `at most ${WINDOW_LIMITS.targets.max}, got ${value.length}`);
  const items = value.map((item, index) => {
    if (typeof item !== 'string' && typeof item !== 'number') fail([...keys, index], 'expected text');
    const text = String(item);
    if (kind === 'checks' && !/^[a-z0-9][a-z0-9_-]*$/.test(text)) fail([...keys, index], `"${text}" is not a check slug`);
    if (kind === 'tags' && !/^\S+$/.test(text)) fail([...keys, index], `"${text}": a tag has no spaces`);
    return text;
  });
  return kind === 'tags' ? { kind: 'tags', tags: items } : { kind: 'checks', slugs: items };
}

/**
 * A cron expression as the server stores it: single-spaced, nicknames
 * written out, so a file that says `@daily` is not a change at every sync.
 */
export function normalCron(cron: string): string {
  const fields = cron.trim().split(/\s+/).join(' ');
  return NICKNAMES[fields.toLowerCase()] ?? fields;
}

const NICKNAMES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** The canonical spelling of an IANA zone (as the server stores it), or null when Node does not know it. */
export function zoneOf(text: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: text.trim() }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}
