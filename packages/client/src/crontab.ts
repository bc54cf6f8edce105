import { cronFieldsProblem } from './cron-fields.js';
import { nameForCommand, slugForCommand } from './slug.js';

/** Cron's nicknames and the five fields they stand for; `@reboot` has no schedule to watch. */
const NICKNAMES: Record<string, string | null> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
  '@reboot': null,
};

const CRON_FIELD = /^[0-9A-Za-z*?,/#-]+$/;

export type CrontabLine =
  | { kind: 'text'; text: string }
  | { kind: 'env'; text: string; name: string; value: string }
  | { kind: 'job'; text: string; job: CrontabJob }
  | { kind: 'skipped'; text: string; reason: string }
  /** A job line whose schedule cron would refuse; `line` counts from 1. */
  | { kind: 'invalid'; text: string; line: number; reason: string };

export interface CrontabJob {
  /** The schedule as written: five fields or a nickname. */
  schedule: string;
  /** Five-field cron expression Cronbeat watches. */
  cron: string;
  /** IANA time zone: CRON_TZ / TZ set above the line, else the machine's. */
  tz: string;
  /** User column of a system crontab. */
  user: string | null;
  /** The command, up to cron's first unescaped `%`. */
  command: string;
  /** What follows the first unescaped `%` (cron feeds it to stdin), with its `%`; empty when none. */
  stdin: string;
  /** The shell cron runs the command with (SHELL= in the crontab). Default: /bin/sh. */
  shell: string;
  slug: string;
  /** A check name from what the command runs, e.g. `artisan schedule:run`. */
  name: string;
}

export interface ParseCrontabOptions {
  /** Time zone for jobs with no CRON_TZ above them. Default: this machine's. */
  tz?: string;
  /** A system crontab (/etc/crontab, /etc/cron.d/*) has a user column. Default: false. */
  system?: boolean;
}

export const machineTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Reads a crontab line by line, keeping every line so it can be written back unchanged. */
export function parseCrontab(source: string, options: ParseCrontabOptions = {}): CrontabLine[] {
  let tz = options.tz ?? machineTimeZone();
  let shell = '/bin/sh';
  const slugs = new Map<string, number>();
  const lines = source.replace(/\n$/, '').split('\n');
  return lines.map((text, index): CrontabLine => {
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return { kind: 'text', text };
    const env = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(trimmed);
    if (env) {
      const value = env[2]!.replace(/^(["'])(.*)\1$/, '$2');
      if (env[1] === 'CRON_TZ' || env[1] === 'TZ') tz = value;
      if (env[1] === 'SHELL') shell = value;
      return { kind: 'env', text, name: env[1]!, value };
    }
    const parsed = splitJobLine(trimmed, options.system ?? false);
    if ('invalid' in parsed) return { kind: 'invalid', text, line: index + 1, reason: parsed.invalid };
    if ('reason' in parsed) return { kind: 'skipped', text, reason: parsed.reason };
    if (/(^|[\s/])cronbeat\s+(run|ping)\b/.test(parsed.command)) return { kind: 'skipped', text, reason: 'already monitored by cronbeat' };
    const { command, stdin } = splitStdin(parsed.command);
    const base = slugForCommand(command);
    const seen = (slugs.get(base) ?? 0) + 1;
    slugs.set(base, seen);
    const slug = seen === 1 ? base : `${base}-${seen}`;
    const name = seen === 1 ? nameForCommand(command) : `${nameForCommand(command)} (${seen})`;
    return {
      kind: 'job',
      text,
      job: { schedule: parsed.schedule, cron: parsed.cron, tz, user: parsed.user, command, stdin, shell, slug, name },
    };
  });
}

function splitJobLine(
  line: string,
  system: boolean,
): { schedule: string; cron: string; user: string | null; command: string } | { reason: string } | { invalid: string } {
  const words = line.split(/\s+/);
  let schedule: string;
  let cron: string;
  let rest: string[];
  if (words[0]!.startsWith('@')) {
    const nickname = NICKNAMES[words[0]!.toLowerCase()];
    if (nickname === undefined) return { reason: `unknown schedule ${words[0]}` };
    if (nickname === null) return { reason: `${words[0]} has no schedule to watch` };
    schedule = words[0]!;
    cron = nickname;
    rest = words.slice(1);
  } else {
    const fields = words.slice(0, 5);
    if (fields.length < 5 || !fields.every((field) => CRON_FIELD.test(field))) return { reason: 'not a cron line' };
    schedule = fields.join(' ');
    const problem = cronFieldsProblem(fields);
    if (problem) return { invalid: `${problem} in "${schedule}"` };
    cron = schedule;
    rest = words.slice(5);
  }
  const user = system ? (rest[0] ?? null) : null;
  // Keep the command's own spacing: cut it from the line rather than re-joining words.
  const prefix = new RegExp(`^(?:\\S+\\s+){${words.length - rest.length + (system ? 1 : 0)}}`).exec(line);
  const command = prefix ? line.slice(prefix[0].length) : '';
  if (command.trim() === '') return { reason: 'no command' };
  return { schedule, cron, user, command };
}

/** Cron turns the first unescaped `%` into the start of stdin; it must stay outside our quoting. */
function splitStdin(command: string): { command: string; stdin: string } {
  const match = /(^|[^\\])%/.exec(command);
  if (!match) return { command, stdin: '' };
  const at = match.index + match[1]!.length;
  return { command: command.slice(0, at).trimEnd(), stdin: command.slice(at) };
}

const SIMPLE_WORDS = /^[A-Za-z0-9_./:=@+,\s-]+$/;

export interface RewriteOptions {
  /** The cronbeat program as cron will find it. Default: `cronbeat`. */
  bin?: string;
  /** Lines to put first, e.g. CRONBEAT_URL= and CRONBEAT_PING_KEY=. */
  header?: string[];
}

/** The job line wrapped with `cronbeat run <slug> -- …`; shell syntax goes through the crontab's shell. */
export function wrapJob(job: CrontabJob, bin = 'cronbeat'): string {
  const inner = SIMPLE_WORDS.test(job.command) ? job.command : `${job.shell} -c ${shellQuote(job.command)}`;
  const user = job.user ? ` ${job.user}` : '';
  const stdin = job.stdin ? ` ${job.stdin}` : '';
  return `${job.schedule}${user} ${bin} run ${job.slug} -- ${inner}${stdin}`;
}

export const shellQuote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

export function rewriteCrontab(lines: CrontabLine[], options: RewriteOptions = {}): string {
  const body = lines.map((line) => (line.kind === 'job' ? wrapJob(line.job, options.bin) : line.text));
  return `${[...(options.header ?? []), ...body].join('\n')}\n`;
}
