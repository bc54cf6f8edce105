/**
 * The worker's Prometheus metrics, on prom-client's default registry: when
 * server and worker share a process (`npm start`) the server's `/metrics`
 * shows them too; a worker on its own serves them on METRICS_PORT.
 */
import type { Notifier } from '@cronbeat/notify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, register } from 'prom-client';

/** What the gauges read at scrape time, from the worker that registered last. */
export interface WorkerProbes {
  /** Oldest `sweep_at` that has come, and how many checks are past theirs. */
  backlog(): Promise<{ oldest: Date | null; due: number }>;
  /** Jobs per queue and state, on the BullMQ driver. */
  queueDepths?(): Promise<Record<string, Record<string, number>>>;
}

const probes: WorkerProbes[] = [];

/** One backlog query per scrape, shared by the gauges that read it. */
let backlogRead: { at: number; result: Promise<{ oldest: Date | null; due: number } | null> } | null = null;
function readBacklog(): Promise<{ oldest: Date | null; due: number } | null> {
  const probe = probes.at(-1);
  if (!probe) return Promise.resolve(null);
  if (!backlogRead || Date.now() - backlogRead.at > 1000) {
    backlogRead = { at: Date.now(), result: probe.backlog().catch(() => null) };
  }
  return backlogRead.result;
}

/** Makes the scrape-time gauges read from `probe` until the returned function is called. */
export function watchWorker(probe: WorkerProbes): () => void {
  probes.push(probe);
  return () => {
    const at = probes.indexOf(probe);
    if (at >= 0) probes.splice(at, 1);
  };
}

// Both apps may load prom-client's process metrics in one process; register them once.
if (!register.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics();

export const sweepDuration = new Histogram({
  name: 'cronbeat_sweep_duration_seconds',
  help: 'Time one sweep took: due checks flipped and the flip outbox turned into notifications.',
  labelNames: ['outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

export const sweepFlips = new Counter({
  name: 'cronbeat_sweep_flips_total',
  help: 'Status changes (to late or down) written by the sweep.',
});

export const notificationsTotal = new Counter({
  name: 'cronbeat_notifications_total',
  help: 'Delivery attempts by channel kind and outcome (sent, transient_error, permanent_error).',
  labelNames: ['channel', 'outcome'] as const,
});

export const reportsTotal = new Counter({
  name: 'cronbeat_reports_total',
  help: 'Summary report emails by outcome: sent, or error (retried later unless permanent).',
  labelNames: ['outcome'] as const,
});

export const maintenanceDeleted = new Counter({
  name: 'cronbeat_retention_deleted_total',
  help: 'Rows deleted by the maintenance job, by table.',
  labelNames: ['table'] as const,
});

// Read from the database at scrape time, not after each sweep: a sweep that
// stopped running must still show a growing lag.
new Gauge({
  name: 'cronbeat_sweep_lag_seconds',
  help: 'Now minus the oldest sweep_at that has come (when the sweep was due to look at a check); 0 when none has.',
  async collect() {
    const backlog = await readBacklog();
    if (backlog) this.set(backlog.oldest ? Math.max(0, (Date.now() - backlog.oldest.getTime()) / 1000) : 0);
  },
});

new Gauge({
  name: 'cronbeat_checks_due',
  help: 'Checks past their sweep_at that the sweep has not looked at yet.',
  async collect() {
    const backlog = await readBacklog();
    if (backlog) this.set(backlog.due);
  },
});

new Gauge({
  name: 'cronbeat_queue_jobs',
  help: 'BullMQ jobs by queue and state (only with REDIS_URL).',
  labelNames: ['queue', 'state'] as const,
  async collect() {
    const depths = await probes
      .at(-1)
      ?.queueDepths?.()
      .catch(() => null);
    this.reset();
    for (const [queue, states] of Object.entries(depths ?? {})) {
      for (const [state, count] of Object.entries(states)) this.set({ queue, state }, count);
    }
  },
});

/** Wraps a notifier so every delivery attempt is counted by channel kind and outcome. */
export function countedNotifier(notifier: Notifier): Notifier {
  return {
    close: () => notifier.close(),
    sendReport: (to, report) => notifier.sendReport(to, report),
    sendInvitation: (to, invitation) => notifier.sendInvitation(to, invitation),
    async send(channel, alert) {
      try {
        const receipt = await notifier.send(channel, alert);
        notificationsTotal.inc({ channel: channel.kind, outcome: 'sent' });
        return receipt;
      } catch (error) {
        const permanent = (error as { permanent?: unknown } | null)?.permanent === true;
        notificationsTotal.inc({ channel: channel.kind, outcome: permanent ? 'permanent_error' : 'transient_error' });
        throw error;
      }
    },
  };
}
