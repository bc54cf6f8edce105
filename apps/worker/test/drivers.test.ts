/** End to end through both drivers: a deadline passes, a real SMTP server and HTTP receiver get the alert. */
import { channels, type Database, notifications } from '@cronbeat/db';
import { openTestDatabase, testDatabaseKinds } from '@cronbeat/db/testing';
import { eventually, type HttpReceiver, type SmtpReceiver, startHttpReceiver, startSmtpReceiver } from '@cronbeat/notify/testing';
import { startTcpProxy, type TcpProxy } from '@cronbeat/runtime';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, start } from '../src';
import { seedCheck, seedProject, testRedisUrl, uniquePrefix } from './support/seed';

const redisUrl = testRedisUrl();
const kinds = testDatabaseKinds();
const setups = [
  { driver: 'in-process', database: 'pglite' as const, redisUrl: null },
  ...(redisUrl ? [{ driver: 'bullmq', database: kinds.at(-1) ?? ('pglite' as const), redisUrl }] : []),
];

describe.each(setups)('delivery with the $driver driver on $database', (setup) => {
  let database: Database;
  let smtp: SmtpReceiver;
  let http: HttpReceiver;
  let worker: RunningWorker;

  beforeAll(async () => {
    [database, smtp, http] = await Promise.all([openTestDatabase(setup.database), startSmtpReceiver(), startHttpReceiver()]);
    worker = await start(
      {
        redisUrl: setup.redisUrl,
        smtpUrl: smtp.url,
        emailFrom: 'alerts@cronbeat.test',
        baseUrl: 'https://cronbeat.test',
        selfPingUrl: null,
        // The receivers listen on loopback, which channels reach only when allowed.
        privateTargetsAllowed: ['127.0.0.0/8'],
      },
      { database, logger: pino({ level: 'silent' }) },
      { maxSleepMs: 250, retryDelayMs: 200, queuePrefix: uniquePrefix('drivers') },
    );
    expect(worker.driver).toBe(setup.driver);
  });
  afterAll(async () => {
    await worker?.close();
    await Promise.all([database?.close(), smtp?.close(), http?.close()]);
  });

  /** A check whose deadline passes a second from now. */
  const checkDueSoon = (projectId: string, channelIds: string[], name: string) =>
    seedCheck(database.db, projectId, channelIds, {
      name,
      schedule: { kind: 'period', period: 60 },
      grace: 60,
      state: { lastPing: new Date(Date.now() - 119_000) },
    });
  const notificationsOf = (channelId: string) => database.db.select().from(notifications).where(eq(notifications.channelId, channelId));

  it('emails and calls the webhook once when a deadline passes, and records the delivery', async () => {
    http.respond = () => ({ status: 200 });
    const { projectId, channelIds } = await seedProject(database.db, { email: ['ops@example.com'], webhook: { url: `${http.url}/hook` } });
    await checkDueSoon(projectId, channelIds, 'db-backup');
    await eventually(
      () => smtp.mails.some((mail) => mail.subject?.includes('db-backup')) && http.requests.some((r) => r.body.includes('db-backup')),
    );
    expect(smtp.mails.find((mail) => mail.subject?.includes('db-backup'))?.subject).toMatch(
      /^DOWN: db-backup \(missed, last ping 2 min ago\)$/,
    );
    // Both attempts recorded: the mail arriving says nothing yet about the worker having written its outcome.
    await eventually(async () => {
      const [email, webhook] = await Promise.all(channelIds.map(notificationsOf));
      return email?.[0]?.status === 'sent' && webhook?.[0]?.status === 'sent';
    });
    const [channel] = await database.db.select().from(channels).where(eq(channels.id, channelIds[0]!));
    expect(channel?.lastDeliveredAt).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(smtp.mails.filter((mail) => mail.subject?.includes('db-backup'))).toHaveLength(1);
  });

  it('keeps retrying an SMTP server that refuses for a while, then delivers', async () => {
    smtp.refuseWith = 421;
    const { projectId, channelIds } = await seedProject(database.db, { email: ['ops@example.com'] });
    await checkDueSoon(projectId, channelIds, 'refused-at-first');
    // Two attempts made and refused: an attempt is counted when claimed (its next attempt is then its 30 s lease),
    // and its failure recorded with the next attempt the retry policy sets (200 ms, 400 ms, … later).
    await eventually(async () => {
      const [notification] = await notificationsOf(channelIds[0]!);
      const retryIn = (notification?.nextAttemptAt?.getTime() ?? 0) - (notification?.lastAttemptAt?.getTime() ?? 0);
      return (notification?.attempts ?? 0) >= 2 && notification?.status === 'pending' && retryIn > 0 && retryIn < 10_000;
    });
    smtp.refuseWith = null;
    await eventually(() => smtp.mails.some((mail) => mail.subject?.includes('refused-at-first')), 15_000);
    await eventually(async () => (await notificationsOf(channelIds[0]!))[0]?.status === 'sent');
    const [notification] = await notificationsOf(channelIds[0]!);
    expect(notification?.attempts).toBeGreaterThanOrEqual(3);
    const [channel] = await database.db.select().from(channels).where(eq(channels.id, channelIds[0]!));
    expect(channel?.lastError).toMatch(/SMTP/);
  });

  it('does not retry a webhook that answers 404, and keeps the error for the dashboard', async () => {
    http.respond = (request) => ({ status: request.path === '/gone' ? 404 : 200 });
    const { projectId, channelIds } = await seedProject(database.db, { webhook: { url: `${http.url}/gone` } });
    await checkDueSoon(projectId, channelIds, 'gone-hook');
    await eventually(async () => (await notificationsOf(channelIds[0]!))[0]?.status === 'failed');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const [notification] = await notificationsOf(channelIds[0]!);
    expect(notification).toMatchObject({ status: 'failed', attempts: 1 });
    expect(notification?.error).toMatch(/HTTP 404/);
    const [channel] = await database.db.select().from(channels).where(eq(channels.id, channelIds[0]!));
    expect(channel?.lastError).toMatch(/HTTP 404/);
  });
});

describe.skipIf(!redisUrl)('the BullMQ driver while Redis is away (behind a proxy that is cut)', () => {
  let database: Database;
  let http: HttpReceiver;
  let proxy: TcpProxy;
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const workers: RunningWorker[] = [];

  beforeAll(async () => {
    const redis = new URL(redisUrl ?? '');
    [database, http, proxy] = await Promise.all([
      openTestDatabase(kinds.at(-1) ?? 'pglite'),
      startHttpReceiver(),
      startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) }),
    ]);
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await Promise.all([database?.close(), http?.close(), proxy?.close()]);
  });

  const startWorker = async () => {
    const worker = await start(
      {
        redisUrl: `redis://127.0.0.1:${proxy.port}`,
        smtpUrl: null,
        emailFrom: 'alerts@cronbeat.test',
        baseUrl: 'https://cronbeat.test',
        selfPingUrl: null,
        privateTargetsAllowed: ['127.0.0.0/8'],
      },
      { database, logger },
      { maxSleepMs: 250, retryDelayMs: 200, queuePrefix: uniquePrefix('outage') },
    );
    workers.push(worker);
    return worker;
  };

  it('is not ready while Redis is away, says so in one line, and sweeps and delivers once it is back', async () => {
    await proxy.restore();
    lines.length = 0;
    http.respond = () => ({ status: 200 });
    const worker = await startWorker();
    await expect.poll(() => worker.health(), { timeout: 5000 }).toMatchObject({ ready: true, redis: 'ok' });

    await proxy.cut();
    await expect.poll(() => worker.health(), { timeout: 5000 }).toMatchObject({ ready: false, redis: 'unreachable' });
    const { projectId, channelIds } = await seedProject(database.db, { webhook: { url: `${http.url}/hook` } });
    await seedCheck(database.db, projectId, channelIds, {
      name: 'due-while-redis-is-away',
      schedule: { kind: 'period', period: 60 },
      grace: 60,
      state: { lastPing: new Date(Date.now() - 119_500) },
    });
    // Nothing sweeps without Redis: the deadline passes unseen, and the worker says it is not ready.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(worker.health()).toMatchObject({ ready: false, redis: 'unreachable' });
    expect(http.requests.filter((request) => request.body.includes('due-while-redis-is-away'))).toHaveLength(0);

    await proxy.restore();
    await eventually(() => http.requests.some((request) => request.body.includes('due-while-redis-is-away')), 15_000);
    expect(worker.health()).toMatchObject({ ready: true, sweep: 'ok', redis: 'ok' });
    await new Promise((resolve) => setTimeout(resolve, 750));
    expect(http.requests.filter((request) => request.body.includes('due-while-redis-is-away'))).toHaveLength(1);
    expect(lines.filter((line) => line.msg.startsWith('Redis unreachable'))).toHaveLength(1);
    expect(lines.filter((line) => line.msg === 'Redis reachable again')).toHaveLength(1);
    expect(lines.filter((line) => line.level >= 40).map((line) => line.msg)).toEqual([expect.stringMatching(/^Redis unreachable/)]);
  }, 30_000);

  it('starts without Redis, not ready, and stops within seconds while Redis is still away', async () => {
    await proxy.cut();
    const started = Date.now();
    const worker = await startWorker();
    expect(Date.now() - started).toBeLessThan(7000);
    expect(worker.health()).toMatchObject({ ready: false });
    const stopping = Date.now();
    await worker.close();
    workers.splice(workers.indexOf(worker), 1);
    expect(Date.now() - stopping).toBeLessThan(3000);
  });
});
