import { newCheckState, parseSchedule } from '@cronbeat/core';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { checks, createCheck, createProject, getCheck, queryRows, toCheckState } from '../src';
import { testDatabaseKinds, useTestDatabase } from '../src/testing';

describe.each(testDatabaseKinds())('the database on %s', (kind) => {
  const test = useTestDatabase(kind);

  it('applies every migration, creating the whole data model', async () => {
    const rows = await queryRows<{ table_name: string }>(
      test.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(rows.map((row) => row.table_name)).toEqual([
      'api_keys',
      'channels',
      'check_channels',
      'check_dependencies',
      'checks',
      'delivery_attempts',
      'flips',
      'invitations',
      'maintenance_windows',
      'memberships',
      'notifications',
      'pings',
      'projects',
      'reports',
      'run_locks',
      'sessions',
      'status_pages',
      'users',
    ]);
  });

  it('indexes the sweep by sweep_at, only where it is set', async () => {
    const rows = await queryRows<{ indexdef: string }>(
      test.db,
      sql`select indexdef from pg_indexes where tablename = 'checks' and indexdef like '%sweep_at%'`,
    );
    expect(rows.map((row) => row.indexdef)).toEqual([expect.stringMatching(/\(sweep_at\) WHERE \(sweep_at IS NOT NULL\)$/)]);
  });

  it('refuses any write that would leave a check for the sweep to find too late', async () => {
    const project = await createProject(test.db, { name: 'Sweep' });
    const check = await createCheck(test.db, { projectId: project.id, name: 'a', schedule: { kind: 'period', period: 60 }, grace: 60 });
    const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 12, minutes)).toISOString();
    const setUp = (sweepAt: string | null, status = 'up', lastStart: string | null = null) =>
      test.db.execute(sql`update checks set status = ${status}, last_start = ${lastStart}::timestamptz, last_ping = ${at(0)}::timestamptz,
          next_due = ${at(1)}::timestamptz, alert_after = ${at(2)}::timestamptz, sweep_at = ${sweepAt}::timestamptz
        where id = ${check.id}`);
    const refused = { cause: expect.objectContaining({ message: expect.stringContaining('checks_swept_in_time') }) };

    // Up and idle: it turns late at next_due, so the sweep must look by then.
    await expect(setUp(at(1))).resolves.toBeDefined();
    await expect(setUp(at(0))).resolves.toBeDefined();
    await expect(setUp(null)).rejects.toMatchObject(refused);
    await expect(setUp(at(2))).rejects.toMatchObject(refused);
    // Late, or running: only going down is left, at alert_after.
    await expect(setUp(at(2), 'late')).resolves.toBeDefined();
    await expect(setUp(at(3), 'late')).rejects.toMatchObject(refused);
    await expect(setUp(at(2), 'up', at(0))).resolves.toBeDefined();
    // Down and paused checks wait for nothing.
    await expect(setUp(null, 'down')).resolves.toBeDefined();
    await expect(setUp(null, 'paused')).resolves.toBeDefined();
  });

  it('stores a check and reads back its domain state', async () => {
    const project = await createProject(test.db, { name: 'Acme' });
    const schedule = parseSchedule({ cron: '30 2 * * *', tz: 'Europe/Berlin' });
    const created = await createCheck(test.db, {
      projectId: project.id,
      name: 'nightly-backup',
      slug: 'nightly-backup',
      schedule,
      grace: 600,
    });
    const row = await getCheck(test.db, project.id, created.id);
    expect(row && toCheckState(row)).toEqual(newCheckState({ schedule, grace: 600 }));
  });

  it('never shows a check to another project', async () => {
    const [mine, theirs] = await Promise.all([createProject(test.db, { name: 'A' }), createProject(test.db, { name: 'B' })]);
    const check = await createCheck(test.db, {
      projectId: mine.id,
      name: 'x',
      schedule: { kind: 'period', period: 60 },
      grace: 60,
    });
    expect(await getCheck(test.db, theirs.id, check.id)).toBeNull();
  });

  it('refuses a second check with the same slug in one project', async () => {
    const project = await createProject(test.db, { name: 'Slugs' });
    const base = {
      projectId: project.id,
      name: 'a',
      slug: 'same',
      schedule: { kind: 'period', period: 60 } as const,
      grace: 60,
    };
    await createCheck(test.db, base);
    await expect(createCheck(test.db, base)).rejects.toThrow();
  });

  it('refuses a check with both or neither schedule', async () => {
    const project = await createProject(test.db, { name: 'Schedules' });
    const insert = (period: number | null, cron: string | null) =>
      test.db.insert(checks).values({
        projectId: project.id,
        name: 'bad',
        period,
        cron,
        grace: 60,
      });
    await expect(insert(60, '* * * * *')).rejects.toThrow();
    await expect(insert(null, null)).rejects.toThrow();
  });
});
