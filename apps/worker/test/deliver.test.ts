/** The deliver job on its own: a notification is claimed before it is sent, so concurrent workers send it once. */
import { notifications } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { createNotifier, DeliveryError } from '@cronbeat/notify';
import { type HttpReceiver, startHttpReceiver } from '@cronbeat/notify/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver } from '../src/deliver';
import { sweep } from '../src/sweep';
import { seedCheck, seedProject } from './support/seed';

describe.each(testDatabaseKinds())('the deliver job on %s', (kind) => {
  const test = useTestDatabase(kind);
  const notifier = createNotifier({
    smtpUrl: null,
    emailFrom: 'alerts@cronbeat.test',
    httpTimeoutMs: 5000,
    privateTargetsAllowed: ['127.0.0.0/8'],
  });
  let http: HttpReceiver;
  beforeAll(async () => {
    http = await startHttpReceiver();
  });
  afterAll(async () => {
    notifier.close();
    await http?.close();
  });

  /** One due check with one webhook channel, swept: its notification id. */
  async function pendingNotification(path: string): Promise<string> {
    const { projectId, channelIds } = await seedProject(test.db, { webhook: { url: `${http.url}${path}` } });
    await seedCheck(test.db, projectId, channelIds, {
      schedule: { kind: 'period', period: 60 },
      grace: 60,
      state: { lastPing: new Date(Date.now() - 180_000) },
    });
    const { notificationIds } = await sweep(test.db, { batchSize: 500, redeliverAfterMs: 60_000 });
    const [row] = await test.db.select({ id: notifications.id }).from(notifications).where(eq(notifications.channelId, channelIds[0]!));
    expect(notificationIds).toContain(row?.id);
    return row!.id;
  }

  it('sends a notification once when two workers deliver it at the same time', async () => {
    const id = await pendingNotification('/twice');
    const context = { db: test.db, notifier, baseUrl: 'https://cronbeat.test', leaseMs: 30_000 };
    const outcomes = await Promise.allSettled([
      deliver(context, { notificationId: id }, false),
      deliver(context, { notificationId: id }, false),
    ]);
    expect(http.requests.filter((request) => request.path === '/twice')).toHaveLength(1);
    const sent = outcomes.filter((outcome) => outcome.status === 'fulfilled' && outcome.value === 'sent');
    expect(sent).toHaveLength(1);
    // The loser finds it claimed (a transient error: retry later) or, if it looked once the winner was done, sent.
    const loser = outcomes.find((outcome) => !(outcome.status === 'fulfilled' && outcome.value === 'sent'));
    if (loser?.status === 'rejected') {
      expect(loser.reason).toBeInstanceOf(DeliveryError);
      expect((loser.reason as DeliveryError).permanent).toBe(false);
    } else {
      expect(loser?.value).toBe('skipped');
    }
    // Once sent, any later job for it is a no-op.
    expect(await deliver(context, { notificationId: id }, false)).toBe('skipped');
    const [row] = await test.db.select().from(notifications).where(eq(notifications.id, id));
    expect(row).toMatchObject({ status: 'sent', attempts: 1, claimedUntil: null });
  });

  it('records the attempt before the request goes out, so a worker that dies mid-send leaves it on record', async () => {
    const id = await pendingNotification('/in-flight');
    let inFlight: (() => void) | null = null;
    const answered = new Promise<void>((resolve) => {
      inFlight = resolve;
    });
    http.respond = (request) => {
      if (request.path !== '/in-flight') return { status: 200 };
      inFlight?.();
      return { status: 0 };
    };
    const context = { db: test.db, notifier, baseUrl: 'https://cronbeat.test', leaseMs: 30_000 };
    const sending = deliver(context, { notificationId: id }, false).catch((error: unknown) => error);
    await answered;
    // The receiver has the request and has not answered: the attempt and its claim are already committed.
    const [during] = await test.db.select().from(notifications).where(eq(notifications.id, id));
    expect(during).toMatchObject({ status: 'pending', attempts: 1 });
    expect(during?.claimedUntil?.getTime()).toBeGreaterThan(Date.now());
    expect(during?.lastAttemptAt).not.toBeNull();
    // The receiver never answers: the attempt ends at the notifier's deadline, a transient failure.
    const failure = await sending;
    expect(failure).toBeInstanceOf(DeliveryError);
    http.respond = () => ({ status: 200, body: 'ok' });
  }, 15_000);

  it("stores only the status and a short reason of a failure, never the target's answer", async () => {
    const id = await pendingNotification('/leaky');
    http.respond = (request) =>
      request.path === '/leaky' ? { status: 500, body: `stack trace: password=hunter2 ${'x'.repeat(5000)}` } : { status: 200 };
    const context = { db: test.db, notifier, baseUrl: 'https://cronbeat.test', leaseMs: 30_000 };
    await expect(deliver(context, { notificationId: id }, true)).rejects.toBeInstanceOf(DeliveryError);
    http.respond = () => ({ status: 200, body: 'ok' });
    const [row] = await test.db.select().from(notifications).where(eq(notifications.id, id));
    expect(row).toMatchObject({ status: 'failed', attempts: 1, error: 'webhook: HTTP 500 Internal Server Error' });
  });

  it('lets another worker take over a claim whose lease ran out', async () => {
    const id = await pendingNotification('/lease');
    // A worker that claimed it and died: the claim is in the past now.
    await test.db
      .update(notifications)
      .set({ claimedUntil: new Date(Date.now() - 1000) })
      .where(eq(notifications.id, id));
    const context = { db: test.db, notifier, baseUrl: 'https://cronbeat.test', leaseMs: 30_000 };
    expect(await deliver(context, { notificationId: id }, false)).toBe('sent');
    expect(http.requests.filter((request) => request.path === '/lease')).toHaveLength(1);
  });

  it('delivers a reminder that a check is still down, as its own event with the incident it belongs to', async () => {
    const { projectId, channelIds } = await seedProject(test.db, { webhook: { url: `${http.url}/reminder` } });
    const checkId = await seedCheck(test.db, projectId, channelIds, {
      schedule: { kind: 'period', period: 60 },
      grace: 60,
      state: { lastPing: new Date(Date.now() - 180_000) },
      remindEvery: 3600,
    });
    const options = { batchSize: 500, redeliverAfterMs: 60_000 };
    await sweep(test.db, options);
    const later = new Date(Date.now() + 3_700_000);
    const { notificationIds } = await sweep(test.db, { ...options, now: () => later });
    const [reminder] = await test.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.channelId, channelIds[0]!), eq(notifications.reminder, 1)));
    expect(notificationIds).toContain(reminder?.id);

    const context = { db: test.db, notifier, baseUrl: 'https://cronbeat.test', leaseMs: 30_000 };
    expect(await deliver(context, { notificationId: reminder!.id }, false)).toBe('sent');
    const [request] = http.requests.filter((received) => received.path === '/reminder' && received.body.includes('still_down'));
    const payload = JSON.parse(request!.body);
    expect(payload).toMatchObject({
      event: 'check.still_down',
      check: { id: checkId, status: 'down' },
      flip: { to: 'down', reason: 'missed' },
    });
    expect(new Date(payload.reminderAt).getTime()).toBe(later.getTime());
  });
});
