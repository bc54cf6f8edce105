/**
 * The delivery log: every attempt is kept with its outcome, the receiver's
 * HTTP status and when the next attempt is due, through the sweep, delivery
 * and a real HTTP receiver; and retention drops attempts past a month. On
 * PGlite and Postgres.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deliveryAttempts, notifications, pageChannelDeliveries } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { createNotifier } from '@cronbeat/notify';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeliverContext, deliverDue } from '../src/deliver';
import { maintenance } from '../src/maintenance';
import { sweep } from '../src/sweep';
import { seedCheck, seedProject } from './support/seed';

describe.each(testDatabaseKinds())('delivery log on %s', (kind) => {
  const test = useTestDatabase(kind);
  const notifier = createNotifier({
    smtpUrl: null,
    emailFrom: 'alerts@cronbeat.test',
    httpTimeoutMs: 2000,
    privateTargetsAllowed: ['127.0.0.0/8'],
  });
  /** /flaky/<key>: 503 the first time a key is asked, 200 after; /gone: 404. */
  let receiver: Server;
  let receiverUrl: string;
  const asked = new Set<string>();
  let context: DeliverContext;
  beforeAll(async () => {
    receiver = createServer((request, response) => {
      request.resume();
      const url = request.url ?? '';
      if (url.startsWith('/gone')) return void response.writeHead(404).end();
      const first = !asked.has(url);
      asked.add(url);
      response.writeHead(first ? 503 : 200).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    context = { db: test.db, notifier, baseUrl: 'https://cronbeat.test', leaseMs: 30_000, retry: { attempts: 6, firstRetryMs: 20_000 } };
  });
  afterAll(async () => {
    notifier.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  /** A project whose one webhook channel posts to `path`, with a check that is down once swept. */
  async function downCheckAlerting(path: string) {
    const { projectId, channelIds } = await seedProject(test.db, { webhook: { url: `${receiverUrl}${path}` } });
    await seedCheck(test.db, projectId, channelIds, {
      schedule: { kind: 'period', period: 60 },
      grace: 60,
      state: { lastPing: new Date(Date.now() - 180_000) },
    });
    await sweep(test.db, { batchSize: 500 });
    return { projectId, channelId: channelIds[0]! };
  }

  it('keeps a 503 as retrying with its next attempt, then the 200 as sent', async () => {
    const { projectId, channelId } = await downCheckAlerting(`/flaky/${kind}`);
    expect((await deliverDue(context, 100)).retry).toBeGreaterThanOrEqual(1);
    // Due again now rather than in 20 s.
    await test.db
      .update(notifications)
      .set({ nextAttemptAt: new Date(Date.now() - 1000) })
      .where(eq(notifications.channelId, channelId));
    expect((await deliverDue(context, 100)).sent).toBeGreaterThanOrEqual(1);

    const page = await pageChannelDeliveries(test.db, projectId, channelId, { limit: 10 });
    expect(page!.rows.map((row) => [row.outcome, row.statusCode])).toEqual([
      ['sent', 200],
      ['retrying', 503],
    ]);
    const [sent, retrying] = page!.rows;
    expect(retrying!.error).toMatch(/503/);
    expect(retrying!.nextAttemptAt!.getTime()).toBeGreaterThan(retrying!.attemptedAt.getTime());
    expect(sent!.error).toBeNull();
    expect(sent!.nextAttemptAt).toBeNull();
    expect(sent!.notificationId).toBe(retrying!.notificationId);
  });

  it('keeps a 404 as failed for good', async () => {
    const { projectId, channelId } = await downCheckAlerting('/gone');
    expect((await deliverDue(context, 100)).failed).toBeGreaterThanOrEqual(1);
    const page = await pageChannelDeliveries(test.db, projectId, channelId, { limit: 10 });
    expect(page!.rows).toHaveLength(1);
    expect(page!.rows[0]).toMatchObject({ outcome: 'failed', statusCode: 404, nextAttemptAt: null });
    expect(page!.rows[0]!.error).toMatch(/404/);
  });

  it('retention drops attempts older than 30 days and keeps newer ones', async () => {
    const { channelId } = await downCheckAlerting('/gone');
    await deliverDue(context, 100);
    const [attempt] = await test.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.channelId, channelId));
    const now = new Date(attempt!.attemptedAt.getTime() + 29 * 86_400_000);
    await maintenance(test.db, { pingRetention: 1000, historyDays: 90 }, { now });
    expect(await test.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.channelId, channelId))).toHaveLength(1);
    const result = await maintenance(test.db, { pingRetention: 1000, historyDays: 90 }, { now: new Date(now.getTime() + 2 * 86_400_000) });
    expect(result.deliveryAttempts).toBeGreaterThanOrEqual(1);
    expect(await test.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.channelId, channelId))).toHaveLength(0);
  });
});
