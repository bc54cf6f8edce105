/** What an alert email says about a stored check: its times on the check's clocks, its tags, never its ping code. */
import type { Schedule } from '@cronbeat/core';
import { checks, flips, notifications } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { createNotifier } from '@cronbeat/notify';
import { eventually, type SmtpReceiver, startSmtpReceiver } from '@cronbeat/notify/testing';
import { eq } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDue } from '../src/deliver';
import { sweep } from '../src/sweep';
import { seedCheck, seedProject } from './support/seed';

const BASE_URL = 'https://cronbeat.test';

/** `HH:MM` of an instant on the clocks of `tz`. */
const clock = (at: Date, tz: string) =>
  new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: tz }).format(at);

describe.each(testDatabaseKinds())('an alert email about a stored check on %s', (kind) => {
  const test = useTestDatabase(kind);
  let smtp: SmtpReceiver;
  let notifier: ReturnType<typeof createNotifier>;
  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    notifier = createNotifier({ smtpUrl: smtp.url, emailFrom: 'alerts@cronbeat.test', httpTimeoutMs: 5000 });
  });
  afterAll(async () => {
    notifier?.close();
    await smtp?.close();
  });

  /** A check of `schedule` gone down, its alert delivered by email: the mail, and the check's ping code and flip time. */
  async function alertMail(name: string, schedule: Schedule, tz?: string) {
    const to = `${name}@example.com`;
    const { projectId, channelIds } = await seedProject(test.db, { email: [to] });
    const checkId = await seedCheck(test.db, projectId, channelIds, {
      name,
      schedule,
      grace: 60,
      state: { lastPing: new Date(Date.now() - 10 * 60_000) },
    });
    // Period checks keep a zone too (UTC unless set).
    if (tz)
      await test.db
        .update(checks)
        .set({ tz, tags: ['db', '<nightly>'] })
        .where(eq(checks.id, checkId));
    await sweep(test.db, { batchSize: 500 });
    const [notification] = await test.db.select().from(notifications).where(eq(notifications.channelId, channelIds[0]!));
    await deliverDue({ db: test.db, notifier, baseUrl: BASE_URL, leaseMs: 30_000, retry: { attempts: 1, firstRetryMs: 1000 } }, 10);
    const [delivered] = await test.db.select().from(notifications).where(eq(notifications.id, notification!.id));
    expect(delivered?.status).toBe('sent');
    await eventually(() => smtp.mails.some((mail) => JSON.stringify(mail.to).includes(to)), 5000, `the mail to ${to}`);
    const mail = smtp.mails.find((m) => JSON.stringify(m.to).includes(to)) as ParsedMail & { text: string; html: string };
    const [check] = await test.db.select().from(checks).where(eq(checks.id, checkId));
    const [flip] = await test.db.select().from(flips).where(eq(flips.checkId, checkId));
    return { mail, checkId, pingCode: check!.pingCode, flipAt: flip!.createdAt };
  }

  it('shows a cron check’s times in its zone with the zone named, in both parts, and never its ping code', async () => {
    const { mail, checkId, pingCode, flipAt } = await alertMail('riga-backup', { kind: 'cron', cron: '* * * * *', tz: 'Europe/Riga' });
    expect(mail.subject).toMatch(/^DOWN: riga-backup \(missed, last ping \d+ min ago\)$/);
    const downSince = new RegExp(`Down since: \\w{3}, \\d{1,2} \\w{3} \\d{4}, ${clock(flipAt, 'Europe/Riga')} \\(Europe/Riga\\)`);
    expect(mail.text).toMatch(downSince);
    expect(mail.text).toMatch(/Expected at: .* \(Europe\/Riga\), \d+ min ago/);
    expect(mail.html).toContain(`down since`);
    expect(mail.html).toMatch(new RegExp(`${clock(flipAt, 'Europe/Riga')} \\(Europe/Riga\\)`));
    // Riga is two or three hours ahead of UTC all year: the UTC clock time is not what the mail says.
    expect(clock(flipAt, 'UTC')).not.toBe(clock(flipAt, 'Europe/Riga'));
    expect(mail.html).toContain(`href="${BASE_URL}/checks/${checkId}"`);
    for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toContain(pingCode);
  });

  it('shows a period check’s times in the zone stored on the check, and its tags escaped', async () => {
    const { mail, flipAt } = await alertMail('tokyo-sync', { kind: 'period', period: 60 }, 'Asia/Tokyo');
    expect(mail.text).toMatch(new RegExp(`Down since: .*, ${clock(flipAt, 'Asia/Tokyo')} \\(Asia/Tokyo\\)`));
    expect(mail.text).toContain('Tags: db, <nightly>');
    expect(mail.html).toContain('db, &#60;nightly&#62;');
  });

  it('shows a period check’s times in UTC when it has no zone of its own', async () => {
    const { mail, flipAt } = await alertMail('utc-sync', { kind: 'period', period: 60 });
    expect(mail.text).toMatch(new RegExp(`Down since: .*, ${clock(flipAt, 'UTC')} \\(UTC\\)`));
  });
});
