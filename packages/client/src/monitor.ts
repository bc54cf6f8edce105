import { inspect } from 'node:util';
import type { PingOptions } from './ping.js';
import { resolveRid, safePing } from './run.js';

export interface MonitorOptions extends Pick<PingOptions, 'url' | 'pingKey' | 'create'> {
  /** Run id: a UUID, `auto` for a fresh one, or `off`. Default: auto. */
  rid?: string;
  /** Milliseconds each ping may spend on retries. Default: 10,000. */
  timeout?: number;
  /** Where warnings about Cronbeat itself go. Default: console.warn. */
  warn?: (message: string) => void;
}

/** Body of a fail ping: the error with its stack, so the alert says what broke. */
export const describeFailure = (error: unknown): string => (error instanceof Error ? (error.stack ?? String(error)) : inspect(error));

/**
 * Wraps an async function the way `cronbeat run` wraps a command: a start
 * ping, then success when it resolves or fail (with the error) when it
 * rejects. Returns what `fn` returns and rethrows what it throws; Cronbeat
 * being unreachable only produces a warning.
 */
export async function monitor<T>(check: string, fn: () => Promise<T> | T, options: MonitorOptions = {}): Promise<T> {
  const warn = options.warn ?? ((message: string) => console.warn(`cronbeat: ${message}`));
  const timeout = options.timeout ?? 10_000;
  const pingOptions = { url: options.url, pingKey: options.pingKey, create: options.create, rid: resolveRid(options.rid), timeout };
  const started = safePing(check, 'start', pingOptions, warn);
  // As with `cronbeat run`: after fn settles, Cronbeat gets at most `timeout` more, start ping included.
  const report = async (kind: 'success' | 'fail', body?: string) => {
    const deadline = Date.now() + timeout;
    await started;
    await safePing(check, kind, { ...pingOptions, body, deadline }, warn);
  };
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    await report('fail', describeFailure(error));
    throw error;
  }
  await report('success');
  return result;
}

/** The parts of a BullMQ `Job` the wrapper reads; typed structurally so bullmq is not a dependency. */
export interface JobLike {
  id?: string;
  name: string;
  data: unknown;
}

export interface ProcessorOptions<J extends JobLike> extends MonitorOptions {
  /** The check each job reports to. Default: the job's name, as a slug under the ping key. */
  check?: string | ((job: J) => string | undefined);
}

/**
 * Wraps a BullMQ processor so each job reports start, then success or fail.
 * A job whose check resolves to undefined runs unmonitored.
 */
export function withCronbeat<J extends JobLike, R, A extends unknown[]>(
  processor: (job: J, ...rest: A) => Promise<R>,
  options: ProcessorOptions<J> = {},
): (job: J, ...rest: A) => Promise<R> {
  return (job, ...rest) => {
    const check = typeof options.check === 'function' ? options.check(job) : (options.check ?? job.name);
    if (!check) return processor(job, ...rest);
    return monitor(check, () => processor(job, ...rest), options);
  };
}
