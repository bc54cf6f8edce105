/**
 * Real receivers for alert tests: an SMTP server, an HTTP receiver for
 * Slack and webhooks, a notifier allowed to reach them on loopback, and
 * delivery of whatever is due; each project gets its own addresses.
 */
import type { Db } from '@cronbeat/db';
import { createNotifier } from '@cronbeat/notify';
import { type HttpReceiver, type SmtpReceiver, startHttpReceiver, startSmtpReceiver } from '@cronbeat/notify/testing';
import { afterAll, beforeAll } from 'vitest';
import { deliverDue } from '../../src/deliver';
import { seedProject } from './seed';

export const BASE_URL = 'https://cronbeat.test';

/** Starts the receivers before the file's tests and stops them after; `db` is read when used. */
export function useAlertReceivers(db: () => Db) {
  let smtp: SmtpReceiver;
  let http: HttpReceiver;
  let notifier: ReturnType<typeof createNotifier>;
  beforeAll(async () => {
    [smtp, http] = await Promise.all([startSmtpReceiver(), startHttpReceiver()]);
    http.respond = () => ({ status: 200, body: 'ok' });
    notifier = createNotifier({
      smtpUrl: smtp.url,
      emailFrom: 'alerts@cronbeat.test',
      httpTimeoutMs: 5000,
      privateTargetsAllowed: ['127.0.0.0/8'],
    });
  });
  afterAll(async () => {
    notifier?.close();
    await Promise.all([smtp?.close(), http?.close()]);
  });
  return {
    smtp: () => smtp,
    http: () => http,
    /** Delivers what is due, one attempt each. */
    deliver: () => deliverDue({ db: db(), notifier, baseUrl: BASE_URL, leaseMs: 30_000, retry: { attempts: 1, firstRetryMs: 1000 } }, 100),
    /** A project with an email, a Slack and a webhook channel, each to its own address; channel ids in that order. */
    async projectWithChannels() {
      const id = crypto.randomUUID().slice(0, 8);
      const receivers = { to: `ops-${id}@example.com`, hook: `/hook-${id}`, slack: `/slack-${id}` };
      const { projectId, channelIds } = await seedProject(db(), {
        email: [receivers.to],
        webhook: { url: `${http.url}${receivers.hook}` },
        slack: { url: `${http.url}${receivers.slack}` },
      });
      return { projectId, channelIds, receivers };
    },
  };
}
