import type { Alert } from '../src';

const T = new Date('2026-06-02T14:00:00Z');

/** A `failed` alert with some output; override what a test cares about. */
export function anAlert(
  overrides: {
    flip?: Partial<Alert['flip']>;
    check?: Partial<Alert['check']>;
    ping?: Alert['ping'];
    downSince?: Date | null;
    reminderAt?: Date | null;
    deliveryId?: string;
  } = {},
): Alert {
  return {
    deliveryId: overrides.deliveryId ?? 'a1b2c3d4-0000-4000-8000-000000000007',
    check: {
      id: '6f1c1f1e-0000-4000-8000-000000000001',
      name: 'nightly-backup',
      slug: 'nightly-backup',
      projectName: 'Acme',
      schedule: { kind: 'cron', cron: '30 2 * * *', tz: 'Europe/Berlin' },
      grace: 3600,
      maxRuntime: null,
      lastPing: new Date(T.getTime() - 26 * 3600_000),
      lastStart: null,
      url: 'https://cronbeat.example/checks/6f1c1f1e',
      ...overrides.check,
    },
    flip: { id: 7, from: 'up', to: 'down', reason: 'failed', at: T, exitStatus: 3, ...overrides.flip },
    ping:
      overrides.ping === undefined
        ? { at: T, kind: 'fail', exitStatus: 3, bodyTail: 'pg_dump: error: connection refused' }
        : overrides.ping,
    downSince: overrides.downSince ?? null,
    reminderAt: overrides.reminderAt ?? null,
  };
}
