import { parseArgs } from 'node:util';
import type { HealthchecksImportResult } from '@cronbeat/contract';
import { CronbeatApi } from '../api.js';
import { settingsFrom } from '../settings.js';
import { UsageError, usageErrors } from './args.js';
import { formatTable } from './table.js';

export const IMPORT_HEALTHCHECKS_USAGE =
  'cronbeat import-healthchecks --from <site-url> --api-key <healthchecks key> [--ping-key <key>] [--dry-run] [--json] [--url <cronbeat>]';

export const IMPORT_HEALTHCHECKS_HELP = `usage: ${IMPORT_HEALTHCHECKS_USAGE}

Reads a Healthchecks project through its Management API v3 and makes its
checks in your Cronbeat project with the same UUIDs (API id and ping URL) and
slugs, schedules, grace, time zone, tags, descriptions, manual resume and
methods. Running it again updates them; it never duplicates.

  --from       the Healthchecks site, e.g. https://healthchecks.io
  --api-key    a read-write API key of the Healthchecks project (here it is
               Healthchecks' key; Cronbeat's comes from CRONBEAT_API_KEY)
  --ping-key   the Healthchecks project's ping key: it becomes the Cronbeat
               project's, so /ping/<ping-key>/<slug> URLs keep working
  --dry-run    print the plan, change nothing
  --json       print the answer as JSON

Integrations cannot be imported (Healthchecks' API does not reveal their
secrets): they are listed, to be recreated by hand and attached.
`;

/** The plan (or what was done) as people read it. */
function describe(result: HealthchecksImportResult): string {
  const rows = result.checks.map((check) => [check.action, check.uuid, check.slug || '-', check.name, check.reason ?? '']);
  const lines = [
    result.dryRun ? 'Plan (dry run, nothing changed):' : 'Imported:',
    formatTable(['ACTION', 'UUID', 'SLUG', 'NAME', 'WHY'], rows),
  ];
  if (result.pingKey === 'set') lines.push(`Project ping key ${result.dryRun ? 'would be' : 'is'} the Healthchecks ping key.\n`);
  if (result.integrations.length > 0) {
    lines.push(
      'Integrations to recreate by hand (Healthchecks does not reveal their secrets):',
      formatTable(
        ['KIND', 'NAME', 'HEALTHCHECKS ID'],
        result.integrations.map((integration) => [integration.kind, integration.name, integration.id]),
      ),
    );
  }
  return lines.join('\n');
}

/** `cronbeat import-healthchecks`: one call to the server, which reads Healthchecks through its network guard. */
export async function importHealthchecksCommand(argv: string[]): Promise<number> {
  const { values, positionals } = usageErrors(() =>
    parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        from: { type: 'string' },
        'api-key': { type: 'string' },
        'ping-key': { type: 'string' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (positionals.length > 0 || !values.from || !values['api-key']) throw new UsageError(`usage: ${IMPORT_HEALTHCHECKS_USAGE}`);
  const api = new CronbeatApi(settingsFrom(process.env, { url: values.url ?? null }));
  const result = await api.request<HealthchecksImportResult>('POST', '/import/healthchecks', {
    from: values.from,
    apiKey: values['api-key'],
    ...(values['ping-key'] !== undefined && { pingKey: values['ping-key'] }),
    dryRun: values['dry-run'] ?? false,
  });
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : describe(result));
  return 0;
}
