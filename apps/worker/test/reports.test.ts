/** Summary reports end to end: made when due, emailed through a real SMTP server once, each person only their own projects. */
import { randomUUID } from 'node:crypto';
import { flips, memberships, reports, setReportEvery, users } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { createNotifier } from '@cronbeat/notify';
import { type SmtpReceiver, startSmtpReceiver } from '@cronbeat/notify/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendReports } from '../src/reports';
import { seedCheck, seedProject } from './support/seed';

const NOW = new Date('2026-12-07T09:30:00Z'); // a Monday, half an hour after weekly reports fall due
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

describe.each(testDatabaseKinds())('summary reports on %s', (kind) => {
  const test = useTestDatabase(kind);
  let smtp: SmtpReceiver;
  let notifier: ReturnType<typeof createNotifier>;
  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    notifier = createNotifier({ smtpUrl: smtp.url, emailFrom: 'Cronbeat <alerts@cronbeat.test>', httpTimeoutMs: 5000 });
  });
  afterAll(async () => {
    notifier.close();
    await smtp?.close();
  });

  const run = (now = NOW) => sendReports({ db: test.db, notifier, baseUrl: 'https://cronbeat.test', leaseMs: 30_000, batchSize: 100, now });
  const mailsTo = (address: string) => smtp.mails.filter((mail) => mail.to && JSON.stringify(mail.to).includes(address));

  async function person(label: string, projectIds: string[], email = `${label}-${randomUUID().slice(0, 8)}@example.com`) {
    const [user] = await test.db.insert(users).values({ email, passwordHash: 'x' }).returning({ id: users.id });
    for (const projectId of projectIds) await test.db.insert(memberships).values({ projectId, userId: user!.id, role: 'member' });
    return { id: user!.id, email };
  }

  it('emails each person who asked for it a summary of their own projects, once per period', async () => {
    const ops = await seedProject(test.db, {});
    const empty = await seedProject(test.db, {});
    const other = await seedProject(test.db, {});
    const db = await seedCheck(test.db, ops.projectId, [], { name: 'Nightly backup', state: { status: 'down' } });
    await seedCheck(test.db, ops.projectId, [], { name: 'Cache warmer' });
    await seedCheck(test.db, other.projectId, [], { name: 'Someone else’s job' });
    const down = (at: Date) => ({
      checkId: db,
      createdAt: at,
      fromStatus: 'up' as const,
      toStatus: 'down' as const,
      reason: 'failed' as const,
      processedAt: at,
    });
    // Down twice this week, and once before it (not counted).
    await test.db.insert(flips).values([down(daysAgo(10)), down(daysAgo(5)), down(daysAgo(1))]);

    const weekly = await person('weekly', [ops.projectId, empty.projectId]);
    const outsider = await person('outsider', [other.projectId]);
    const quiet = await person('quiet', [ops.projectId]);
    await setReportEvery(test.db, weekly.id, 'weekly', daysAgo(3));
    await setReportEvery(test.db, outsider.id, 'weekly', daysAgo(3));
    await setReportEvery(test.db, quiet.id, 'monthly', daysAgo(3)); // due on January 1st, not yet

    const first = await run();
    expect(first).toMatchObject({ made: 2, sent: 2, failed: 0 });
    const [mail] = mailsTo(weekly.email);
    expect(mail?.subject).toBe('Cronbeat weekly report: 1 of 2 checks down');
    expect(mail?.text).toContain('2026-11-30 to 2026-12-07');
    expect(mail?.text).toMatch(/DOWN\s+Nightly backup \(down 2 times\)/);
    expect(mail?.text).toMatch(/UP\s+Cache warmer \(never down\)/);
    expect(mail?.text).toContain('no checks');
    expect(mail?.text).not.toContain('Someone else’s job');
    expect(mail?.html).toContain('Nightly backup');
    expect(mailsTo(outsider.email)[0]?.text).toContain('Someone else’s job');
    expect(mailsTo(outsider.email)[0]?.text).not.toContain('Nightly backup');
    expect(mailsTo(quiet.email)).toHaveLength(0);

    // The next run, by this worker or another, sends nothing more until next Monday.
    expect(await run()).toMatchObject({ made: 0, sent: 0 });
    expect(mailsTo(weekly.email)).toHaveLength(1);
    const [stored] = await test.db.select().from(users).where(eq(users.id, weekly.id));
    expect(stored?.nextReportAt).toEqual(new Date('2026-12-14T09:00:00Z'));
  });

  it('sends one report for the last period after a long stop, keeps trying through SMTP trouble, and stops when turned off', async () => {
    const project = await seedProject(test.db, {});
    const late = await person('late', [project.projectId]);
    await setReportEvery(test.db, late.id, 'weekly', daysAgo(40)); // five Mondays have passed since

    smtp.refuseWith = 421;
    expect(await run()).toMatchObject({ made: 1, sent: 0, failed: 1 });
    smtp.refuseWith = null;
    const [waiting] = await test.db.select().from(reports).where(eq(reports.userId, late.id));
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, periodEnd: new Date('2026-12-07T09:00:00Z') });
    expect(waiting?.error).toMatch(/SMTP/);

    expect(await run()).toMatchObject({ made: 0, sent: 1 });
    expect(mailsTo(late.email)).toHaveLength(1);
    expect(await test.db.select().from(reports).where(eq(reports.userId, late.id))).toHaveLength(1);

    await setReportEvery(test.db, late.id, 'off', NOW);
    await run(new Date('2026-12-21T10:00:00Z'));
    expect(await test.db.select().from(reports).where(eq(reports.userId, late.id))).toHaveLength(1);
    expect(mailsTo(late.email)).toHaveLength(1);
  });

  it('sends a report once when two workers run at the same time', async () => {
    const project = await seedProject(test.db, {});
    const twice = await person('twice', [project.projectId]);
    await setReportEvery(test.db, twice.id, 'monthly', new Date('2026-11-15T00:00:00Z')); // due December 1st
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.made + b.made).toBe(1);
    expect(mailsTo(twice.email)).toHaveLength(1);
    expect(mailsTo(twice.email)[0]?.subject).toBe('Cronbeat monthly report: no checks yet');
    expect(mailsTo(twice.email)[0]?.text).toContain('2026-11-01 to 2026-12-01');
  });

  it('gives up on an address the mail server refuses for good', async () => {
    const project = await seedProject(test.db, {});
    // The test SMTP server refuses nobody@… with 550, as a server does an address that does not exist.
    const gone = await person('nobody', [project.projectId], 'nobody@example.com');
    await setReportEvery(test.db, gone.id, 'weekly', daysAgo(3));
    await run();
    const [report] = await test.db.select().from(reports).where(eq(reports.userId, gone.id));
    expect(report).toMatchObject({ status: 'failed', attempts: 1 });
    expect(report?.error).toMatch(/no such mailbox/);
    await run();
    const [after] = await test.db.select().from(reports).where(eq(reports.userId, gone.id));
    expect(after).toMatchObject({ status: 'failed', attempts: 1 });
  });
});
