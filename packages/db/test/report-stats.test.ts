/**
 * A summary report's time in each status is rebuilt in SQL from the flips
 * (one statement for all of a person's checks); the status pages get theirs
 * from core's `uptimeReport` over the same flips. Both must give one uptime.
 */
import { type Status, uptimeReport, uptimeShare } from '@cronbeat/core';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { checks, createCheck, createProject, flips, maintenanceWindows, memberships, reportProjects, users } from '../src';
import { testDatabaseKinds, useTestDatabase } from '../src/testing';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A week from midnight UTC to midnight UTC, so that core's day cells cover exactly it.
const START = new Date('2026-11-30T00:00:00Z');
const END = new Date('2026-12-07T00:00:00Z');
const at = (iso: string) => new Date(iso);

interface SeededFlip {
  at: Date;
  from: Status;
  to: Status;
  inMaintenance?: boolean;
}

interface SeededCheck {
  name: string;
  createdAt: Date;
  /** In the order they happened (ties in id order). */
  flips: SeededFlip[];
}

const reasonOf = (flip: SeededFlip) =>
  flip.to === 'down'
    ? ('failed' as const)
    : flip.to === 'late'
      ? ('missed' as const)
      : flip.to === 'paused'
        ? ('paused' as const)
        : flip.from === 'paused'
          ? ('resumed' as const)
          : ('success' as const);

const CHECKS: SeededCheck[] = [
  {
    name: 'flaps through the week',
    createdAt: at('2026-10-01T00:00:00Z'),
    flips: [
      { at: at('2026-10-01T00:05:00Z'), from: 'new', to: 'up' },
      // Before the week: it starts the week down, and neither this flip's time before the start nor its count is in it.
      { at: at('2026-11-29T22:00:00Z'), from: 'up', to: 'down' },
      { at: at('2026-11-30T03:00:00Z'), from: 'down', to: 'up' },
      { at: at('2026-12-01T10:00:00Z'), from: 'up', to: 'late' },
      // Down inside a maintenance window: its alert was held, but the time is down all the same.
      { at: at('2026-12-01T11:00:00Z'), from: 'late', to: 'down', inMaintenance: true },
      { at: at('2026-12-01T15:00:00Z'), from: 'down', to: 'up', inMaintenance: true },
      { at: at('2026-12-03T00:00:00Z'), from: 'up', to: 'paused' },
      { at: at('2026-12-04T12:00:00Z'), from: 'paused', to: 'up' },
      // Two flips in the same instant: the later id is the status that lasts.
      { at: at('2026-12-06T18:00:00Z'), from: 'up', to: 'late' },
      { at: at('2026-12-06T18:00:00Z'), from: 'late', to: 'down' },
      // After the week: the week ends down.
      { at: at('2026-12-07T01:00:00Z'), from: 'down', to: 'up' },
    ],
  },
  {
    name: 'made mid-week',
    createdAt: at('2026-12-02T12:00:00Z'),
    flips: [
      { at: at('2026-12-02T13:00:00Z'), from: 'new', to: 'up' },
      { at: at('2026-12-05T00:00:00Z'), from: 'up', to: 'down' },
      { at: at('2026-12-05T00:00:30.250Z'), from: 'down', to: 'up' },
    ],
  },
  {
    name: 'flips on the bounds',
    createdAt: at('2026-10-01T00:00:00Z'),
    flips: [
      { at: at('2026-10-01T00:05:00Z'), from: 'new', to: 'up' },
      { at: at('2026-11-29T12:00:00Z'), from: 'up', to: 'down' },
      { at: START, from: 'down', to: 'up' },
      { at: END, from: 'up', to: 'down' },
    ],
  },
  {
    name: 'up all week',
    createdAt: at('2026-10-01T00:00:00Z'),
    flips: [{ at: at('2026-10-01T00:05:00Z'), from: 'new', to: 'up' }],
  },
  {
    name: 'paused all week',
    createdAt: at('2026-10-01T00:00:00Z'),
    flips: [
      { at: at('2026-10-01T00:05:00Z'), from: 'new', to: 'up' },
      { at: at('2026-11-20T00:00:00Z'), from: 'up', to: 'paused' },
    ],
  },
  { name: 'never pinged', createdAt: at('2026-10-01T00:00:00Z'), flips: [] },
  {
    name: 'made after the week',
    createdAt: at('2026-12-08T00:00:00Z'),
    flips: [{ at: at('2026-12-08T01:00:00Z'), from: 'new', to: 'down' }],
  },
];

/** What core makes of a check's flips over the week: its status when the week began is where the flips before it left it. */
function coreUptime(check: SeededCheck): number | null {
  const before = check.flips.filter((flip) => flip.at < START).at(-1);
  const days = Math.round((END.getTime() - START.getTime()) / DAY) + 1;
  return uptimeReport(
    {
      createdAt: check.createdAt,
      statusAtStart: before?.to ?? 'new',
      changes: check.flips.map((flip) => ({ at: flip.at, to: flip.to })),
      now: END,
    },
    days,
  ).up;
}

describe.each(testDatabaseKinds())('report statistics on %s', (kind) => {
  const test = useTestDatabase(kind);

  async function seed(): Promise<string> {
    const project = await createProject(test.db, { name: 'Uptime' });
    const [user] = await test.db
      .insert(users)
      .values({ email: `uptime-${crypto.randomUUID().slice(0, 8)}@example.com`, passwordHash: 'x' })
      .returning({ id: users.id });
    await test.db.insert(memberships).values({ projectId: project.id, userId: user!.id, role: 'member' });
    const [window] = await test.db
      .insert(maintenanceWindows)
      .values({
        projectId: project.id,
        name: 'Database upgrade',
        kind: 'once',
        startsAt: at('2026-12-01T10:30:00Z'),
        endsAt: at('2026-12-01T16:00:00Z'),
        coverage: 'project',
      })
      .returning({ id: maintenanceWindows.id });
    for (const seeded of CHECKS) {
      const check = await createCheck(test.db, {
        projectId: project.id,
        name: seeded.name,
        schedule: { kind: 'period', period: 3600 },
        grace: 600,
      });
      const status = seeded.flips.at(-1)?.to ?? 'new';
      await test.db.update(checks).set({ status, createdAt: seeded.createdAt }).where(eq(checks.id, check.id));
      // One by one, so that ids follow the order the flips happened in.
      for (const flip of seeded.flips) {
        await test.db.insert(flips).values({
          checkId: check.id,
          createdAt: flip.at,
          fromStatus: flip.from,
          toStatus: flip.to,
          reason: reasonOf(flip),
          maintenanceWindowId: flip.inMaintenance ? window!.id : null,
          held: flip.inMaintenance && flip.to === 'down' ? 'maintenance' : null,
          processedAt: flip.at,
        });
      }
    }
    return user!.id;
  }

  it('gives each check the uptime core computes from the same flips', async () => {
    const userId = await seed();
    const [project] = await reportProjects(test.db, userId, START, END);
    const measured = new Map(project!.checks.map((check) => [check.name, check]));
    expect([...measured.keys()].sort()).toEqual(CHECKS.map((check) => check.name).sort());

    const uptimes = CHECKS.map((check) => ({
      name: check.name,
      sql: uptimeShare(measured.get(check.name)!.secondsByStatus),
      core: coreUptime(check),
    }));
    for (const { name, sql, core } of uptimes) {
      expect({ name, sql }).toEqual({ name, sql: core === null ? null : expect.closeTo(core, 12) });
    }
    expect(uptimes.map(({ name, core }) => [name, core])).toEqual([
      ['flaps through the week', expect.closeTo(119 / 132, 12)],
      ['made mid-week', expect.closeTo(1 - 30.25 / (107 * 3600), 12)],
      ['flips on the bounds', 1],
      ['up all week', 1],
      ['paused all week', null],
      ['never pinged', null],
      ['made after the week', null],
    ]);
  });

  it('counts the time in each status and the flips to down inside the week only', async () => {
    const userId = await seed();
    const [project] = await reportProjects(test.db, userId, START, END);
    const flapper = project!.checks.find((check) => check.name === 'flaps through the week')!;
    expect(flapper.secondsByStatus).toEqual({ down: 13 * 3600, up: 118 * 3600, late: 3600, paused: 36 * 3600 });
    expect(flapper.downs).toBe(2);
    const newcomer = project!.checks.find((check) => check.name === 'made mid-week')!;
    expect(newcomer.secondsByStatus).toEqual({ new: 3600, up: 107 * 3600 - 30.25, down: 30.25 });
    expect(newcomer.downs).toBe(1);
    const bounds = project!.checks.find((check) => check.name === 'flips on the bounds')!;
    expect(bounds.secondsByStatus).toEqual({ down: 0, up: 168 * 3600 });
    expect(bounds.downs).toBe(0);
    expect(project!.checks.find((check) => check.name === 'made after the week')!.secondsByStatus).toEqual({});
  });
});
