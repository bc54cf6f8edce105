import { parseArgs } from 'node:util';
import { RUN_LOCK_LIMITS } from '@cronbeat/contract';
import { runLocked } from '../locked-run.js';
import { isUuid } from '../ping.js';
import { runMonitored } from '../run.js';
import { settingsFrom } from '../settings.js';
import { CONNECTION_OPTIONS, millisecondsOption, splitAtDoubleDash, UsageError, usageErrors } from './args.js';

export const RUN_USAGE = `cronbeat run <ping-code | ping-key/slug | slug> [--rid auto|off|<uuid>] [--timeout 10s] [--create]
      [--lock [--lock-ttl 60s] [--skipped-exit 0]] -- <command> [args…]`;

const { ttl } = RUN_LOCK_LIMITS;

/** `--lock-ttl`: a duration in whole seconds within the lease's bounds. */
function lockTtl(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = millisecondsOption(value, 0, 'lock-ttl');
  const seconds = ms / 1000;
  if (!Number.isInteger(seconds) || seconds < ttl.min || seconds > ttl.max) {
    throw new UsageError(`--lock-ttl must be whole seconds from ${ttl.min}s to ${ttl.max}s, got "${value}"`);
  }
  return seconds;
}

/** `--skipped-exit`: the exit code of a run skipped because another runner holds the lock. */
function skippedExit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,3}$/.test(value) || Number(value) > 255)
    throw new UsageError(`--skipped-exit must be an exit code from 0 to 255, got "${value}"`);
  return Number(value);
}

/**
 * Runs the command and returns its exit code. Cronbeat problems are
 * warnings and the job always runs, except under `--lock`, which fails
 * closed: without the lease the job does not run.
 */
export async function runCommand(argv: string[]): Promise<number> {
  const { ours, command } = splitAtDoubleDash(argv);
  const { values, positionals } = usageErrors(() =>
    parseArgs({
      args: ours,
      allowPositionals: true,
      options: {
        ...CONNECTION_OPTIONS,
        rid: { type: 'string' },
        timeout: { type: 'string' },
        create: { type: 'boolean' },
        lock: { type: 'boolean' },
        'lock-ttl': { type: 'string' },
        'skipped-exit': { type: 'string' },
      },
    }),
  );
  const [check, ...extra] = positionals;
  // Without "--" the first positional after the check starts the command, as in `cronbeat run backup ./backup.sh`.
  const job = command.length > 0 ? [...extra, ...command] : extra;
  if (!check || job.length === 0) throw new UsageError(`usage: ${RUN_USAGE}`);
  if (values.rid && !['auto', 'off', 'none'].includes(values.rid) && !isUuid(values.rid)) {
    throw new UsageError('--rid must be auto, off or a UUID');
  }
  if (!values.lock && (values['lock-ttl'] !== undefined || values['skipped-exit'] !== undefined)) {
    throw new UsageError('--lock-ttl and --skipped-exit go with --lock');
  }
  const timeout = millisecondsOption(values.timeout, 10_000, 'timeout');
  const settings = settingsFrom(process.env, { url: values.url ?? null, pingKey: values['ping-key'] ?? null });
  const options = {
    url: settings.url ?? undefined,
    pingKey: settings.pingKey ?? undefined,
    rid: values.rid,
    timeout,
    create: values.create,
  };
  if (values.lock) {
    const outcome = await runLocked(check, job, {
      ...options,
      ttl: lockTtl(values['lock-ttl']),
      skippedExit: skippedExit(values['skipped-exit']),
    });
    return outcome.exitCode;
  }
  return (await runMonitored(check, job, options)).exitCode;
}
