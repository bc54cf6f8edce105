/**
 * Delivery on its own: the notification row is the queue item. Workers claim
 * due rows with a lease, so concurrent workers send a notification once; the
 * retry policy sets the next attempt's time on the row.
 */
import { claimDeliveries, notifications } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { createNotifier } from '@cronbeat/notify';
import { type HttpReceiver, startHttpReceiver } from '@cronbeat/notify/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeliverContext, deliver, deliverDue } from '../src/deliver';
import { sweep } from '../src/sweep';
import { seedCheck, seedProject } from './support/seed';

describe.each(testDatabaseKinds())('delivery on %s', (kind) => {
  const test = useTestDatabase(kind);
  const notifier = createNotifier({
    smtpUrl: null,
    emailFrom: 'alerts@cronbeat.test',
    httpTimeoutMs: 2000,
    privateTargetsAllowed: ['127.0.0.0/8'],
  });
  let http: HttpReceiver;
  let context: DeliverContext;
  beforeAll(async () => {
    http = await startHttpReceiver();
    context = { db: test.db, notifier, baseUrl: 'https://cronbeat.test', leaseMs: 30_000, retry: { attempts: 6, firstRetryMs: 20_000 } };
  });
  afterAll(async () => {
    notifier.close();
    await http?.close();
  });

  const rowOf = async (id: string) => (await test.db.select().from(notifications).where(eq(notifications.id, id)))[0];
  const requestsTo = (path: string) => http.requests.filter((request) => request.path === path);

  /** One due check with one webhook channel, swept: its notification id. */
  async function pendingNotification(path: string): Promise<string> {
    const { projectId, channelIds } = await seedProject(test.db, { webhook: { url: `${http.url}${path}` } });
    await seedCheck(test.db, projectId, channelIds, {
      schedule: { kind: 'period', period: 60 },
      grace: 60,
      state: { lastPing: new Date(Date.now() - 180_000) },
    });
    const { notificationIds } = await sweep(test.db, { batchSize: 500 });
    const [row] = await test.db.select({ id: notifications.id }).from(notifications).where(eq(notifications.channelId, channelIds[0]!));
    expect(notificationIds).toContain(row?.id);
    return row!.id;
  }

  it('sends a notification once when two workers deliver at the same time', async () => {
    const id = await pendingNotification('/twice');
    const [first, second] = await Promise.all([deliverDue(context, 10), deliverDue(context, 10)]);
    expect(requestsTo('/twice')).toHaveLength(1);
    expect(first.sent + second.sent).toBeGreaterThanOrEqual(1);
    // Once sent, it is due no more.
    await deliverDue(context, 10);
    expect(requestsTo('/twice')).toHaveLength(1);
    expect(await rowOf(id)).toMatchObject({ status: 'sent', attempts: 1, nextAttemptAt: null });
  });

  it('records the attempt and its lease before the request goes out, so a worker that dies mid-send leaves it on record', async () => {
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
    const sending = deliverDue(context, 10);
    await answered;
    // The receiver has the request and has not answered: the attempt and its lease are already committed.
    const during = await rowOf(id);
    expect(during).toMatchObject({ status: 'pending', attempts: 1 });
    expect(during?.nextAttemptAt?.getTime()).toBeGreaterThan(Date.now() + 25_000);
    expect(during?.lastAttemptAt).not.toBeNull();
    expect(await claimDeliveries(test.db, 10, 30_000)).toEqual([]);
    // The receiver never answers: the attempt ends at the notifier's deadline, a transient failure retried 20 s later.
    expect(await sending).toMatchObject({ retry: 1 });
    const after = await rowOf(id);
    expect(after).toMatchObject({ status: 'pending', attempts: 1 });
    expect((after?.nextAttemptAt?.getTime() ?? 0) - (after?.lastAttemptAt?.getTime() ?? 0)).toBe(20_000);
    http.respond = () => ({ status: 200, body: 'ok' });
  }, 10_000);

  it('retries a transient failure when the policy says, not before, and sends it then', async () => {
    const id = await pendingNotification('/flaky');
    let calls = 0;
    http.respond = (request) => (request.path === '/flaky' && ++calls === 1 ? { status: 503 } : { status: 200 });
    const quick = { ...context, retry: { attempts: 3, firstRetryMs: 400 } };
    await deliverDue(quick, 10);
    const failed = await rowOf(id);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, error: 'webhook: HTTP 503 Service Unavailable' });
    await deliverDue(quick, 10);
    expect(requestsTo('/flaky')).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 450));
    await deliverDue(quick, 10);
    expect(requestsTo('/flaky')).toHaveLength(2);
    expect(await rowOf(id)).toMatchObject({ status: 'sent', attempts: 2, nextAttemptAt: null });
    http.respond = () => ({ status: 200, body: 'ok' });
  });

  it("stores only the status and a short reason of a failure, never the target's answer, and ends it after the last attempt", async () => {
    const id = await pendingNotification('/leaky');
    http.respond = (request) =>
      request.path === '/leaky' ? { status: 500, body: `stack trace: password=hunter2 ${'x'.repeat(5000)}` } : { status: 200 };
    expect(await deliverDue({ ...context, retry: { attempts: 1, firstRetryMs: 1000 } }, 10)).toMatchObject({ failed: 1 });
    http.respond = () => ({ status: 200, body: 'ok' });
    expect(await rowOf(id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      nextAttemptAt: null,
      error: 'webhook: HTTP 500 Internal Server Error',
    });
  });

  it('gives a notification to another worker once the lease of one that died ran out, and ignores the dead one after', async () => {
    const id = await pendingNotification('/lease');
    // A worker claims it and dies before sending.
    const [dead] = await claimDeliveries(test.db, 10, 30_000);
    expect(dead?.notification.id).toBe(id);
    expect(await deliverDue(context, 10)).toMatchObject({ sent: 0 });
    // Its lease runs out.
    await test.db
      .update(notifications)
      .set({ nextAttemptAt: new Date(Date.now() - 1000) })
      .where(eq(notifications.id, id));
    expect(await deliverDue(context, 10)).toMatchObject({ sent: 1 });
    expect(requestsTo('/lease')).toHaveLength(1);
    expect(await rowOf(id)).toMatchObject({ status: 'sent', attempts: 2 });
    // Were it alive after all, its outcome would be an older attempt's: it changes nothing.
    http.respond = () => ({ status: 500 });
    expect(await deliver(context, dead!)).toBe('retry');
    http.respond = () => ({ status: 200, body: 'ok' });
    expect(await rowOf(id)).toMatchObject({ status: 'sent', attempts: 2, error: null });
  });

  it('delivers a reminder that a check is still down, as its own event with the incident it belongs to', async () => {
    const { projectId, channelIds } = await seedProject(test.db, { webhook: { url: `${http.url}/reminder` } });
    const checkId = await seedCheck(test.db, projectId, channelIds, {
      schedule: { kind: 'period', period: 60 },
      grace: 60,
      state: { lastPing: new Date(Date.now() - 180_000) },
      remindEvery: 3600,
    });
    await sweep(test.db, { batchSize: 500 });
    const later = new Date(Date.now() + 3_700_000);
    const { notificationIds } = await sweep(test.db, { batchSize: 500, now: () => later });
    const [reminder] = await test.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.channelId, channelIds[0]!), eq(notifications.reminder, 1)));
    expect(notificationIds).toContain(reminder?.id);

    await deliverDue(context, 10);
    expect(await rowOf(reminder!.id)).toMatchObject({ status: 'sent' });
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
