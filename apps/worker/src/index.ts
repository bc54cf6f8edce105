import type { Config } from '@cronbeat/config';
import { type Database, nextDeliveryAt, sweepBacklog } from '@cronbeat/db';
import { createNotifier } from '@cronbeat/notify';
import type { Logger } from 'pino';
import { claimDue, type DeliverContext, deliver } from './deliver';
import { startBullmq } from './drivers/bullmq';
import { startInProcess } from './drivers/in-process';
import type { Jobs } from './drivers/jobs';
import { maintenance } from './maintenance';
import { countedNotifier, maintenanceDeleted, reportsTotal, sweepDuration, sweepFlips, watchWorker } from './metrics';
import { DEFAULT_WORKER_OPTIONS, retryPolicyOf, type WorkerOptions } from './options';
import { outcomeRecorder } from './outcome-recorder';
import { sendReports } from './reports';
import { sweep } from './sweep';

export { type AttemptResult, claimDue, type DeliverContext, deliver, deliverDue } from './deliver';
export { type MaintenanceResult, maintenance } from './maintenance';
export { type MetricsServer, type Readiness, serveMetrics } from './metrics-server';
export { DEFAULT_WORKER_OPTIONS, type WorkerOptions } from './options';
export { type ReportsContext, type ReportsResult, sendReports } from './reports';
export { type SweepResult, sweep } from './sweep';

export interface WorkerDependencies {
  database: Database;
  logger: Logger;
}

/** What a worker's `/readyz` says. */
export interface WorkerHealth {
  /** Ready only while it sweeps: its Redis (if it uses one) is reachable and its last sweep did not fail. */
  ready: boolean;
  /** The last sweep this process ran: `ok`, `failing`, or `none` before its first. */
  sweep: 'ok' | 'failing' | 'none';
  /** With the BullMQ driver: `ok`, `unreachable`, or `connecting` before the first connection. */
  redis?: 'ok' | 'unreachable' | 'connecting';
}

export interface RunningWorker {
  /** Which driver runs the jobs: BullMQ over Redis, or the in-process runner. */
  driver: 'bullmq' | 'in-process';
  health(): WorkerHealth;
  /** Finishes or hands back the jobs in progress, then stops. */
  close(): Promise<void>;
}

/** Retention, the queue prefix and private targets default to the configuration's defaults (1,000 pings, 90 days, `cronbeat`, none). */
type WorkerConfig = Pick<Config, 'redisUrl' | 'smtpUrl' | 'emailFrom' | 'baseUrl' | 'selfPingUrl'> &
  Partial<Pick<Config, 'pingRetention' | 'historyDays' | 'queuePrefix' | 'privateTargetsAllowed'>>;

/** Starts the sweep and delivery on BullMQ when Redis is configured, else on the in-process runner. */
export async function start(
  config: WorkerConfig,
  deps: WorkerDependencies,
  overrides: Partial<WorkerOptions> = {},
): Promise<RunningWorker> {
  const options: WorkerOptions = { ...DEFAULT_WORKER_OPTIONS, queuePrefix: config.queuePrefix ?? 'cronbeat', ...overrides };
  const { db } = deps.database;
  const notifier = countedNotifier(
    createNotifier({
      smtpUrl: config.smtpUrl,
      emailFrom: config.emailFrom,
      httpTimeoutMs: options.httpTimeoutMs,
      privateTargetsAllowed: config.privateTargetsAllowed ?? [],
    }),
  );
  const retention = { pingRetention: config.pingRetention ?? 1000, historyDays: config.historyDays ?? 90 };
  let lastSweep: WorkerHealth['sweep'] = 'none';
  const delivery: DeliverContext = {
    db,
    notifier,
    baseUrl: config.baseUrl,
    leaseMs: options.lockDurationMs,
    retry: retryPolicyOf(options),
    record: outcomeRecorder(db),
  };
  const jobs: Jobs = {
    sweep: async (notified, agenda) => {
      const timer = sweepDuration.startTimer();
      try {
        const result = await sweep(db, { ...options, notified, ...(agenda && { agenda }) });
        timer({ outcome: 'ok' });
        lastSweep = 'ok';
        sweepFlips.inc(result.flips);
        return result;
      } catch (error) {
        timer({ outcome: 'error' });
        lastSweep = 'failing';
        throw error;
      }
    },
    claimDue: (limit) => claimDue(delivery, limit),
    deliver: (claimed) => deliver(delivery, claimed),
    nextDelivery: () => nextDeliveryAt(db),
    afterSweep: (result) => {
      if (result.flips > 0) deps.logger.info({ flips: result.flips, notifications: result.notificationIds.length }, 'sweep');
      if (config.selfPingUrl) selfPing(config.selfPingUrl, deps.logger);
    },
    maintenance: async () => {
      const result = await maintenance(db, retention);
      maintenanceDeleted.inc({ table: 'pings' }, result.pings);
      maintenanceDeleted.inc({ table: 'flips' }, result.flips);
      maintenanceDeleted.inc({ table: 'sessions' }, result.sessions);
      if (result.pings + result.flips + result.sessions > 0) deps.logger.info(result, 'retention');
      // Reports are email only: without SMTP there is nothing to send them with.
      if (config.smtpUrl) {
        const reports = await sendReports({
          db,
          notifier,
          baseUrl: config.baseUrl,
          leaseMs: options.lockDurationMs,
          batchSize: options.batchSize,
        });
        reportsTotal.inc({ outcome: 'sent' }, reports.sent);
        reportsTotal.inc({ outcome: 'error' }, reports.failed);
        if (reports.made + reports.sent + reports.failed > 0) deps.logger.info(reports, 'reports');
      }
      return result;
    },
  };
  const driver = config.redisUrl ? 'bullmq' : 'in-process';
  const running = config.redisUrl
    ? await startBullmq(jobs, config.redisUrl, options, deps.logger)
    : startInProcess(jobs, options, deps.logger);
  const unwatch = watchWorker({
    backlog: () => sweepBacklog(db, new Date()),
    ...(running.queueDepths ? { queueDepths: running.queueDepths } : {}),
  });
  deps.logger.info({ driver }, 'worker started');
  return {
    driver,
    health: () => {
      const link = running.redis?.();
      const redis = link === undefined ? undefined : link === 'up' ? 'ok' : link === 'down' ? 'unreachable' : 'connecting';
      return {
        ready: (redis === undefined || redis === 'ok') && lastSweep !== 'failing',
        sweep: lastSweep,
        ...(redis && { redis }),
      };
    },
    close: async () => {
      unwatch();
      await running.close();
      notifier.close();
      deps.logger.info('worker stopped');
    },
  };
}

/** Fire and forget: a slow monitoring endpoint must never hold up the sweep. */
function selfPing(url: string, logger: Logger): void {
  fetch(url, { signal: AbortSignal.timeout(5000) })
    .then((response) => response.body?.cancel())
    .catch((error: unknown) => logger.warn({ err: error }, 'self-ping failed'));
}
