import { ApiError } from '../api.js';
import { UsageError } from './args.js';
import { CHANNELS_HELP, CHANNELS_USAGE, channelsCommand } from './channels.js';
import { CHECKS_CREATE_HELP, CHECKS_USAGE, checksCommand } from './checks.js';
import { IMPORT_USAGE, importCrontabCommand } from './import-crontab.js';
import { IMPORT_HEALTHCHECKS_HELP, IMPORT_HEALTHCHECKS_USAGE, importHealthchecksCommand } from './import-healthchecks.js';
import { MAINTENANCE_HELP, MAINTENANCE_USAGE, maintenanceCommand } from './maintenance.js';
import { PING_USAGE, pingCommand } from './ping.js';
import { RUN_USAGE, runCommand } from './run.js';
import { SYNC_USAGE, syncCommand } from './sync.js';

const USAGE = `cronbeat: heartbeat monitoring for cron jobs

  ${RUN_USAGE}
  ${PING_USAGE}
  ${CHECKS_USAGE.split('\n').join('\n  ')}
  ${MAINTENANCE_USAGE.split('\n').join('\n  ')}
  ${CHANNELS_USAGE.split('\n').join('\n  ')}
  ${SYNC_USAGE}
  ${IMPORT_USAGE}
  ${IMPORT_HEALTHCHECKS_USAGE}

Every command takes --url, --ping-key and --api-key, which override
CRONBEAT_URL, CRONBEAT_PING_KEY and CRONBEAT_API_KEY (import-healthchecks
takes Healthchecks' API key and ping key in --api-key and --ping-key).
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  run: runCommand,
  ping: pingCommand,
  checks: checksCommand,
  maintenance: maintenanceCommand,
  channels: channelsCommand,
  sync: syncCommand,
  'import-crontab': importCrontabCommand,
  'import-healthchecks': importHealthchecksCommand,
};

/** Runs the CLI and returns the exit status: the job's own for `run`, 2 for usage errors, 1 for other failures. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (name === 'checks' && rest[0] === 'create' && (rest.includes('--help') || rest.includes('-h'))) {
    process.stdout.write(CHECKS_CREATE_HELP);
    return 0;
  }
  if (name === 'maintenance' && (rest.includes('--help') || rest.includes('-h'))) {
    process.stdout.write(MAINTENANCE_HELP);
    return 0;
  }
  if (name === 'import-healthchecks' && (rest.includes('--help') || rest.includes('-h'))) {
    process.stdout.write(IMPORT_HEALTHCHECKS_HELP);
    return 0;
  }
  if (name === 'channels' && (rest.includes('--help') || rest.includes('-h'))) {
    process.stdout.write(CHANNELS_HELP);
    return 0;
  }
  if (!command || (name !== 'run' && (rest.includes('--help') || rest.includes('-h')))) {
    const asked = name === undefined || name === 'help' || name === '--help' || name === '-h' || command !== undefined;
    (asked ? process.stdout : process.stderr).write(USAGE);
    return asked ? 0 : 2;
  }
  try {
    return await command(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`cronbeat: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ApiError || error instanceof Error) {
      process.stderr.write(`cronbeat: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** Exits once stdout and stderr are flushed, so a piped job's last lines are never cut. */
export async function exitWith(code: number): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
  process.exit(code);
}
