import { applyPing, parseSchedule } from '@cronbeat/core';
import { checks, flipColumns, flips, notifications, runStateColumns, toCheckState } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sweep } from '../src/sweep';
import { seedCheck, seedDueChecks, seedProject } from './support/seed';

const T0 = new Date('2026-06-01T12:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const options = { batchSize: 500 };

describe.each(testDatabaseKinds())('the sweep on %s', (kind) => {
  const test = useTestDatabase(kind);
  const sweepAt = (now: Date) => sweep(test.db, { ...options, now: () => now });
  const flipsOf = (checkId: string) => test.db.select().from(flips).where(eq(flips.checkId, checkId)).orderBy(flips.id);
  /**
   * The reminder number of each notification for one check (0: a flip's own
   * alert), in order; the sweep is global, so tests look only at their own.
   */
  const reminders = async (checkId: string) =>
    (
      await test.db
        .select({ reminder: notifications.reminder })
        .from(notifications)
        .innerJoin(flips, eq(flips.id, notifications.flipId))
        .where(eq(flips.checkId, checkId))
        .orderBy(notifications.reminder)
    ).map((row) => row.reminder);
  const notified = async (checkId: string) => (await reminders(checkId)).length;
  const statusOf = async (checkId: string) => (await test.db.select().from(checks).where(eq(checks.id, checkId)))[0]?.status;

  it('turns a check late after its expected time, then down as missed after grace, alerting once', async () => {
    const { projectId, channelIds } = await seedProject(test.db, { email: ['ops@example.com'] });
    const id = await seedCheck(test.db, projectId, channelIds, { state: { lastPing: T0 } });
    await sweepAt(at(3599));
    expect(await statusOf(id)).toBe('up');
    await sweepAt(at(3600));
    expect(await statusOf(id)).toBe('late');
    expect(await notified(id)).toBe(0);
    await sweepAt(at(4200));
    await sweepAt(at(4300));
    expect(await statusOf(id)).toBe('down');
    expect(await notified(id)).toBe(1);
    expect((await flipsOf(id)).map((flip) => [flip.fromStatus, flip.toStatus, flip.reason])).toEqual([
      ['up', 'late', 'missed'],
      ['late', 'down', 'missed'],
    ]);
  });

  it('notifies on late only for checks that ask for it', async () => {
    const { projectId, channelIds } = await seedProject(test.db, { email: ['ops@example.com'] });
    const id = await seedCheck(test.db, projectId, channelIds, { state: { lastPing: T0 }, alertOnLate: true });
    expect((await sweepAt(at(3600))).notificationIds).toHaveLength(1);
    expect(await notified(id)).toBe(1);
  });

  it('times out a run that did not finish within its max runtime', async () => {
    const { projectId, channelIds } = await seedProject(test.db, { email: ['ops@example.com'] });
    const id = await seedCheck(test.db, projectId, channelIds, { state: { lastPing: T0, lastStart: at(60), maxRuntime: 120 } });
    await sweepAt(at(179));
    expect(await statusOf(id)).toBe('up');
    await sweepAt(at(180));
    expect(await notified(id)).toBe(1);
    expect((await flipsOf(id)).at(-1)).toMatchObject({ toStatus: 'down', reason: 'timed_out' });
  });

  it('notifies about a failed run that ping ingestion flipped, and about the recovery', async () => {
    const { projectId, channelIds } = await seedProject(test.db, { email: ['ops@example.com'], webhook: { url: 'http://127.0.0.1:9/' } });
    const id = await seedCheck(test.db, projectId, channelIds, { state: { lastPing: T0 } });
    // What the ping route does: the status change and its flip in one transaction.
    const applyAndFlip = async (kind: 'fail' | 'success', when: Date, exitStatus: number | null) => {
      const [row] = await test.db.select().from(checks).where(eq(checks.id, id));
      const outcome = applyPing(toCheckState(row!), { kind, at: when, rid: null, exitStatus });
      await test.db.transaction(async (tx) => {
        await tx.update(checks).set(runStateColumns(outcome.check)).where(eq(checks.id, id));
        await tx.insert(flips).values(flipColumns(id, outcome.flip!));
      });
    };
    await applyAndFlip('fail', at(100), 3);
    await sweepAt(at(101));
    expect(await notified(id)).toBe(2);
    await applyAndFlip('success', at(200), 0);
    await sweepAt(at(201));
    expect(await notified(id)).toBe(4);
    expect((await flipsOf(id)).map((flip) => [flip.toStatus, flip.reason, flip.exitStatus, flip.processedAt !== null])).toEqual([
      ['down', 'failed', 3, true],
      ['up', 'success', null, true],
    ]);
  });

  it('reminds every channel while a check stays down, each reminder once, the latest only after a gap, and stops on recovery', async () => {
    const { projectId, channelIds } = await seedProject(test.db, { email: ['ops@example.com'], webhook: { url: 'http://127.0.0.1:9/' } });
    const id = await seedCheck(test.db, projectId, channelIds, { state: { lastPing: T0 }, remindEvery: 3600 });
    const quiet = await seedCheck(test.db, projectId, channelIds, { state: { lastPing: T0 } });
    const down = 4200; // late at 3600, down after 600 s of grace
    await sweepAt(at(3600));
    await sweepAt(at(down));
    expect(await statusOf(id)).toBe('down');
    expect(await reminders(id)).toEqual([0, 0]);

    await sweepAt(at(down + 3599));
    expect(await reminders(id)).toEqual([0, 0]);
    const first = await sweepAt(at(down + 3600));
    expect(await reminders(id)).toEqual([0, 0, 1, 1]);
    const firstIds = (await test.db.select({ id: notifications.id }).from(notifications).where(eq(notifications.reminder, 1))).map(
      (row) => row.id,
    );
    expect(first.notificationIds).toEqual(expect.arrayContaining(firstIds));
    await sweepAt(at(down + 3700));
    expect(await reminders(id)).toEqual([0, 0, 1, 1]);

    // Three hours on with no sweep in between (a stopped worker): one reminder, the third, not two.
    await sweepAt(at(down + 3 * 3600 + 5));
    expect(await reminders(id)).toEqual([0, 0, 1, 1, 3, 3]);
    expect(await reminders(quiet)).toEqual([0, 0]);

    const [row] = await test.db.select().from(checks).where(eq(checks.id, id));
    const recovered = applyPing(toCheckState(row!), { kind: 'success', at: at(down + 4 * 3600), rid: null, exitStatus: 0 });
    await test.db.transaction(async (tx) => {
      await tx.update(checks).set(runStateColumns(recovered.check)).where(eq(checks.id, id));
      await tx.insert(flips).values(flipColumns(id, recovered.flip!));
    });
    await sweepAt(at(down + 5 * 3600 - 1));
    expect(await statusOf(id)).toBe('up');
    expect(await reminders(id)).toEqual([0, 0, 0, 0, 1, 1, 3, 3]);
  });

  it('reminds about a check a failed ping put down, from the time of that flip, and looks at reminders only when one is due', async () => {
    const { projectId, channelIds } = await seedProject(test.db, { email: ['ops@example.com'] });
    const id = await seedCheck(test.db, projectId, channelIds, { state: { lastPing: T0 }, remindEvery: 600 });
    const [row] = await test.db.select().from(checks).where(eq(checks.id, id));
    const failed = applyPing(toCheckState(row!), { kind: 'fail', at: at(100), rid: null, exitStatus: 1 });
    // What the ping route writes: status and flip, never remind_at.
    await test.db.transaction(async (tx) => {
      await tx.update(checks).set(runStateColumns(failed.check)).where(eq(checks.id, id));
      await tx.insert(flips).values(flipColumns(id, failed.flip!));
    });
    await sweepAt(at(101));
    const remindAtOf = async () => (await test.db.select().from(checks).where(eq(checks.id, id)))[0]?.remindAt;
    expect(await remindAtOf()).toEqual(at(700));
    expect((await sweepAt(at(101))).nextAt?.getTime()).toBeLessThanOrEqual(at(700).getTime());
    await sweepAt(at(699));
    expect(await reminders(id)).toEqual([0]);
    await sweepAt(at(700));
    expect(await reminders(id)).toEqual([0, 1]);
    expect(await remindAtOf()).toEqual(at(1300));
    // Back up: the next look finds it no longer down and ends its reminders.
    const [down] = await test.db.select().from(checks).where(eq(checks.id, id));
    const recovered = applyPing(toCheckState(down!), { kind: 'success', at: at(800), rid: null, exitStatus: 0 });
    await test.db.update(checks).set(runStateColumns(recovered.check)).where(eq(checks.id, id));
    await sweepAt(at(1300));
    expect(await remindAtOf()).toBeNull();
    expect(await reminders(id)).toEqual([0, 1]);
  });

  it('says when it has something to do next: the earliest sweep_at or reminder', async () => {
    const { projectId, channelIds } = await seedProject(test.db, {});
    const id = await seedCheck(test.db, projectId, channelIds, { state: { lastPing: new Date('2100-01-01T00:00:00Z') } });
    const [row] = await test.db.select().from(checks).where(eq(checks.id, id));
    const result = await sweepAt(new Date('2099-12-31T00:00:00Z'));
    expect(result.nextAt).not.toBeNull();
    expect(result.nextAt!.getTime()).toBeLessThanOrEqual(row!.sweepAt!.getTime());
  });

  it('does not alert for a check pinged just before its deadline', async () => {
    const { projectId, channelIds } = await seedProject(test.db, { email: ['ops@example.com'] });
    const id = await seedCheck(test.db, projectId, channelIds, { state: { lastPing: T0 } });
    const [row] = await test.db.select().from(checks).where(eq(checks.id, id));
    const { check } = applyPing(toCheckState(row!), { kind: 'success', at: at(4199), rid: null, exitStatus: 0 });
    await test.db.update(checks).set(runStateColumns(check)).where(eq(checks.id, id));
    await sweepAt(at(4200));
    expect(await statusOf(id)).toBe('up');
    expect(await notified(id)).toBe(0);
  });

  it('looks at a check pings left sweep_at behind on, changes nothing, and looks again at its new due time', async () => {
    const { projectId, channelIds } = await seedProject(test.db, { email: ['ops@example.com'] });
    const id = await seedCheck(test.db, projectId, channelIds, { state: { lastPing: T0 } });
    const [row] = await test.db.select().from(checks).where(eq(checks.id, id));
    expect(row!.sweepAt).toEqual(at(3600));
    // A ping at +1000 s moves the expected time to +4600 s and, as the ping path may, keeps sweep_at at +3600 s.
    const { check } = applyPing(toCheckState(row!), { kind: 'success', at: at(1000), rid: null, exitStatus: 0 });
    await test.db
      .update(checks)
      .set({ ...runStateColumns(check), sweepAt: row!.sweepAt })
      .where(eq(checks.id, id));
    await sweepAt(at(3600));
    const [looked] = await test.db.select().from(checks).where(eq(checks.id, id));
    expect(looked).toMatchObject({ status: 'up', sweepAt: at(4600) });
    expect(await flipsOf(id)).toEqual([]);
    await sweepAt(at(4599));
    expect(await statusOf(id)).toBe('up');
    await sweepAt(at(4600));
    expect(await statusOf(id)).toBe('late');
  });

  it('never alerts for a paused check', async () => {
    const { projectId, channelIds } = await seedProject(test.db, { email: ['ops@example.com'] });
    const id = await seedCheck(test.db, projectId, channelIds, { state: { status: 'paused', lastPing: T0 } });
    await sweepAt(at(10 * 86400));
    expect(await flipsOf(id)).toEqual([]);
    expect(await statusOf(id)).toBe('paused');
  });

  it('follows the check time zone across a DST change (Europe/Berlin, 2026-03-29)', async () => {
    const { projectId, channelIds } = await seedProject(test.db, { email: ['ops@example.com'] });
    const schedule = parseSchedule({ cron: '30 2 * * *', tz: 'Europe/Berlin' });
    // Last run 2026-03-28 02:30 CET; 02:30 does not exist on the 29th, cronie runs it at 03:00 CEST = 01:00 UTC.
    const id = await seedCheck(test.db, projectId, channelIds, {
      schedule,
      grace: 600,
      state: { lastPing: new Date('2026-03-28T01:30:00Z') },
    });
    const [row] = await test.db.select().from(checks).where(eq(checks.id, id));
    const deadline = row!.alertAfter!;
    await sweepAt(new Date(deadline.getTime() - 1));
    expect(await notified(id)).toBe(0);
    await sweepAt(deadline);
    expect(await notified(id)).toBe(1);
    expect(deadline).toEqual(new Date('2026-03-29T01:10:00Z'));
    expect(deadline.getTime() - row!.nextDue!.getTime()).toBe(600_000);
  });

  it('reads an OnCalendar schedule from the row and follows systemd across a DST gap (Europe/Riga, 2026-03-29)', async () => {
    const { projectId, channelIds } = await seedProject(test.db, { email: ['ops@example.com'] });
    const schedule = parseSchedule({ onCalendar: '*-*-* 03:30', tz: 'Europe/Riga' });
    // Last run 2026-03-28 03:30 EET; 03:30 does not exist on the 29th and systemd skips it: next is the 30th, 03:30 EEST.
    const id = await seedCheck(test.db, projectId, channelIds, {
      schedule,
      grace: 600,
      state: { lastPing: new Date('2026-03-28T01:30:00Z') },
    });
    await sweepAt(new Date('2026-03-29T12:00:00Z'));
    expect(await statusOf(id)).toBe('up');
    await sweepAt(new Date('2026-03-30T00:30:00Z'));
    expect(await statusOf(id)).toBe('late');
    const [row] = await test.db.select().from(checks).where(eq(checks.id, id));
    expect(row!.alertAfter).toEqual(new Date('2026-03-30T00:40:00Z'));
    await sweepAt(row!.alertAfter!);
    expect(await statusOf(id)).toBe('down');
    expect(await notified(id)).toBe(1);
  });

  it('leaves a check alone when a ping changed it after the claim (compare-and-set)', async () => {
    const { projectId, channelIds } = await seedProject(test.db, {});
    const id = await seedCheck(test.db, projectId, channelIds, { state: { lastPing: T0 } });
    // The row says late was decided from 'up'; a ping made it 'down' meanwhile, so nothing may be written.
    const { applyTransitions } = await import('@cronbeat/db');
    await test.db.update(checks).set({ status: 'down' }).where(eq(checks.id, id));
    const [row] = await test.db.select().from(checks).where(eq(checks.id, id));
    const written = await applyTransitions(test.db, [
      {
        checkId: id,
        check: { ...toCheckState(row!), status: 'late' },
        flip: { from: 'up', to: 'late', reason: 'missed', at: at(3600), exitStatus: null, runs: null },
      },
    ]);
    expect(written).toEqual([]);
    expect(await flipsOf(id)).toEqual([]);
  });

  it('drains a burst of 2,000 deadlines in one sweep, one notification per check and channel', async () => {
    const { projectId, channelIds } = await seedProject(test.db, { email: ['ops@example.com'], webhook: { url: 'http://127.0.0.1:9/' } });
    const deadline = new Date(Date.now() + 3_600_000);
    await seedDueChecks(test.db, projectId, channelIds, 2000, deadline);
    const result = await sweep(test.db, { ...options, now: () => deadline });
    expect(result.flips).toBeGreaterThanOrEqual(2000);
    const rows = await test.db.select({ id: notifications.id }).from(notifications).where(inArray(notifications.channelId, channelIds));
    expect(rows).toHaveLength(4000);
    expect((await sweep(test.db, { ...options, now: () => deadline })).flips).toBe(0);
    const again = await test.db.select({ id: notifications.id }).from(notifications).where(inArray(notifications.channelId, channelIds));
    expect(again).toHaveLength(4000);
  });
});
