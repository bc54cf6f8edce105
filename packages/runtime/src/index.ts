/**
 * What every Cronbeat process does the same way at its edges: read the
 * configuration or exit with its problems, log with pino, guard /metrics
 * with METRICS_TOKEN, and stop cleanly on SIGTERM/SIGINT within a bounded time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type Config, ConfigError, loadConfig } from '@cronbeat/config';
import { type Logger, pino } from 'pino';

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

export const createLogger = (config: Config): Logger => pino({ level: config.logLevel });

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
