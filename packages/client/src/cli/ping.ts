import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type PingKind, ping } from '../ping.js';
import { settingsFrom } from '../settings.js';
import { CONNECTION_OPTIONS, millisecondsOption, UsageError, usageErrors } from './args.js';

export const PING_USAGE = `cronbeat ping <ping-code | ping-key/slug | slug> [success|start|fail|log|<0-255>] [--body -|<text>] [--rid <uuid>] [--create] [--timeout 10s]`;

export function parsePingKind(text: string | undefined): PingKind {
  if (text === undefined || text === 'success') return 'success';
  if (text === 'start' || text === 'fail' || text === 'log') return text;
  if (/^\d{1,3}$/.test(text) && Number(text) <= 255) return Number(text);
  throw new UsageError(`ping kind must be success, start, fail, log or an exit status 0–255, not "${text}"`);
}

/** Sends one ping; prints Cronbeat's answer and exits 0 only when it was recorded. */
export async function pingCommand(argv: string[]): Promise<number> {
  const { values, positionals } = usageErrors(() =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...CONNECTION_OPTIONS,
        body: { type: 'string' },
        rid: { type: 'string' },
        create: { type: 'boolean' },
        timeout: { type: 'string' },
      },
    }),
  );
  const [check, kindText, ...extra] = positionals;
  if (!check || extra.length > 0) throw new UsageError(`usage: ${PING_USAGE}`);
  const kind = parsePingKind(kindText);
  // "-" reads the body from stdin, so `job 2>&1 | cronbeat ping x log --body -` works.
  const body = values.body === '-' ? readFileSync(0) : values.body;
  const settings = settingsFrom(process.env, { url: values.url ?? null, pingKey: values['ping-key'] ?? null });
  const result = await ping(check, kind, {
    url: settings.url ?? undefined,
    pingKey: settings.pingKey ?? undefined,
    body,
    rid: values.rid,
    create: values.create,
    timeout: millisecondsOption(values.timeout, 10_000, 'timeout'),
  });
  const line = result.status === null ? `cronbeat: could not reach Cronbeat: ${result.message}` : `${result.status} ${result.message}`;
  (result.ok ? process.stdout : process.stderr).write(`${line}\n`);
  return result.ok ? 0 : 1;
}
