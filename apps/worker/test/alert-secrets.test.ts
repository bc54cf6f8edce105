/** Alerts go to people who may not ping: nothing in them may let the reader ping the check. */
import { checks, claimDeliveries, notifications } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { alertHtml, alertSubject, alertText, createNotifier, slackMessage, webhookPayload } from '@cronbeat/notify';
import { type HttpReceiver, startHttpReceiver } from '@cronbeat/notify/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertOf } from '../src/alert';
import { deliverDue } from '../src/deliver';
import { sweep } from '../src/sweep';
import { seedCheck, seedProject } from './support/seed';

const BASE_URL = 'https://cronbeat.test';

describe.each(testDatabaseKinds())('what an alert says about a check on %s', (kind) => {
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

  /** A check gone down, with one webhook channel: its id, ping code and pending notification. */
  async function downCheck(path: string) {
    const { projectId, channelIds } = await seedProject(test.db, { webhook: { url: `${http.url}${path}` } });
    const checkId = await seedCheck(test.db, projectId, channelIds, {
      name: 'nightly-backup',
      schedule: { kind: 'period', period: 60 },
      grace: 60,
      state: { lastPing: new Date(Date.now() - 180_000) },
    });
    await sweep(test.db, { batchSize: 500 });
    const [notification] = await test.db.select().from(notifications).where(eq(notifications.channelId, channelIds[0]!));
    const [check] = await test.db.select().from(checks).where(eq(checks.id, checkId));
    expect(check!.pingCode).not.toBe(checkId);
    return { checkId, pingCode: check!.pingCode, notificationId: notification!.id };
  }

  it('links to the check by its id and never shows its ping code, in any channel’s message', async () => {
    const { checkId, pingCode, notificationId } = await downCheck('/render');
    const claimed = (await claimDeliveries(test.db, 100, 30_000)).find((delivery) => delivery.notification.id === notificationId);
    if (!claimed) throw new Error('notification not claimed');
    const alert = alertOf(claimed, BASE_URL);
    expect(alert.check.url).toBe(`${BASE_URL}/checks/${checkId}`);
    const rendered = [
      alertSubject(alert),
      alertText(alert),
      alertHtml(alert),
      JSON.stringify(slackMessage(alert)),
      JSON.stringify(webhookPayload(alert)),
    ];
    for (const message of rendered) expect(message).not.toContain(pingCode);
    expect(alertText(alert)).toContain(`/checks/${checkId}`);
  });

  it('delivers a webhook that names the check by id, without its ping code', async () => {
    const { checkId, pingCode, notificationId } = await downCheck('/delivered');
    const context = { db: test.db, notifier, baseUrl: BASE_URL, leaseMs: 30_000, retry: { attempts: 1, firstRetryMs: 1000 } };
    await deliverDue(context, 100);
    const [delivered] = await test.db.select().from(notifications).where(eq(notifications.id, notificationId));
    expect(delivered?.status).toBe('sent');
    const [request] = http.requests.filter((received) => received.path === '/delivered');
    expect(JSON.parse(request!.body).check).toMatchObject({ id: checkId, url: `${BASE_URL}/checks/${checkId}` });
    expect(request!.body).not.toContain(pingCode);
    expect(JSON.stringify(request!.headers)).not.toContain(pingCode);
  });
});
