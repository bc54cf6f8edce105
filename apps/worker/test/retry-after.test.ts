/**
 * Rate limits honoured: a receiver answering 429 with Retry-After gets its
 * next attempt no sooner than it asked (at most an hour on), and never
 * sooner than the retry policy's own backoff; through the sweep and a real
 * HTTP receiver, on PGlite and Postgres.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_RETRY_AFTER_MS } from '@cronbeat/core';
import { notifications } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { createNotifier } from '@cronbeat/notify';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeliverContext, deliverDue } from '../src/deliver';
import { sweep } from '../src/sweep';
import { seedCheck, seedProject } from './support/seed';

describe.each(testDatabaseKinds())('Retry-After on %s', (kind) => {
  const test = useTestDatabase(kind);
  const notifier = createNotifier({
    smtpUrl: null,
    emailFrom: 'alerts@cronbeat.test',
    httpTimeoutMs: 2000,
    privateTargetsAllowed: ['127.0.0.0/8'],
  });
  /** Answers 429 with the Retry-After its path names: /wait/<value, URL-encoded>. */
  let receiver: Server;
  let receiverUrl: string;
  let context: DeliverContext;
  beforeAll(async () => {
    receiver = createServer((request, response) => {
      request.resume();
      const value = decodeURIComponent((request.url ?? '').replace(/^\/wait\//, '').split('?')[0]!);
      response.writeHead(429, { 'retry-after': value }).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    context = { db: test.db, notifier, baseUrl: 'https://cronbeat.test', leaseMs: 30_000, retry: { attempts: 6, firstRetryMs: 20_000 } };
  });
  afterAll(async () => {
    notifier.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  /** A check down now with one webhook channel to the receiver answering Retry-After `value`; swept, and its notification sent once. */
  async function attemptAnswered(value: string) {
    const { projectId, channelIds } = await seedProject(test.db, { webhook: { url: `${receiverUrl}/wait/${encodeURIComponent(value)}` } });
    await seedCheck(test.db, projectId, channelIds, {
      schedule: { kind: 'period', period: 60 },
      grace: 60,
      state: { lastPing: new Date(Date.now() - 180_000) },
    });
    await sweep(test.db, { batchSize: 500 });
    const before = Date.now();
    const results = await deliverDue(context, 100);
    expect(results.retry).toBeGreaterThanOrEqual(1);
    const [row] = await test.db.select().from(notifications).where(eq(notifications.channelId, channelIds[0]!));
    return { row: row!, before };
  }

  it('waits at least the 120 s a 429 asked for, not the 20 s backoff', async () => {
    const { row, before } = await attemptAnswered('120');
    expect(row.status).toBe('pending');
    expect(row.error).toMatch(/429/);
    expect(row.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(before + 120_000);
    expect(row.nextAttemptAt!.getTime()).toBeLessThan(Date.now() + 125_000);
  });

  it('reads an HTTP date, and waits no more than an hour however long it asked', async () => {
    const { row, before } = await attemptAnswered(new Date(Date.now() + 86_400_000).toUTCString());
    expect(row.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(before + MAX_RETRY_AFTER_MS);
    expect(row.nextAttemptAt!.getTime()).toBeLessThanOrEqual(Date.now() + MAX_RETRY_AFTER_MS);
  });

  it("keeps the policy's backoff when the receiver asked for less", async () => {
    const { row, before } = await attemptAnswered('1');
    expect(row.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(before + 20_000);
    expect(row.nextAttemptAt!.getTime()).toBeLessThan(Date.now() + 25_000);
  });
});
