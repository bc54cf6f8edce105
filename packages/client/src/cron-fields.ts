/**
 * Checks the five time fields of a crontab line the way cronie reads them,
 * so `import-crontab` refuses a schedule cron itself would refuse (or never
 * run) instead of creating a check that waits for it forever. Written here
 * because the client has no dependencies; the server parses schedules with
 * cron-parser.
 */

interface FieldRule {
  name: string;
  min: number;
  max: number;
  /** Names cron accepts for single values and range ends (`jan`, `mon`), by their number. */
  names?: readonly string[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const FIELDS: readonly FieldRule[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  // 7 is Sunday too, as in cronie.
  { name: 'day of week', min: 0, max: 7, names: DAYS },
];

/** Why five cron fields are not a schedule cronie runs, in a sentence; null when they are. */
export function cronFieldsProblem(fields: readonly string[]): string | null {
  if (fields.length !== 5) return `a schedule has 5 fields, got ${fields.length}`;
  for (const [i, rule] of FIELDS.entries()) {
    const problem = fieldProblem(fields[i]!, rule);
    if (problem) return problem;
  }
  return null;
}

function fieldProblem(field: string, rule: FieldRule): string | null {
  for (const item of field.split(',')) {
    const match = /^(\*|([^-/]+)(?:-([^-/]+))?)(?:\/(.+))?$/.exec(item);
    if (!match) return `${rule.name} "${item}" is not a value, a range or a step`;
    const [, whole, from, to, step] = match;
    if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1 && Number(step) <= rule.max - rule.min + 1)) {
      return `${rule.name} step "${step}" must be a number from 1 to ${rule.max - rule.min + 1}`;
    }
    if (whole === '*') continue;
    const start = fieldValue(from!, rule);
    if (typeof start === 'string') return start;
    if (to === undefined) {
      // cronie takes `a/n` only as shorthand for `a-max/n`; a plain value is fine alone.
      continue;
    }
    const end = fieldValue(to, rule);
    if (typeof end === 'string') return end;
    if (end < start) return `${rule.name} range "${from}-${to}" runs backwards`;
  }
  return null;
}

/** A field value as a number, or why it is none. */
function fieldValue(text: string, rule: FieldRule): number | string {
  const named = rule.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (rule.name === 'month' ? 1 : 0);
  if (!/^\d+$/.test(text)) return `${rule.name} "${text}" is not a number${rule.names ? ' or a name' : ''}`;
  const value = Number(text);
  if (value < rule.min || value > rule.max) return `${rule.name} ${value} is out of range ${rule.min}-${rule.max}`;
  return value;
}
