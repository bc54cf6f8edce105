/**
 * Durations as people type them: `90s`, `15m`, `2h`, `1d`, the same words as
 * monitors files and the CLI (one parser, the client's). The API keeps
 * seconds; the editor converts at its edge.
 */
import { formatDuration, parseDuration } from 'cronbeat/duration';

export { formatDuration };

/** Shortest and longest period, grace and max runtime, as the server allows (1 minute … 1 year). */
const LIMITS = { min: 60, max: 365 * 86_400 } as const;

export const DURATION_EXAMPLES = 'e.g. 90s, 15m, 2h, 1d';

/** Seconds, or what is wrong with the text, in the words a person typed it in. */
export function readDuration(text: string): number | { error: string } {
  let seconds: number;
  try {
    seconds = parseDuration(text);
  } catch {
    return { error: `"${text.trim()}" is not a duration: a number and a unit, ${DURATION_EXAMPLES}` };
  }
  if (!Number.isInteger(seconds)) return { error: 'must be whole seconds' };
  if (seconds < LIMITS.min || seconds > LIMITS.max) {
    return { error: `must be between ${formatDuration(LIMITS.min)} and ${formatDuration(LIMITS.max)}, got ${formatDuration(seconds)}` };
  }
  return seconds;
}

/** The error of a duration field, or undefined when it is fine (or empty and optional). */
export const durationError = (text: string, optional = false): string | undefined => {
  if (optional && text.trim() === '') return undefined;
  const read = readDuration(text);
  return typeof read === 'number' ? undefined : read.error;
};
