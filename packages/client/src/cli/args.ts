import type { ParseArgsConfig } from 'node:util';
import { parseDuration } from '../duration.js';

/** A mistake on the command line: printed with the usage, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Splits `cronbeat run <check> [options] -- <command…>` at the first `--`, so the command's own flags stay its own. */
export function splitAtDoubleDash(argv: string[]): { ours: string[]; command: string[] } {
  const at = argv.indexOf('--');
  return at === -1 ? { ours: argv, command: [] } : { ours: argv.slice(0, at), command: argv.slice(at + 1) };
}

/** Options every command accepts: where Cronbeat is and how to authenticate, overriding the environment. */
export const CONNECTION_OPTIONS = {
  url: { type: 'string' },
  'ping-key': { type: 'string' },
  'api-key': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/**
 * Runs a node:util parseArgs call, turning its errors into usage errors.
 * Callers spell out the parseArgs call themselves so its inferred option types
 * stay local (a generic wrapper cannot be described in the published .d.ts).
 */
export function usageErrors<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A `--timeout 10s` style option in milliseconds. */
export function millisecondsOption(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  try {
    return Math.round(parseDuration(value) * 1000);
  } catch (error) {
    throw new UsageError(`--${name}: ${(error as Error).message}`);
  }
}

export function connectionOverrides(values: { url?: string; 'ping-key'?: string; 'api-key'?: string }) {
  return { url: values.url ?? null, pingKey: values['ping-key'] ?? null, apiKey: values['api-key'] ?? null };
}
