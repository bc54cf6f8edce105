import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { constants } from 'node:os';
import { type PingOptions, type PingResult, ping, pingUrl } from './ping.js';
import { TailBuffer } from './tail.js';

export interface RunOptions extends Pick<PingOptions, 'url' | 'pingKey' | 'create'> {
  /** Run id: a UUID, `auto` for a fresh one, or `off` to send none. Default: auto. */
  rid?: string;
  /** Milliseconds Cronbeat may add after the job ends, retries included. Default: 10,000. */
  timeout?: number;
  /** Where warnings about Cronbeat itself go. Default: stderr with a `cronbeat:` prefix. */
  warn?: (message: string) => void;
  /** Variables added to the command's environment (the run lock's CRONBEAT_FENCING_TOKEN). */
  env?: Record<string, string>;
  /** Work done once the command has ended, alongside the end ping and within the same deadline (releasing the run lock). */
  afterCommand?: (deadline: number) => Promise<void>;
}

export interface RunOutcome {
  /** The exit code to leave with: the command's own, or 128 + signal number like shells. */
  exitCode: number;
  signal: NodeJS.Signals | null;
  startPing: PingResult | null;
  endPing: PingResult | null;
}

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;

export function resolveRid(rid: string | undefined): string | undefined {
  if (rid === undefined || rid === 'auto') return randomUUID();
  if (rid === 'off' || rid === 'none') return undefined;
  return rid;
}

/**
 * Runs a command the way `cronbeat run` does: start ping alongside the launch
 * (never before it, so Cronbeat being slow cannot delay the job), output
 * passed through and its tail kept, then the exit-status ping.
 */
export async function runMonitored(check: string, command: string[], options: RunOptions = {}): Promise<RunOutcome> {
  const warn = options.warn ?? ((message: string) => process.stderr.write(`cronbeat: ${message}\n`));
  const timeout = options.timeout ?? 10_000;
  const rid = resolveRid(options.rid);
  const pingOptions = { url: options.url, pingKey: options.pingKey, create: options.create, rid };
  const [program, ...args] = command;
  if (!program) throw new Error('no command to run');

  // A reference that cannot become a URL is reported once, and the job runs unmonitored.
  let monitored = true;
  try {
    pingUrl(check, 'start', pingOptions);
  } catch (error) {
    warn(`${(error as Error).message}; running the command unmonitored`);
    monitored = false;
  }
  const startPing = monitored ? safePing(check, 'start', { ...pingOptions, timeout }, warn) : Promise.resolve(null);
  const tail = new TailBuffer();
  const child = spawn(program, args, { stdio: ['inherit', 'pipe', 'pipe'], env: options.env && { ...process.env, ...options.env } });
  child.stdout.pipe(process.stdout, { end: false });
  child.stderr.pipe(process.stderr, { end: false });
  // If our reader goes away (`cronbeat run … | head`), keep the job running and its tail collected
  // rather than dying of EPIPE and losing the exit ping.
  const detach = (source: NodeJS.ReadableStream, target: NodeJS.WritableStream) => () => {
    source.unpipe(target);
    source.resume(); // unpipe pauses a stream left without pipes; the tail still needs the data
  };
  process.stdout.on('error', detach(child.stdout, process.stdout));
  process.stderr.on('error', detach(child.stderr, process.stderr));
  child.stdout.on('data', (chunk: Buffer) => tail.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => tail.push(chunk));

  // Signals meant for the job (Ctrl-C, a Kubernetes stop) reach it; we report what it does with them.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);

  const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; spawnError?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, spawnError: error }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);

  const deadline = Date.now() + timeout;
  const afterCommand = options.afterCommand?.(deadline);
  let exitCode: number;
  let kind: 'fail' | number;
  let trailer = '';
  if (ended.spawnError) {
    // Shells answer 127 for a missing program and 126 for one that cannot be executed.
    exitCode = (ended.spawnError as NodeJS.ErrnoException).code === 'ENOENT' ? 127 : 126;
    kind = 'fail';
    trailer = `cronbeat: could not start ${program}: ${ended.spawnError.message}\n`;
    process.stderr.write(trailer);
  } else if (ended.signal) {
    exitCode = 128 + (constants.signals[ended.signal] ?? 0);
    kind = 'fail';
    trailer = `\n[cronbeat] killed by ${ended.signal}\n`;
  } else {
    exitCode = ended.code ?? 1;
    kind = exitCode;
  }

  // The end ping waits for the start ping so Cronbeat never sees a run end before it began.
  const start = await startPing;
  const body = Buffer.concat([tail.bytes(), Buffer.from(trailer)]);
  const endPing = monitored ? await safePing(check, kind, { ...pingOptions, body, deadline }, warn) : null;
  await afterCommand;
  return { exitCode, signal: ended.signal, startPing: start, endPing };
}

/** A ping whose failure is a warning, never an exception. */
export async function safePing(
  check: string,
  kind: Parameters<typeof ping>[1],
  options: PingOptions,
  warn: (message: string) => void,
): Promise<PingResult | null> {
  try {
    const result = await ping(check, kind, options);
    if (!result.ok)
      warn(
        `${typeof kind === 'number' ? `exit status ${kind}` : kind} ping not recorded: ${result.status ?? ''} ${result.message}`.replace(
          '  ',
          ' ',
        ),
      );
    return result;
  } catch (error) {
    warn((error as Error).message);
    return null;
  }
}
