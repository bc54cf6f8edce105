import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CronbeatApi } from '../api.js';
import { type MonitorsFile, parseMonitors } from '../monitors-file.js';
import { settingsFrom } from '../settings.js';
import { DeclarationError, formatChannelPlan, formatPlan, formatWindowPlan, syncMonitors } from '../sync.js';
import { CONNECTION_OPTIONS, connectionOverrides, UsageError, usageErrors } from './args.js';

export const SYNC_USAGE = 'cronbeat sync <cronbeat.yaml|cronbeat.json> [--dry-run] [--prune] [--json]';

/**
 * Makes the project's checks (and its channels and maintenance windows, when
 * the file lists them) match the file; `--dry-run` prints the diff and
 * changes nothing. No secret's value is ever printed.
 */
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
    declared = parseMonitors(readFileSync(file === '-' ? 0 : file, 'utf8'), file, process.env);
  } catch (error) {
    throw new UsageError(`${file}: ${(error as Error).message}`);
  }
  const api = new CronbeatApi(settingsFrom(process.env, connectionOverrides(values)));
  const dryRun = values['dry-run'] ?? false;
  let result: Awaited<ReturnType<typeof syncMonitors>>;
  try {
    result = await syncMonitors(api, declared, { prune: values.prune ?? false, dryRun });
  } catch (error) {
    // A slug or channel that names none, a cycle, a channel's config the server refuses: a mistake of the file.
    if (error instanceof DeclarationError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
  const { checks: changes, maintenance, channels } = result;
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ dryRun, changes, ...(maintenance && { maintenance }), ...(channels && { channels }) }, null, 2)}\n`,
    );
  } else {
    const windows = maintenance ? formatWindowPlan(maintenance) : '';
    const channelPlan = channels ? formatChannelPlan(channels) : '';
    process.stdout.write(`${dryRun ? '(dry run: nothing changed)\n' : ''}${channelPlan}${formatPlan(changes)}${windows}`);
  }
  return 0;
}
