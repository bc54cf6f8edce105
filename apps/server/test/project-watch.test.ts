import { randomUUID } from 'node:crypto';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ProjectWatches } from '../src/routes/api/checks/project-watch';

describe.each(testDatabaseKinds())('watching a project for the checks list on %s', (kind) => {
  const test = useTestDatabase(kind);

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
    const stop = watches.listen(randomUUID(), () => {});
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
    } finally {
      stop();
      watches.stopAll();
    }
  });
});
