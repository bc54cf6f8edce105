import { readFileSync, realpathSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CronbeatApi } from '../api.js';
import { machineTimeZone, parseCrontab, rewriteCrontab, shellQuote } from '../crontab.js';
import { settingsFrom } from '../settings.js';
import { CONNECTION_OPTIONS, connectionOverrides, UsageError, usageErrors } from './args.js';
import { formatTable } from './table.js';

export const IMPORT_USAGE = 'cronbeat import-crontab [file|-] [--tz Zone] [--system] [--bin path] [--apply] [--json]';

/**
 * This client as cron can start it: cron's PATH (/usr/bin:/bin) holds
 * neither npm's global bin nor, often, node, so both are written out in full.
 */
function absoluteClient(): string {
  const quoted = (path: string) => (/^[A-Za-z0-9_./-]+$/.test(path) ? path : shellQuote(path));
  return `${quoted(process.execPath)} ${quoted(realpathSync(process.argv[1] ?? 'cronbeat'))}`;
}

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
  const invalid = lines.flatMap((line) => (line.kind === 'invalid' ? [`line ${line.line}: ${line.reason}`] : []));
  // Cron would refuse the crontab (or never run the line): refuse before creating checks that wait forever.
  if (invalid.length > 0) throw new UsageError(`${invalid.join('\n')}\nfix the crontab and run import-crontab again`);
  const jobs = lines.flatMap((line) => (line.kind === 'job' ? [line.job] : []));
  const proposals = jobs.map((job) => ({ slug: job.slug, name: job.name, cron: job.cron, tz: job.tz }));
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
  const crontab = rewriteCrontab(lines, { bin: values.bin ?? absoluteClient(), header });

  if (values.json) {
    const skipped = lines.flatMap((line) => (line.kind === 'skipped' ? [{ line: line.text, reason: line.reason }] : []));
    process.stdout.write(`${JSON.stringify({ checks: proposals, skipped, crontab, applied: values.apply ?? false }, null, 2)}\n`);
    return 0;
  }
  process.stderr.write(
    formatTable(
      ['SLUG', 'NAME', 'SCHEDULE', 'TZ', 'COMMAND'],
      jobs.map((job) => [job.slug, job.name, job.cron, job.tz, job.command.length > 60 ? `${job.command.slice(0, 57)}...` : job.command]),
    ),
  );
  for (const line of lines) if (line.kind === 'skipped') process.stderr.write(`skipped: ${line.text.trim()} (${line.reason})\n`);
  process.stderr.write(values.apply ? `created or found ${proposals.length} checks\n` : 'run again with --apply to create these checks\n');
  process.stdout.write(crontab);
  return 0;
}
