/**
 * Alert policy settings as people write them, in monitors files and on the
 * command line: thresholds and run counts as numbers, tolerances and bounds
 * as durations (`10m`, `2h`, seconds), `off` for none. Each reader returns
 * the API's value or throws an Error saying what is wrong and what is
 * allowed; the caller adds where (the key and line, or the flag).
 */
import type { CheckInput } from './api.js';
import { parseDuration } from './duration.js';

/**
 * The API's ranges for the policy settings (core's `RUN_POLICY_LIMITS`, which
 * its 400s quote), checked here so a file's mistake is reported at its line.
 * Written out rather than imported: the contract has them from the domain
 * package, which the CLI does not load (see the contract's rules.ts); a test
 * holds the two equal.
 */
export const POLICY_LIMITS = {
  threshold: { min: 1, max: 100 },
  keywords: { maxItems: 20, maxLength: 200 },
  /** Seconds: 1 s to 1 day. */
  earlyTolerance: { min: 1, max: 86_400 },
  maxConcurrentRuns: { min: 1, max: 100 },
  factor: { min: 1.5, max: 100, default: 3 },
  /** Seconds: 0 to 7 days. */
  duration: { min: 0, max: 604_800 },
} as const;

export type DurationAnomalyInput = NonNullable<CheckInput['durationAnomaly']>;

/** What a file or a flag may hold: a YAML scalar, list or map. */
type Written = unknown;

const shown = (value: Written) => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value));

/** A whole number from `min` to `max`, written as a number or as text. */
export function wholeNumber(value: Written, limits: { min: number; max: number }): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(number) || number < limits.min || number > limits.max) {
    throw new Error(`expected a whole number from ${limits.min} to ${limits.max}, got ${shown(value)}`);
  }
  return number;
}

/** Failed (or successful) runs in a row: 1 to 100. */
export const readThreshold = (value: Written): number => wholeNumber(value, POLICY_LIMITS.threshold);

/** Runs open at once, or `off` (null) for no limit. */
export const readMaxConcurrentRuns = (value: Written): number | null =>
  isOff(value) ? null : wholeNumber(value, POLICY_LIMITS.maxConcurrentRuns);

const isOff = (value: Written) => typeof value === 'string' && value.trim() === 'off';

/** Whole seconds of a duration (`30s`, `10m`, `2h`, a number of seconds) within `limits`. */
export function durationSeconds(value: Written, limits: { min: number; max: number }): number {
  if (typeof value !== 'string' && typeof value !== 'number')
    throw new Error(`expected a duration such as 30s, 10m or 2h, got ${shown(value)}`);
  const seconds = parseDuration(value);
  if (!Number.isInteger(seconds)) throw new Error(`"${value}" is not a whole number of seconds`);
  if (seconds < limits.min || seconds > limits.max) {
    throw new Error(`expected a duration from ${limits.min} to ${limits.max} seconds, got ${shown(value)} (${seconds} s)`);
  }
  return seconds;
}

/** How long before its scheduled time a cron job may run, or `off` (null). */
export const readEarlyTolerance = (value: Written): number | null =>
  isOff(value) ? null : durationSeconds(value, POLICY_LIMITS.earlyTolerance);

/** A list of keywords: at most 20, each 1 to 200 characters and not only spaces. */
export function readKeywords(value: Written): string[] {
  if (!Array.isArray(value)) throw new Error(`expected a list of keywords, got ${shown(value)}`);
  const { maxItems } = POLICY_LIMITS.keywords;
  if (value.length > maxItems) throw new Error(`at most ${maxItems} keywords, got ${value.length}`);
  return value.map((keyword, index) => readKeyword(keyword, index));
}

/** One keyword; `index` names it in the error when it is part of a list. */
export function readKeyword(value: Written, index?: number): string {
  const { maxLength } = POLICY_LIMITS.keywords;
  const at = index === undefined ? '' : `keyword ${index + 1}: `;
  if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`${at}expected text, got ${shown(value)}`);
  const keyword = String(value);
  if (keyword.trim() === '') throw new Error(`${at}a keyword may not be empty or only spaces`);
  if (keyword.length > maxLength) throw new Error(`${at}a keyword has at most ${maxLength} characters, got ${keyword.length}`);
  return keyword;
}

/** The `auto` factor: a number from 1.5 to 100. */
export function readFactor(value: Written): number {
  const { min, max } = POLICY_LIMITS.factor;
  const factor = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(factor) || factor < min || factor > max)
    throw new Error(`factor: expected a number from ${min} to ${max}, got ${shown(value)}`);
  return factor;
}

/**
 * Bounds on a run's duration: at least one, each whole seconds from 0 to 7
 * days, the minimum below the maximum.
 */
export function durationBounds(min: Written, max: Written): DurationAnomalyInput {
  const bound = (value: Written, name: string) => {
    if (value === undefined || value === null) return null;
    try {
      return durationSeconds(value, POLICY_LIMITS.duration);
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}`);
    }
  };
  const minDuration = bound(min, 'min');
  const maxDuration = bound(max, 'max');
  if (minDuration === null && maxDuration === null) throw new Error('give min, max or both');
  if (minDuration !== null && maxDuration !== null && minDuration >= maxDuration) {
    throw new Error(`min (${minDuration} s) must be below max (${maxDuration} s)`);
  }
  return { mode: 'bounds', minDuration, maxDuration };
}

/**
 * `duration_anomaly` in a monitors file: `auto`, `{factor: 3}`,
 * `{min: 30s, max: 2h}` (either bound alone is fine) or `off` (null).
 * `auto` gets the API's default factor, so an unchanged file plans no update.
 */
export function readDurationAnomaly(value: Written): DurationAnomalyInput | null {
  if (isOff(value)) return null;
  if (typeof value === 'string' && value.trim() === 'auto') return { mode: 'auto', factor: POLICY_LIMITS.factor.default };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const fields = value as Record<string, Written>;
    const keys = Object.keys(fields);
    const unknown = keys.find((key) => !['factor', 'min', 'max'].includes(key));
    if (unknown !== undefined) throw new Error(`unknown field "${unknown}" (use factor, or min and max)`);
    if ('factor' in fields) {
      if (keys.length > 1) throw new Error('give factor (auto) or min and max (bounds), not both');
      return { mode: 'auto', factor: readFactor(fields.factor) };
    }
    return durationBounds(fields.min, fields.max);
  }
  throw new Error(`expected auto, off, {factor: 3} or {min: 30s, max: 2h}, got ${shown(value)}`);
}

/** `--duration-anomaly` on the command line: `auto`, `auto:<factor>` or `off`. */
export function readDurationAnomalyFlag(text: string): DurationAnomalyInput | null {
  const [mode, factor, ...rest] = text.trim().split(':');
  if (mode === 'off' && factor === undefined) return null;
  if (mode !== 'auto' || rest.length > 0) throw new Error(`expected auto, auto:<factor> or off, got "${text}"`);
  return { mode: 'auto', factor: factor === undefined ? POLICY_LIMITS.factor.default : readFactor(factor) };
}
