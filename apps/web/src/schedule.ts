import cronstrue from 'cronstrue';
import type { Check } from './types';

const PERIOD_UNITS = [
  ['week', 604_800],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
] as const;

/** 300 → "every 5 minutes", 3600 → "every hour". */
export function describePeriod(seconds: number): string {
  for (const [unit, size] of PERIOD_UNITS) {
    if (seconds % size === 0) {
      const count = seconds / size;
      return count === 1 ? `every ${unit}` : `every ${count} ${unit}s`;
    }
  }
  return `every ${seconds} seconds`;
}

/** The expression in words, or the reason it is not a valid cron expression. */
export function describeCron(cron: string): { words: string } | { error: string } {
  try {
    return { words: cronstrue.toString(cron, { use24HourTimeFormat: true, throwExceptionOnParseError: true, verbose: false }) };
  } catch (error) {
    const message = typeof error === 'string' ? error : error instanceof Error ? error.message : 'not a valid cron expression';
    return { error: message.replace(/^Error: /, '') };
  }
}

/** The schedule of a check in words: "every 5 minutes", "At 02:30, Europe/Riga" or "OnCalendar daily, UTC". */
export function describeSchedule(check: Pick<Check, 'period' | 'cron' | 'onCalendar' | 'tz'>): string {
  if (check.onCalendar) return `OnCalendar ${check.onCalendar.split('\n').join('; ')}, ${check.tz}`;
  if (check.cron) {
    const described = describeCron(check.cron);
    const words = 'words' in described ? described.words : check.cron;
    return check.tz ? `${words}, ${check.tz}` : words;
  }
  if (check.period) return describePeriod(check.period);
  return 'no schedule';
}

/** Period presets offered by the editor, in seconds. */
export const PERIOD_PRESETS = [
  { label: '1 minute', seconds: 60 },
  { label: '5 minutes', seconds: 300 },
  { label: '15 minutes', seconds: 900 },
  { label: '1 hour', seconds: 3_600 },
  { label: '6 hours', seconds: 21_600 },
  { label: '1 day', seconds: 86_400 },
  { label: '1 week', seconds: 604_800 },
] as const;

/** IANA time zones the browser knows, UTC first. */
export function timeZones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return ['UTC', ...supported.filter((zone) => zone !== 'UTC')];
}
