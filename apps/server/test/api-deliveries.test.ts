/**
 * The delivery log through the API: a channel's attempts newest first in
 * pages, a flip's attempts, scoped to the caller's project, readable with a
 * read-only key. Attempts are recorded as the worker records them
 * (recordDeliveryAttempts); the worker's own test sends them to a real receiver.
 */
import { flips, notifications, recordDeliveryAttempts } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createKey, injectApi, type Method, signUp, testApp } from './api-fixtures';

describe.each(testDatabaseKinds())('delivery log API on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testApp(test.database);
  });
  afterAll(async () => {
    await app.close();
  });

  /** A project with a webhook channel and a check alerting it, one flip to down and its notification. */
  async function projectWithAlert() {
    const owner = await signUp(app);
    const headers = bearer((await createKey(app, owner)).key);
    const readOnly = bearer((await createKey(app, owner, 'read-only')).key);
    const call = (method: Method, url: string, payload?: object, as = headers) => injectApi(app, method, url, as, payload);
    const channel = (
      await call('POST', '/channels', { kind: 'webhook', name: 'Hook', config: { url: 'https://hooks.example.com/x' } })
    ).json();
    const check = (await call('POST', '/checks', { name: 'Nightly', channels: [channel.id] })).json();
    const [flip] = await test.db
      .insert(flips)
      .values({ checkId: check.id, createdAt: new Date(), fromStatus: 'up', toStatus: 'down', reason: 'missed' })
      .returning();
    const [notification] = await test.db.insert(notifications).values({ flipId: flip!.id, channelId: channel.id, attempts: 1 }).returning();
    return {
      call,
      readOnly,
      channelId: channel.id as string,
      checkId: check.id as string,
      flipId: flip!.id,
      notificationId: notification!.id,
    };
  }

  it("lists a channel's attempts newest first, retrying with its next attempt and status, then sent", async () => {
    const { call, channelId, checkId, flipId, notificationId } = await projectWithAlert();
    const first = new Date(Date.now() - 60_000);
    const retryAt = new Date(Date.now() - 30_000);
    await recordDeliveryAttempts(test.db, [
      {
        id: notificationId,
        channelId,
        attempt: 1,
        outcome: { ok: false, at: first, error: 'webhook: HTTP 503', nextAttemptAt: retryAt, statusCode: 503 },
      },
    ]);
    await recordDeliveryAttempts(test.db, [
      { id: notificationId, channelId, attempt: 1, outcome: { ok: true, at: retryAt, statusCode: 200 } },
    ]);

    const answer = await call('GET', `/channels/${channelId}/deliveries`);
    expect(answer.statusCode).toBe(200);
    const { deliveries, nextCursor } = answer.json();
    expect(nextCursor).toBeNull();
    expect(deliveries).toEqual([
      expect.objectContaining({
        notificationId,
        channel: { id: channelId, name: 'Hook', kind: 'webhook' },
        checkId,
        flipId,
        reminder: 0,
        at: retryAt.toISOString(),
        outcome: 'sent',
        statusCode: 200,
        error: null,
        nextAttemptAt: null,
      }),
      expect.objectContaining({
        at: first.toISOString(),
        outcome: 'retrying',
        statusCode: 503,
        reply: null,
        error: 'webhook: HTTP 503',
        nextAttemptAt: retryAt.toISOString(),
      }),
    ]);

    const byFlip = await call('GET', `/checks/${checkId}/flips/${flipId}/deliveries`);
    expect(byFlip.statusCode).toBe(200);
    expect(byFlip.json().deliveries.map((each: { outcome: string }) => each.outcome)).toEqual(['sent', 'retrying']);
    // The flips list names each flip's id, the way to its attempts.
    expect((await call('GET', `/checks/${checkId}/flips`)).json().flips[0].id).toBe(flipId);
  });

  it('keeps a refusal for good as failed, with an SMTP reply where there is one', async () => {
    const { call, channelId, notificationId } = await projectWithAlert();
    await recordDeliveryAttempts(test.db, [
      {
        id: notificationId,
        channelId,
        attempt: 1,
        outcome: { ok: false, at: new Date(), error: 'SMTP: no such user', nextAttemptAt: null, reply: '550 5.1.1 No such user' },
      },
    ]);
    const [attempt] = (await call('GET', `/channels/${channelId}/deliveries`)).json().deliveries;
    expect(attempt).toMatchObject({ outcome: 'failed', statusCode: null, reply: '550 5.1.1 No such user', nextAttemptAt: null });
  });

  it('pages with limit and before, newest first, and refuses a bad cursor naming it', async () => {
    const { call, channelId, notificationId } = await projectWithAlert();
    const start = Date.now() - 100_000;
    for (let i = 0; i < 5; i++) {
      await recordDeliveryAttempts(test.db, [
        {
          id: notificationId,
          channelId,
          attempt: 99,
          outcome: { ok: false, at: new Date(start + i * 1000), error: `try ${i}`, nextAttemptAt: new Date(start + i * 1000 + 500) },
        },
      ]);
    }
    const errors: string[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '?limit=2' : `?limit=2&before=${cursor}`;
      const page = (await call('GET', `/channels/${channelId}/deliveries${query}`)).json();
      errors.push(...page.deliveries.map((each: { error: string }) => each.error));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(errors).toEqual(['try 4', 'try 3', 'try 2', 'try 1', 'try 0']);
    expect(pages).toBe(3);

    const bad = await call('GET', `/channels/${channelId}/deliveries?before=abc`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/before/);
    expect((await call('GET', `/channels/${channelId}/deliveries?limit=0`)).statusCode).toBe(400);
  });

  it("is 404 for another project's channel or flip, and readable with a read-only key", async () => {
    const mine = await projectWithAlert();
    const theirs = await projectWithAlert();
    await recordDeliveryAttempts(test.db, [
      { id: theirs.notificationId, channelId: theirs.channelId, attempt: 1, outcome: { ok: true, at: new Date(), statusCode: 200 } },
    ]);
    expect((await mine.call('GET', `/channels/${theirs.channelId}/deliveries`)).statusCode).toBe(404);
    expect((await mine.call('GET', `/checks/${theirs.checkId}/flips/${theirs.flipId}/deliveries`)).statusCode).toBe(404);
    // Their flip under my check's id is not mine either.
    expect((await mine.call('GET', `/checks/${mine.checkId}/flips/${theirs.flipId}/deliveries`)).statusCode).toBe(404);
    const read = await theirs.call('GET', `/channels/${theirs.channelId}/deliveries`, undefined, theirs.readOnly);
    expect(read.statusCode).toBe(200);
    expect(read.json().deliveries).toHaveLength(1);
    expect(
      (await theirs.call('GET', `/checks/${theirs.checkId}/flips/${theirs.flipId}/deliveries`, undefined, theirs.readOnly)).statusCode,
    ).toBe(200);
  });
});
