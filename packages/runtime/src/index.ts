/**
 * What every Cronbeat process does the same way at its edges: read the
 * configuration or exit with its problems, log with pino, guard /metrics
 * with METRICS_TOKEN, give memory back when idle, and stop cleanly on
 * SIGTERM/SIGINT within a bounded time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type Config, ConfigError, loadConfig } from '@cronbeat/config';
import { type Logger, pino } from 'pino';

export { withDeadline } from './deadline';
export { type IdleMemoryOptions, trimMemoryWhenIdle } from './idle-memory';
/** For fault tests: a loopback TCP proxy that takes a service (Redis, Postgres) away and brings it back. */
export { startTcpProxy, type TcpProxy } from './tcp-proxy';

/** Longest a shutdown may take before the process exits anyway. Default: 15 s. */
export const SHUTDOWN_TIMEOUT_MS = 15_000;

/** Loads the configuration, or prints one line per problem and exits with status 1. */
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/**
 * JSON lines for log collectors; readable lines (pino-pretty) when a person
 * watches a terminal, as with `npm start` in a shell.
 */
export function createLogger(config: Pick<Config, 'logLevel'>, terminal = process.stdout.isTTY === true): Logger {
  if (!terminal) return pino({ level: config.logLevel });
  return pino({
    level: config.logLevel,
    transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } },
  });
}

/** A start-up failure a person can fix, said in one line; null for anything else, which keeps its stack trace. */
export function startupProblem(error: unknown, config: Pick<Config, 'port' | 'host'>): string | null {
  switch ((error as { code?: unknown } | null)?.code) {
    case 'EADDRINUSE':
      return `port ${config.port} is in use; set PORT`;
    case 'EACCES':
      return `port ${config.port} needs privileges to listen on; set PORT above 1023`;
    case 'EADDRNOTAVAIL':
      return `HOST ${config.host} is no address of this machine; set HOST`;
    // The database's schema is older than this code (SchemaBehindError of @cronbeat/db): its message says what to run.
    case 'CB_SCHEMA_BEHIND':
      return (error as Error).message;
    default:
      return null;
  }
}

/** Runs `start`; a failure `startupProblem` knows is printed as its one line and exits with status 1, like a configuration error. */
export async function startOrExit<T>(config: Pick<Config, 'port' | 'host'>, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const problem = startupProblem(error, config);
    if (problem === null) throw error;
    console.error(problem);
    process.exit(1);
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Whether an Authorization header may read /metrics: with a token
 * (METRICS_TOKEN), only `Bearer <token>`, compared by digest so in constant
 * time whatever the header's length; without one, any request.
 */
export function metricsAccess(token: string | null): (authorization: string | undefined) => boolean {
  if (token === null) return () => true;
  const expected = digest(`Bearer ${token}`);
  return (authorization) => timingSafeEqual(digest(authorization ?? ''), expected);
}

/**
 * On the first SIGTERM or SIGINT runs `stop` and exits 0 (1 if it fails or
 * takes longer than `timeoutMs`). Orchestrators send SIGTERM, people Ctrl-C.
 */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>, timeoutMs = SHUTDOWN_TIMEOUT_MS): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out');
      process.exit(1);
    }, timeoutMs).unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
