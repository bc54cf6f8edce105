import { parseArgs } from 'node:util';
import { isUuid } from '../ping.js';
import { runMonitored } from '../run.js';
import { settingsFrom } from '../settings.js';
import { CONNECTION_OPTIONS, millisecondsOption, splitAtDoubleDash, UsageError, usageErrors } from './args.js';

export const RUN_USAGE = `cronbeat run <ping-code | ping-key/slug | slug> [--rid auto|off|<uuid>] [--timeout 10s] [--create] -- <command> [args…]`;

/** Runs the command and returns its exit code. Cronbeat problems are warnings; the job always runs. */
export async function runCommand(argv: string[]): Promise<number> {
  const { ours, command } = splitAtDoubleDash(argv);
  const { values, positionals } = usageErrors(() =>
    parseArgs({
      args: ours,
      allowPositionals: true,
      options: { ...CONNECTION_OPTIONS, rid: { type: 'string' }, timeout: { type: 'string' }, create: { type: 'boolean' } },
    }),
  );
  const [check, ...extra] = positionals;
  // Without "--" the first positional after the check starts the command, as in `cronbeat run backup ./backup.sh`.
  const job = command.length > 0 ? [...extra, ...command] : extra;
  if (!check || job.length === 0) throw new UsageError(`usage: ${RUN_USAGE}`);
  if (values.rid && !['auto', 'off', 'none'].includes(values.rid) && !isUuid(values.rid)) {
    throw new UsageError('--rid must be auto, off or a UUID');
  }
  const timeout = millisecondsOption(values.timeout, 10_000, 'timeout');
  const settings = settingsFrom(process.env, { url: values.url ?? null, pingKey: values['ping-key'] ?? null });
  const outcome = await runMonitored(check, job, {
    url: settings.url ?? undefined,
    pingKey: settings.pingKey ?? undefined,
    rid: values.rid,
    timeout,
    create: values.create,
  });
  return outcome.exitCode;
}
