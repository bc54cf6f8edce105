import { randomUUID } from 'node:crypto';
import { checks, projects } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { type ProjectChange, ProjectWatches } from '../src/routes/api/checks/project-watch';

describe.each(testDatabaseKinds())('watching a project for the checks list on %s', (kind) => {
  const test = useTestDatabase(kind);

  const silent = pino({ level: 'silent' });
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('asks for the list again when a check is deleted and another made between two looks', async () => {
    const [project] = await test.db.insert(projects).values({ name: 'Watched', pingKey: randomUUID() }).returning();
    const projectId = project!.id;
    const [, deleted] = await test.db
      .insert(checks)
      .values([
        { projectId, name: 'Kept', grace: 60, period: 60 },
        { projectId, name: 'Deleted', grace: 60, period: 60 },
      ])
      .returning();
    const watches = new ProjectWatches(test.db, silent, { intervalMs: 50 });
    const heard: ProjectChange[] = [];
    const stop = watches.listen(projectId, (change) => heard.push(change));
    try {
      await pause(300);
      expect(heard).toEqual([]);
      // One transaction: no look can fall between the two, and the count stays 2.
      await test.db.transaction(async (tx) => {
        await tx.delete(checks).where(eq(checks.id, deleted!.id));
        await tx.insert(checks).values({ projectId, name: 'Made', grace: 60, period: 60 });
      });
      await expect.poll(() => heard, { timeout: 5_000 }).toContainEqual({ kind: 'reload' });
    } finally {
      stop();
    }
  });

  it('says once that its looks fail while the database stalls, and once that they work again', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const watches = new ProjectWatches(test.db, logger, { intervalMs: 20, deadlineMs: 100 });
    let locked: () => void = () => {};
    const lockTaken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    // A transaction holding the checks table stalls every look past its deadline for a second and a half.
    const stall = test.db.transaction(async (tx) => {
      await tx.execute(sql`lock table checks in access exclusive mode`);
      locked();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    });
    await lockTaken;
    const heard: ProjectChange[] = [];
    const stop = watches.listen(randomUUID(), (change) => heard.push(change));
    try {
      await stall;
      const saying = (start: string) => lines.filter((line) => line.msg.startsWith(start));
      await expect.poll(() => saying('watching the checks list works again').length, { timeout: 5_000 }).toBe(1);
      // Some ten looks failed, and the log has one line for the start of it and one for its end.
      expect(saying('watching the checks list failed')).toHaveLength(1);
      expect((saying('watching the checks list works again')[0] as unknown as { failures: number }).failures).toBeGreaterThan(3);
      // Looks go on succeeding: nothing more is said.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(lines).toHaveLength(2);
      // Its first look failed, so it cannot tell what changed since the page loaded: the list is read again.
      expect(heard).toEqual([{ kind: 'reload' }]);
    } finally {
      stop();
      watches.stopAll();
    }
  });
});
