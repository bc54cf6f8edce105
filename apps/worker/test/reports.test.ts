/** Summary reports end to end: made when due at 09:00 in each person's zone, emailed through a real SMTP server once, each person only their own projects, with each check's figures for the period, worst first. */
import { randomUUID } from 'node:crypto';
import { changeReportSettings, checks, flips, memberships, pings, reports, setReportEvery, users } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { createNotifier } from '@cronbeat/notify';
import { type SmtpReceiver, startSmtpReceiver } from '@cronbeat/notify/testing';
import { eq, inArray } from 'drizzle-orm';
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

  /** Checks are made "now" (the real clock); reports look at a week that ended before, so make them older. */
  const madeAt = (checkIds: string[], at: Date) => test.db.update(checks).set({ createdAt: at }).where(inArray(checks.id, checkIds));
  const flip = (checkId: string, at: Date, fromStatus: 'up' | 'down', toStatus: 'up' | 'down') => ({
    checkId,
    createdAt: at,
    fromStatus,
    toStatus,
    reason: toStatus === 'down' ? ('failed' as const) : ('success' as const),
    processedAt: at,
  });
  const ping = (checkId: string, n: number, at: string, kind: 'success' | 'fail' | 'start' | 'log', duration: number | null = null) => ({
    checkId,
    n,
    kind,
    createdAt: new Date(at),
    duration,
    method: 'POST',
    scheme: 'https',
  });

  it('emails each person who asked for it a summary of their own projects, with each check’s figures, once per period', async () => {
    const ops = await seedProject(test.db, {});
    const empty = await seedProject(test.db, {});
    const other = await seedProject(test.db, {});
    const backup = await seedCheck(test.db, ops.projectId, [], { name: 'Nightly backup', state: { status: 'down' } });
    const warmer = await seedCheck(test.db, ops.projectId, [], { name: 'Cache warmer' });
    const foreign = await seedCheck(test.db, other.projectId, [], { name: 'Someone else’s job' });
    await madeAt([backup, warmer, foreign], daysAgo(20));
    // The week runs from Monday 30 November 09:00 UTC to Monday 7 December 09:00 UTC (168 hours).
    await test.db.insert(flips).values([
      flip(backup, daysAgo(10), 'up', 'down'), // before the week: neither its time nor its count is in it
      flip(backup, daysAgo(9), 'down', 'up'),
      flip(backup, new Date('2026-12-02T09:00:00Z'), 'up', 'down'), // six hours down
      flip(backup, new Date('2026-12-02T15:00:00Z'), 'down', 'up'),
      flip(backup, new Date('2026-12-06T09:00:00Z'), 'up', 'down'), // down through the week's end: 24 hours in it
    ]);
    // Nine successful runs of 1 to 9 s and one failed run of a minute; a run before the week, a start and a log are not counted.
    await test.db
      .insert(pings)
      .values([
        ping(backup, 1, '2026-11-29T09:00:00Z', 'success', 999_000),
        ...Array.from({ length: 9 }, (_, i) => ping(backup, i + 2, `2026-12-0${1 + (i % 5)}T0${i}:00:00Z`, 'success', (i + 1) * 1000)),
        ping(backup, 11, '2026-12-06T08:58:00Z', 'start'),
        ping(backup, 12, '2026-12-06T08:59:00Z', 'fail', 60_000),
        ping(backup, 13, '2026-12-06T09:30:00Z', 'log'),
      ]);

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
    expect(mail?.text).toContain('2026-11-30 to 2026-12-07 (09:00 UTC)');
    // 30 of 168 hours down: 82.14% up. p50 of 1…9 s and 60 s is 5.5 s; p95 interpolates to 37.05 s.
    expect(mail?.text).toContain(
      '  DOWN    Nightly backup\n          82.14% up, down 2 times · 10 runs, 1 failed · p50 5.5 s · p95 37 s · slowest 1 min (Sun 6 Dec, 08:59)',
    );
    expect(mail?.text).toContain('  UP      Cache warmer\n          100% up, never down · no runs');
    // Worst first.
    expect(String(mail?.text).indexOf('Nightly backup')).toBeLessThan(String(mail?.text).indexOf('Cache warmer'));
    expect(mail?.text).toContain('no checks');
    expect(mail?.text).not.toContain('Someone else’s job');
    expect(mail?.html).toContain('Nightly backup<div style="font-size:13px;color:#475467;">down 2 times · 10 runs, 1 failed');
    expect(mail?.html).toContain('82.14% up</td>');
    expect(mailsTo(outsider.email)[0]?.text).toContain('Someone else’s job');
    expect(mailsTo(outsider.email)[0]?.text).not.toContain('Nightly backup');
    expect(mailsTo(quiet.email)).toHaveLength(0);

    // The next run, by this worker or another, sends nothing more until next Monday.
    expect(await run()).toMatchObject({ made: 0, sent: 0 });
    expect(mailsTo(weekly.email)).toHaveLength(1);
    const [stored] = await test.db.select().from(users).where(eq(users.id, weekly.id));
    expect(stored?.nextReportAt).toEqual(new Date('2026-12-14T09:00:00Z'));
  });

  it('goes out at 09:00 in the person’s own zone, over a week made one hour short by DST', async () => {
    const project = await seedProject(test.db, {});
    const job = await seedCheck(test.db, project.projectId, [], { name: 'Berlin job' });
    await madeAt([job], new Date('2026-03-01T00:00:00Z'));
    // Down for the last 16.7 of the week's 167 hours: 90% up.
    await test.db.insert(flips).values([flip(job, new Date('2026-03-29T14:18:00Z'), 'up', 'down')]);
    const berliner = await person('berliner', [project.projectId]);
    await changeReportSettings(
      test.db,
      berliner.id,
      { reportEvery: 'weekly', timeZone: 'Europe/Berlin' },
      new Date('2026-03-25T12:00:00Z'),
    );
    // Monday 30 March, 09:00 in Berlin is 07:00 UTC (summer time began on the 29th).
    expect(await run(new Date('2026-03-30T06:59:00Z'))).toMatchObject({ made: 0 });
    await run(new Date('2026-03-30T07:00:30Z'));
    const [report] = await test.db.select().from(reports).where(eq(reports.userId, berliner.id));
    expect(report).toMatchObject({ periodStart: new Date('2026-03-23T08:00:00Z'), periodEnd: new Date('2026-03-30T07:00:00Z') });
    const [mail] = mailsTo(berliner.email);
    expect(mail?.text).toContain('2026-03-23 to 2026-03-30 (09:00 Europe/Berlin)');
    expect(mail?.text).toContain('  UP      Berlin job\n          90% up, down 1 time');
    const [stored] = await test.db.select().from(users).where(eq(users.id, berliner.id));
    expect(stored?.nextReportAt).toEqual(new Date('2026-04-06T07:00:00Z'));
  });

  it('lists the 50 worst checks of a large project and sums up the rest', async () => {
    const project = await seedProject(test.db, {});
    const ids: string[] = [];
    for (let i = 0; i < 54; i++) ids.push(await seedCheck(test.db, project.projectId, [], { name: `job ${String(i).padStart(2, '0')}` }));
    const flaky = await seedCheck(test.db, project.projectId, [], { name: 'zz flaky' });
    await madeAt([...ids, flaky], daysAgo(20));
    await test.db.insert(pings).values(ping(flaky, 1, '2026-12-03T10:00:00Z', 'fail', 2000));
    const many = await person('many', [project.projectId]);
    await setReportEvery(test.db, many.id, 'weekly', daysAgo(3));
    await run();
    const [mail] = mailsTo(many.email);
    expect(mail?.subject).toBe('Cronbeat weekly report: all 55 checks fine');
    // The failed run ranks it first, whatever its name.
    expect(mail?.text).toMatch(/^ {2}UP {6}zz flaky$/m);
    expect(String(mail?.text).indexOf('zz flaky')).toBeLessThan(String(mail?.text).indexOf('job 00'));
    expect(String(mail?.text).match(/^ {2}UP /gm)).toHaveLength(50);
    expect(mail?.text).toContain('…and 5 more checks, all 100% up with no failed runs.');
    expect(mail?.html).toContain('…and 5 more checks, all 100% up with no failed runs.');
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
