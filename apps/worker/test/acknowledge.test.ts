/**
 * An acknowledged incident gets no more reminders from the real sweep,
 * while an unacknowledged one beside it does; its recovery is still told.
 * The acknowledgement is written by the query the API's route calls.
 */

import { applyPing } from '@cronbeat/core';
import { acknowledgeIncident, checks, flipColumns, flips, notifications, runStateColumns, toCheckState } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sweep } from '../src/sweep';
import { seedCheck, seedProject } from './support/seed';

const T0 = new Date('2026-06-01T12:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
/** Late at 3600 s, down as missed after 600 s of grace. */
const DOWN = 4200;

describe.each(testDatabaseKinds())('reminders of acknowledged incidents on %s', (kind) => {
  const test = useTestDatabase(kind);
  const sweepAt = (now: Date) => sweep(test.db, { batchSize: 500, now: () => now });
  /** Each notification of a check as [status of its flip, reminder number], in order. */
  const notified = async (checkId: string) =>
    (
      await test.db
        .select({ to: flips.toStatus, reminder: notifications.reminder })
        .from(notifications)
        .innerJoin(flips, eq(flips.id, notifications.flipId))
        .where(eq(flips.checkId, checkId))
        .orderBy(notifications.flipId, notifications.reminder)
    ).map((row) => [row.to, row.reminder]);
  const remindAtOf = async (checkId: string) => (await test.db.select().from(checks).where(eq(checks.id, checkId)))[0]?.remindAt;

  it('makes no reminder due after the acknowledgement, reminds the check beside it, and still tells the recovery', async () => {
    const { projectId, channelIds } = await seedProject(test.db, { email: ['ops@example.com'] });
    const acknowledged = await seedCheck(test.db, projectId, channelIds, { state: { lastPing: T0 }, remindEvery: 600 });
    const ignored = await seedCheck(test.db, projectId, channelIds, { state: { lastPing: T0 }, remindEvery: 600 });
    await sweepAt(at(3600));
    await sweepAt(at(DOWN));
    expect(await notified(acknowledged)).toEqual([['down', 0]]);

    // The first reminder goes out before anyone acknowledges.
    await sweepAt(at(DOWN + 600));
    expect(await notified(acknowledged)).toEqual([
      ['down', 0],
      ['down', 1],
    ]);

    const result = await acknowledgeIncident(test.db, projectId, acknowledged, null, at(DOWN + 700));
    expect(result).toMatchObject({ outcome: 'acknowledged', flip: { toStatus: 'down', acknowledgedAt: at(DOWN + 700) } });
    expect(await remindAtOf(acknowledged)).toEqual(at(DOWN + 1200));

    // Reminders 2 and 3 come due: only the unacknowledged check gets them, and the acknowledged one is no longer looked at.
    await sweepAt(at(DOWN + 1200));
    await sweepAt(at(DOWN + 1800));
    expect(await notified(acknowledged)).toEqual([
      ['down', 0],
      ['down', 1],
    ]);
    expect(await remindAtOf(acknowledged)).toBeNull();
    expect(await notified(ignored)).toEqual([
      ['down', 0],
      ['down', 1],
      ['down', 2],
      ['down', 3],
    ]);

    // Back up by a ping (what the ping route writes: status and flip): the recovery is told as ever.
    const [row] = await test.db.select().from(checks).where(eq(checks.id, acknowledged));
    const recovered = applyPing(toCheckState(row!), { kind: 'success', at: at(DOWN + 1900), rid: null, exitStatus: 0 });
    await test.db.transaction(async (tx) => {
      await tx.update(checks).set(runStateColumns(recovered.check)).where(eq(checks.id, acknowledged));
      await tx.insert(flips).values(flipColumns(acknowledged, recovered.flip!));
    });
    await sweepAt(at(DOWN + 1901));
    expect(await notified(acknowledged)).toEqual([
      ['down', 0],
      ['down', 1],
      ['up', 0],
    ]);
  });

  it('refuses to acknowledge a check that is not down, and leaves its reminders alone', async () => {
    const { projectId, channelIds } = await seedProject(test.db, { email: ['ops@example.com'] });
    const id = await seedCheck(test.db, projectId, channelIds, { state: { lastPing: T0 }, remindEvery: 600 });
    expect(await acknowledgeIncident(test.db, projectId, id, null, at(10))).toEqual({ outcome: 'not_down', status: 'up' });
    expect(await acknowledgeIncident(test.db, projectId, '00000000-0000-4000-8000-000000000000', null, at(10))).toEqual({
      outcome: 'no_check',
    });
  });
});
