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
      'checks',
      'flips',
      'invitations',
      'memberships',
      'notifications',
      'pings',
      'projects',
      'sessions',
      'users',
    ]);
  });

  it('indexes the sweep: alert_after only for statuses that can go down', async () => {
    const rows = await queryRows<{ indexdef: string }>(
      test.db,
      sql`select indexdef from pg_indexes where indexname = 'checks_alert_after_idx'`,
    );
    expect(rows[0]?.indexdef).toMatch(/WHERE \(status = ANY \(ARRAY\['new'::text, 'up'::text, 'late'::text\]\)\)/);
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
