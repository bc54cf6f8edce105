/** End to end through both drivers: a deadline passes, a real SMTP server and HTTP receiver get the alert. */
import { channels, type Database, notifications } from '@cronbeat/db';
import { openTestDatabase, testDatabaseKinds } from '@cronbeat/db/testing';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  type HttpReceiver,
  type SmtpReceiver,
  startHttpReceiver,
  startSmtpReceiver,
} from '../../../packages/notify/test/support/receivers';
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
      },
      { database, logger: pino({ level: 'silent' }) },
      { sweepIntervalMs: 250, retryDelayMs: 200, redeliverAfterMs: 60_000, queuePrefix: uniquePrefix('drivers') },
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
    await eventually(async () => ((await notificationsOf(channelIds[0]!))[0]?.attempts ?? 0) >= 2);
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
