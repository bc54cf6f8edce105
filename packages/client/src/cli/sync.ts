import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CronbeatApi } from '../api.js';
import { parseMonitorsFile } from '../monitors-file.js';
import { settingsFrom } from '../settings.js';
import { formatPlan, syncChecks } from '../sync.js';
import { CONNECTION_OPTIONS, connectionOverrides, UsageError, usageErrors } from './args.js';

export const SYNC_USAGE = 'cronbeat sync <cronbeat.yaml|cronbeat.json> [--dry-run] [--prune] [--json]';

/** Makes the project's checks match the file; `--dry-run` prints the diff and changes nothing. */
export async function syncCommand(argv: string[]): Promise<number> {
  const { values, positionals } = usageErrors(() =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...CONNECTION_OPTIONS, 'dry-run': { type: 'boolean' }, prune: { type: 'boolean' }, json: { type: 'boolean' } },
    }),
  );
  const [file = 'cronbeat.yaml', ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`usage: ${SYNC_USAGE}`);
  let declared: ReturnType<typeof parseMonitorsFile>;
  try {
    declared = parseMonitorsFile(readFileSync(file === '-' ? 0 : file, 'utf8'), file);
  } catch (error) {
    throw new UsageError(`${file}: ${(error as Error).message}`);
  }
  const api = new CronbeatApi(settingsFrom(process.env, connectionOverrides(values)));
  const dryRun = values['dry-run'] ?? false;
  const changes = await syncChecks(api, declared, { prune: values.prune ?? false, dryRun });
  if (values.json) process.stdout.write(`${JSON.stringify({ dryRun, changes }, null, 2)}\n`);
  else process.stdout.write(`${dryRun ? '(dry run: nothing changed)\n' : ''}${formatPlan(changes)}`);
  return 0;
}
