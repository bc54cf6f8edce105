import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CronbeatApi } from '../api.js';
import { type CrontabJob, machineTimeZone, parseCrontab, rewriteCrontab } from '../crontab.js';
import { settingsFrom } from '../settings.js';
import { CONNECTION_OPTIONS, connectionOverrides, UsageError, usageErrors } from './args.js';
import { formatTable } from './table.js';

export const IMPORT_USAGE = 'cronbeat import-crontab [file|-] [--tz Zone] [--system] [--bin cronbeat] [--apply] [--json]';

/** A check name people recognise: the command itself, shortened. */
const nameFor = (job: CrontabJob) => (job.command.length > 60 ? `${job.command.slice(0, 57)}...` : job.command);

/**
 * Prints the crontab rewritten with `cronbeat run` wrappers on stdout (so it
 * can be piped to `crontab -`) and the proposed checks on stderr; `--apply`
 * creates the checks first, by slug, so re-running it is harmless.
 */
export async function importCrontabCommand(argv: string[]): Promise<number> {
  const { values, positionals } = usageErrors(() =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...CONNECTION_OPTIONS,
        tz: { type: 'string' },
        system: { type: 'boolean' },
        bin: { type: 'string' },
        apply: { type: 'boolean' },
        json: { type: 'boolean' },
      },
    }),
  );
  if (positionals.length > 1) throw new UsageError(`usage: ${IMPORT_USAGE}`);
  const file = positionals[0] ?? '-';
  const lines = parseCrontab(readFileSync(file === '-' ? 0 : file, 'utf8'), { tz: values.tz ?? machineTimeZone(), system: values.system });
  const jobs = lines.flatMap((line) => (line.kind === 'job' ? [line.job] : []));
  const proposals = jobs.map((job) => ({ slug: job.slug, name: nameFor(job), cron: job.cron, tz: job.tz }));
  const settings = settingsFrom(process.env, connectionOverrides(values));

  if (values.apply) {
    const api = new CronbeatApi(settings);
    for (const proposal of proposals) await api.createCheck({ ...proposal, channels: '*' }, true);
  }

  const defined = new Set(lines.flatMap((line) => (line.kind === 'env' ? [line.name] : [])));
  const header: string[] = [];
  if (jobs.length > 0 && !defined.has('CRONBEAT_URL'))
    header.push(settings.url ? `CRONBEAT_URL=${settings.url}` : '# CRONBEAT_URL=https://<your cronbeat>');
  if (jobs.length > 0 && !defined.has('CRONBEAT_PING_KEY')) {
    header.push(settings.pingKey ? `CRONBEAT_PING_KEY=${settings.pingKey}` : '# CRONBEAT_PING_KEY=<your project ping key>');
  }
  const crontab = rewriteCrontab(lines, { bin: values.bin, header });

  if (values.json) {
    const skipped = lines.flatMap((line) => (line.kind === 'skipped' ? [{ line: line.text, reason: line.reason }] : []));
    process.stdout.write(`${JSON.stringify({ checks: proposals, skipped, crontab, applied: values.apply ?? false }, null, 2)}\n`);
    return 0;
  }
  process.stderr.write(
    formatTable(
      ['SLUG', 'SCHEDULE', 'TZ', 'COMMAND'],
      proposals.map((proposal) => [proposal.slug, proposal.cron, proposal.tz, proposal.name]),
    ),
  );
  for (const line of lines) if (line.kind === 'skipped') process.stderr.write(`skipped: ${line.text.trim()} (${line.reason})\n`);
  process.stderr.write(values.apply ? `created or found ${proposals.length} checks\n` : 'run again with --apply to create these checks\n');
  process.stdout.write(crontab);
  return 0;
}
