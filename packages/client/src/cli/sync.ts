import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CronbeatApi } from '../api.js';
import { type MonitorsFile, parseMonitors } from '../monitors-file.js';
import { settingsFrom } from '../settings.js';
import { DeclarationError, formatPlan, formatWindowPlan, syncMonitors } from '../sync.js';
import { CONNECTION_OPTIONS, connectionOverrides, UsageError, usageErrors } from './args.js';

export const SYNC_USAGE = 'cronbeat sync <cronbeat.yaml|cronbeat.json> [--dry-run] [--prune] [--json]';

/** Makes the project's checks (and maintenance windows, when it lists them) match the file; `--dry-run` prints the diff and changes nothing. */
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
  let declared: MonitorsFile;
  try {
    declared = parseMonitors(readFileSync(file === '-' ? 0 : file, 'utf8'), file);
  } catch (error) {
    throw new UsageError(`${file}: ${(error as Error).message}`);
  }
  const api = new CronbeatApi(settingsFrom(process.env, connectionOverrides(values)));
  const dryRun = values['dry-run'] ?? false;
  let result: Awaited<ReturnType<typeof syncMonitors>>;
  try {
    result = await syncMonitors(api, declared, { prune: values.prune ?? false, dryRun });
  } catch (error) {
    // A slug that names no check, or a cycle: a mistake of the file, found against the server before anything changed.
    if (error instanceof DeclarationError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
  const { checks: changes, maintenance } = result;
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ dryRun, changes, ...(maintenance && { maintenance }) }, null, 2)}\n`);
  } else {
    const windows = maintenance ? formatWindowPlan(maintenance) : '';
    process.stdout.write(`${dryRun ? '(dry run: nothing changed)\n' : ''}${formatPlan(changes)}${windows}`);
  }
  return 0;
}
