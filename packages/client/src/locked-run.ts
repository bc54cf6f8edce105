import { acquireLock, describeHolder, type Lease, type LockHolder, type LockOptions, LockUnavailableError } from './lock.js';
import { type MonitorOptions, monitor } from './monitor.js';
import { type RunOptions, type RunOutcome, runMonitored } from './run.js';

/**
 * What `cronbeat run --lock` exits with when it cannot get the lease
 * because Cronbeat is unreachable (or answers 5xx) until the timeout:
 * sysexits' EX_TEMPFAIL, "try again later". A refusal that will not pass
 * (an unknown check, a bad ttl) exits 1.
 */
export const LOCK_UNREACHABLE_EXIT = 75;

export interface LockedRunOptions extends RunOptions {
  /** Seconds the lease lasts unless renewed. Default: 60. */
  ttl?: number;
  /** The exit code when another runner holds the lock and the command is skipped. Default: 0. */
  skippedExit?: number;
}

export interface LockedRunOutcome extends RunOutcome {
  /** Who held the lock when the command was skipped; null when it ran (or could not get the lease). */
  skippedBy: LockHolder | null;
}

/**
 * `cronbeat run --lock`: the command runs only if this runner gets the
 * check's run lock, with CRONBEAT_FENCING_TOKEN in its environment, and
 * otherwise the runner exits `skippedExit` (Cronbeat stores a `skipped`
 * ping naming the holder). The lock fails closed: when the lease cannot be
 * had, the command does not run and the runner exits non-zero. Once the
 * command runs, Cronbeat changes nothing about its exit status.
 */
export async function runLocked(check: string, command: string[], options: LockedRunOptions = {}): Promise<LockedRunOutcome> {
  const say = (message: string) => process.stderr.write(`cronbeat: ${message}\n`);
  const notRun = (exitCode: number, skippedBy: LockHolder | null): LockedRunOutcome => ({
    exitCode,
    signal: null,
    startPing: null,
    endPing: null,
    skippedBy,
  });
  const timeout = options.timeout ?? 10_000;
  let attempt: Awaited<ReturnType<typeof acquireLock>>;
  try {
    attempt = await acquireLock(check, {
      url: options.url,
      pingKey: options.pingKey,
      create: options.create,
      ttl: options.ttl,
      timeout,
      warn: options.warn,
    });
  } catch (error) {
    if (!(error instanceof LockUnavailableError)) throw error;
    say(`${error.message}; not running the command (--lock fails closed)`);
    return notRun(error.unreachable ? LOCK_UNREACHABLE_EXIT : 1, null);
  }
  if (!attempt.acquired) {
    say(describeHolder(check, attempt.holder));
    return notRun(options.skippedExit ?? 0, attempt.holder);
  }
  const { lock } = attempt;
  const outcome = await runMonitored(check, command, {
    ...options,
    env: { ...options.env, CRONBEAT_FENCING_TOKEN: String(lock.token) },
    afterCommand: (deadline) => lock.release(deadline),
  });
  return { ...outcome, skippedBy: null };
}

export interface WithLockOptions extends LockOptions, MonitorOptions {
  /** Report each run with start and success or fail pings, as `cronbeat run --lock` does. Default: true. */
  monitor?: boolean;
}

/** What `withLock` did: ran `fn` and got its value, or skipped it because `holder` held the lock. */
export type WithLockResult<T> = { ran: true; value: T; token: number } | { ran: false; holder: LockHolder };

/**
 * Runs `fn` only if this process gets the check's run lock, as `cronbeat
 * run --lock` runs a command: the lease is renewed while `fn` runs and
 * released when it settles, and `fn` gets the fencing token and a signal
 * that aborts if the lease is found lost. When another runner holds the
 * lock, `fn` is not called and the result names the holder. Fails closed:
 * when Cronbeat cannot be reached (or refuses), it throws
 * `LockUnavailableError` without calling `fn`. What `fn` throws is
 * rethrown, after the release.
 */
export async function withLock<T>(
  check: string,
  fn: (lease: Lease) => Promise<T> | T,
  options: WithLockOptions = {},
): Promise<WithLockResult<T>> {
  const warn = options.warn ?? ((message: string) => console.warn(`cronbeat: ${message}`));
  const attempt = await acquireLock(check, { ...options, warn });
  if (!attempt.acquired) return { ran: false, holder: attempt.holder };
  const { lock } = attempt;
  const lease: Lease = { token: lock.token, signal: lock.signal };
  try {
    const value = options.monitor === false ? await fn(lease) : await monitor(check, () => fn(lease), { ...options, warn });
    return { ran: true, value, token: lock.token };
  } finally {
    await lock.release(Date.now() + (options.timeout ?? 10_000));
  }
}
