import type { SweepAgenda } from '@cronbeat/db';
import type { MaintenanceResult } from '../maintenance';
import type { RedisLinkState } from '../redis-link';
import type { SweepResult } from '../sweep';
import type { DeliveryJobs } from './delivery-loop';

/** The job functions a driver runs; the same for BullMQ and the in-process runner. */
export interface Jobs extends DeliveryJobs {
  /** `notified` is told after each committed batch that made notifications; `agenda` is the previous pass's. */
  sweep(notified: (notificationIds: string[]) => void, agenda?: SweepAgenda): Promise<SweepResult>;
  /** Told after every sweep, so the alerting itself can be watched. */
  afterSweep(result: SweepResult): void;
  /** Retention, every `maintenanceIntervalMs`. */
  maintenance(): Promise<MaintenanceResult>;
}

export interface RunningDriver {
  close(): Promise<void>;
  /** Jobs per queue and state, for metrics; only drivers with real queues have it. */
  queueDepths?(): Promise<Record<string, Record<string, number>>>;
  /** Whether Redis is reachable; only drivers that use Redis have it. */
  redis?(): RedisLinkState;
}
