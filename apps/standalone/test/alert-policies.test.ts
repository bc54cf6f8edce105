/**
 * Alert policies end to end: pings through the real ping route, the sweep
 * with its clock moved on, delivery to a real HTTP receiver, on PGlite and
 * on Postgres. What the receiver gets (or does not) is what people would.
 */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '@cronbeat/config';
import { DEFAULT_RUN_POLICY, type RunPolicy, type Schedule } from '@cronbeat/core';
import { attachChannel, channels, checks, createCheck, createProject, flips, pings } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { createNotifier } from '@cronbeat/notify';
import { type HttpReceiver, startHttpReceiver } from '@cronbeat/notify/testing';
import { buildApp } from '@cronbeat/server';
import { deliverDue, sweep } from '@cronbeat/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MINUTE = 60_000;

/** A failed run as a webhook tells it. */
interface FailedRunJson {
  reason: string;
  exitStatus?: number | null;
  keyword?: string;
  scheduled?: string;
  startedAt?: string;
  openRid?: string | null;
  duration?: number;
  median?: number;
  limit?: number;
}

interface WebhookAlert {
  event: string;
  flip: {
    reason: string;
    exitStatus: number | null;
    runs: { failures: FailedRunJson[]; failureThreshold?: number; successes?: number; recoveryThreshold?: number };
  };
}

describe.each(testDatabaseKinds())('alert policies end to end on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: Awaited<ReturnType<typeof buildApp>>;
  let receiver: HttpReceiver;
  let notifier: ReturnType<typeof createNotifier>;

  beforeAll(async () => {
    app = await buildApp(loadConfig({ LOG_LEVEL: 'silent' }), { database: test.database });
    receiver = await startHttpReceiver();
    receiver.respond = () => ({ status: 200, body: 'ok' });
    notifier = createNotifier({
      smtpUrl: null,
      emailFrom: 'alerts@cronbeat.test',
      httpTimeoutMs: 5000,
      privateTargetsAllowed: ['127.0.0.0/8'],
    });
  });
  afterAll(async () => {
    notifier?.close();
    await Promise.all([app?.close(), receiver?.close()]);
  });

  /** A check with the given policy, alerting one webhook of its own. */
  async function aCheck(policy: Partial<RunPolicy>, schedule: Schedule = { kind: 'period', period: 3600 }) {
    const project = await createProject(test.db, { name: `project ${randomUUID()}` });
    const hook = `/hook-${randomUUID().slice(0, 8)}`;
    const [channel] = await test.db
      .insert(channels)
      .values({ projectId: project.id, name: 'hook', kind: 'webhook', config: { url: `${receiver.url}${hook}`, secret: null } })
      .returning({ id: channels.id });
    const check = await createCheck(test.db, {
      projectId: project.id,
      name: 'backup',
      schedule,
      grace: 600,
      runPolicy: { ...DEFAULT_RUN_POLICY, ...policy },
    });
    await attachChannel(test.db, check.id, channel!.id);
    const ping = async (path: string, body?: string) => {
      const answer = await app.inject({ method: 'POST', url: `/ping/${check.pingCode}${path}`, payload: body ?? '' });
      expect(answer.statusCode).toBe(200);
    };
    return { check, hook, ping };
  }

  /** Sweeps at `now` (default: the real clock), delivers what is due, and returns the webhook payloads `hook` received so far. */
  async function alertsTo(hook: string, now?: Date): Promise<WebhookAlert[]> {
    await sweep(test.db, { batchSize: 100, ...(now ? { now: () => now } : {}) });
    await deliverDue(
      { db: test.db, notifier, baseUrl: 'https://cronbeat.test', leaseMs: 30_000, retry: { attempts: 1, firstRetryMs: 1000 } },
      100,
    );
    return receiver.requests.filter((request) => request.path === hook).map((request) => JSON.parse(request.body));
  }

  // Each file has a database of its own, so reading a table whole stays small.
  const row = async (id: string) => (await test.db.select().from(checks)).find((check) => check.id === id)!;

  it('goes down at the third failed run in a row, alerting once with the three runs', async () => {
    const { check, hook, ping } = await aCheck({ failureThreshold: 3 });
    await ping('/2');
    await ping('/fail');
    expect(await alertsTo(hook)).toEqual([]);
    expect((await row(check.id)).status).toBe('up');
    const flipped = (await test.db.select().from(flips)).filter((flip) => flip.checkId === check.id);
    expect(flipped.map((flip) => flip.toStatus)).toEqual(['up']);
    await ping('/3');
    const alerts = await alertsTo(hook);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ event: 'check.down', flip: { reason: 'failed', exitStatus: 3 } });
    expect(alerts[0]!.flip.runs.failureThreshold).toBe(3);
    expect(alerts[0]!.flip.runs.failures.map((run) => run.exitStatus)).toEqual([2, null, 3]);
  });

  it('comes back up only after two successful runs in a row', async () => {
    const { hook, ping } = await aCheck({ recoveryThreshold: 2 });
    await ping('/fail');
    expect((await alertsTo(hook)).map((alert) => alert.event)).toEqual(['check.down']);
    await ping('');
    await ping('/fail');
    await ping('');
    expect((await alertsTo(hook)).map((alert) => alert.event)).toEqual(['check.down']);
    await ping('');
    const alerts = await alertsTo(hook);
    expect(alerts.map((alert) => alert.event)).toEqual(['check.down', 'check.up']);
    expect(alerts[1]!.flip.runs).toEqual({ successes: 2, recoveryThreshold: 2 });
  });

  it('counts each missed run once in the sweep and alerts at the threshold', async () => {
    const { check, hook, ping } = await aCheck({ failureThreshold: 2 });
    await ping('');
    const lastPing = (await row(check.id)).lastPing!.getTime();
    // Grace is 10 minutes: the first expected run is missed at 1 h 10 min.
    expect(await alertsTo(hook, new Date(lastPing + 71 * MINUTE))).toEqual([]);
    expect(await alertsTo(hook, new Date(lastPing + 72 * MINUTE))).toEqual([]);
    const counted = await row(check.id);
    expect(counted.status).toBe('late');
    expect(counted.nextDue?.getTime()).toBe(lastPing + 120 * MINUTE);
    const alerts = await alertsTo(hook, new Date(lastPing + 131 * MINUTE));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ event: 'check.down', flip: { reason: 'missed' } });
    expect(alerts[0]!.flip.runs.failures.map((run) => run.reason)).toEqual(['missed', 'missed']);
  });

  it('takes a success ping whose body has a failure keyword as a failed run, and says which', async () => {
    const { check, hook, ping } = await aCheck({ failureKeywords: ['ERROR'], successKeywords: ['backup complete'] });
    await ping('', 'Backup complete');
    await ping('/fail', 'restore: error: disk full');
    const alerts = await alertsTo(hook);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.flip.runs.failures[0]).toMatchObject({ reason: 'failed', keyword: 'ERROR' });
    const stored = (await test.db.select().from(pings)).filter((p) => p.checkId === check.id).sort((a, b) => a.n - b.n);
    expect(stored.map((p) => [p.kind, p.keyword])).toEqual([
      ['success', 'backup complete'],
      ['fail', 'ERROR'],
    ]);
  });

  it('fails a cron run more than its tolerance before its scheduled time', async () => {
    // Scheduled an hour from now, every day: a run now is 60 minutes early.
    const inAnHour = new Date(Date.now() + 60 * MINUTE);
    const cron = `${inAnHour.getUTCMinutes()} ${inAnHour.getUTCHours()} * * *`;
    const { hook, ping } = await aCheck({ earlyTolerance: 600 }, { kind: 'cron', cron, tz: 'UTC' });
    await ping('');
    const alerts = await alertsTo(hook);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ event: 'check.down', flip: { reason: 'early' } });
    const early = alerts[0]!.flip.runs.failures[0]!;
    expect(new Date(early.scheduled!).getTime() - new Date(early.startedAt!).getTime()).toBeGreaterThan(59 * MINUTE);
  });

  it('fails a start while the previous run is still open', async () => {
    const { hook, ping } = await aCheck({ maxConcurrentRuns: 1 });
    await ping('/start');
    await ping('/start');
    const alerts = await alertsTo(hook);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      event: 'check.down',
      flip: { reason: 'overlap', runs: { failures: [{ reason: 'overlap', openRid: null }] } },
    });
  });

  it('fails a run far slower than its last runs, giving their median', async () => {
    const { check, hook, ping } = await aCheck({ durationAnomaly: { mode: 'auto', factor: 3 } });
    // Ten quick runs first: the history the median is taken from.
    for (let run = 0; run < 10; run++) {
      await ping('/start');
      await ping('');
    }
    expect(await alertsTo(hook)).toEqual([]);
    await ping('/start');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await ping('');
    const alerts = await alertsTo(hook);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ event: 'check.down', flip: { reason: 'slow' } });
    const slow = alerts[0]!.flip.runs.failures[0]!;
    expect(slow.duration).toBeGreaterThanOrEqual(1200);
    expect(slow.median).toBeLessThan(400);
    expect(((await row(check.id)).runRecord as { durations: number[] }).durations).toHaveLength(11);
  });

  it('fails a run shorter than its minimum duration', async () => {
    const { hook, ping } = await aCheck({ durationAnomaly: { mode: 'bounds', minDuration: 300, maxDuration: null } });
    await ping('/start');
    await ping('');
    const alerts = await alertsTo(hook);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      event: 'check.down',
      flip: { reason: 'fast', runs: { failures: [{ reason: 'fast', limit: 300_000 }] } },
    });
  });
});
