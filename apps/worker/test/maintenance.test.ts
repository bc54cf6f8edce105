/** Retention: the maintenance job trims pings to the limit per check and history to the window, in batches. */
import { checks, flips, notifications, pings, sessions, sweepBacklog, users } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { eventually } from '@cronbeat/notify/testing';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { start } from '../src';
import { maintenance } from '../src/maintenance';
import { seedCheck, seedProject, testRedisUrl, uniquePrefix } from './support/seed';

const NOW = new Date('2026-06-01T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

describe.each(testDatabaseKinds())('the maintenance job on %s', (kind) => {
  const test = useTestDatabase(kind);

  /** `count` pings numbered 1..count, the check's n_pings set to match, as ingestion leaves them. */
  async function withPings(checkId: string, count: number): Promise<void> {
    await test.db
      .insert(pings)
      .values(Array.from({ length: count }, (_, i) => ({ checkId, n: i + 1, kind: 'success' as const, method: 'GET', scheme: 'https' })));
    await test.db.update(checks).set({ nPings: count }).where(eq(checks.id, checkId));
  }
  const pingNumbers = async (checkId: string) =>
    (await test.db.select({ n: pings.n }).from(pings).where(eq(pings.checkId, checkId)).orderBy(asc(pings.n))).map((row) => row.n);

  it('keeps exactly the newest PING_RETENTION pings of every check, across several batches and pages', async () => {
    const { projectId } = await seedProject(test.db, {});
    const busy = await seedCheck(test.db, projectId, []);
    const busier = await seedCheck(test.db, projectId, []);
    const quiet = await seedCheck(test.db, projectId, []);
    await withPings(busy, 30);
    await withPings(busier, 47);
    await withPings(quiet, 6);

    // Batches of 4 and one check per page: many statements, none of them large.
    const result = await maintenance(test.db, { pingRetention: 10, historyDays: 90 }, { now: NOW, batchSize: 4, checksPerPage: 1 });

    expect(await pingNumbers(busy)).toEqual(Array.from({ length: 10 }, (_, i) => 21 + i));
    expect(await pingNumbers(busier)).toEqual(Array.from({ length: 10 }, (_, i) => 38 + i));
    expect(await pingNumbers(quiet)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result.pings).toBeGreaterThanOrEqual(20 + 37);
    // A second run finds nothing left to do.
    expect((await maintenance(test.db, { pingRetention: 10, historyDays: 90 }, { now: NOW, batchSize: 4 })).pings).toBe(0);
  });

  it('deletes flips and their notifications older than HISTORY_DAYS, but never one still in the outbox', async () => {
    const { projectId, channelIds } = await seedProject(test.db, { webhook: { url: 'http://127.0.0.1:9/hook' } });
    const checkId = await seedCheck(test.db, projectId, channelIds);
    const flip = (createdAt: Date, processed: boolean) => ({
      checkId,
      createdAt,
      fromStatus: 'up' as const,
      toStatus: 'down' as const,
      reason: 'missed' as const,
      processedAt: processed ? createdAt : null,
    });
    const rows = await test.db
      .insert(flips)
      .values([
        flip(daysAgo(120), true),
        flip(daysAgo(91), true),
        flip(daysAgo(100), false),
        flip(daysAgo(89), true),
        flip(daysAgo(1), true),
      ])
      .returning({ id: flips.id });
    const ids = rows.map((row) => row.id);
    await test.db.insert(notifications).values(ids.map((flipId) => ({ flipId, channelId: channelIds[0]!, status: 'sent' as const })));

    await maintenance(test.db, { pingRetention: 1000, historyDays: 90 }, { now: NOW, batchSize: 5 });

    const kept = await test.db.select({ id: flips.id }).from(flips).where(eq(flips.checkId, checkId)).orderBy(asc(flips.id));
    expect(kept.map((row) => row.id)).toEqual([ids[2], ids[3], ids[4]]);
    const left = await test.db.select({ flipId: notifications.flipId }).from(notifications).where(inArray(notifications.flipId, ids));
    expect(left.map((row) => row.flipId).sort()).toEqual([ids[2], ids[3], ids[4]].sort());
  });

  it('keeps the old flip that took a check still down there, which reminders count from, and prunes the flips before it', async () => {
    const { projectId, channelIds } = await seedProject(test.db, { webhook: { url: 'http://127.0.0.1:9/hook' } });
    const checkId = await seedCheck(test.db, projectId, channelIds, { state: { status: 'down' }, remindEvery: 86_400 });
    const flip = (createdAt: Date, toStatus: 'up' | 'down') => ({
      checkId,
      createdAt,
      fromStatus: toStatus === 'down' ? ('up' as const) : ('down' as const),
      toStatus,
      reason: 'missed' as const,
      processedAt: createdAt,
    });
    const rows = await test.db
      .insert(flips)
      .values([flip(daysAgo(200), 'down'), flip(daysAgo(190), 'up'), flip(daysAgo(180), 'down')])
      .returning({ id: flips.id });
    // The earlier test left younger flips with smaller ids: a batch of 10 takes them all in.

    await maintenance(test.db, { pingRetention: 1000, historyDays: 90 }, { now: NOW, batchSize: 50 });
    const kept = await test.db.select({ id: flips.id }).from(flips).where(eq(flips.checkId, checkId));
    expect(kept.map((row) => row.id)).toEqual([rows[2]!.id]);

    // Once it is back up, the old incident is history like any other.
    await test.db.update(checks).set({ status: 'up' }).where(eq(checks.id, checkId));
    await maintenance(test.db, { pingRetention: 1000, historyDays: 90 }, { now: NOW, batchSize: 50 });
    expect(await test.db.select({ id: flips.id }).from(flips).where(eq(flips.checkId, checkId))).toEqual([]);
  });

  it('deletes expired sessions and keeps live ones', async () => {
    const [user] = await test.db
      .insert(users)
      .values({ email: `maint-${kind}-${NOW.getTime()}@example.com`, passwordHash: 'x' })
      .returning({ id: users.id });
    await test.db.insert(sessions).values([
      { tokenHash: `expired-${kind}`, userId: user!.id, expiresAt: daysAgo(1) },
      { tokenHash: `live-${kind}`, userId: user!.id, expiresAt: daysAgo(-1) },
    ]);
    const result = await maintenance(test.db, { pingRetention: 1000, historyDays: 90 }, { now: NOW });
    expect(result.sessions).toBeGreaterThanOrEqual(1);
    const left = await test.db.select({ tokenHash: sessions.tokenHash }).from(sessions).where(eq(sessions.userId, user!.id));
    expect(left).toEqual([{ tokenHash: `live-${kind}` }]);
  });

  it('reports the sweep backlog: the oldest sweep_at that has come', async () => {
    const { projectId } = await seedProject(test.db, {});
    const overdue = await seedCheck(test.db, projectId, []);
    await test.db.execute(
      sql`update checks set sweep_at = ${daysAgo(0).toISOString()}::timestamptz - interval '42 seconds' where id = ${overdue}`,
    );
    const { oldest, due } = await sweepBacklog(test.db, NOW);
    expect(due).toBeGreaterThanOrEqual(1);
    expect(oldest && NOW.getTime() - oldest.getTime()).toBeGreaterThanOrEqual(42_000);
  });
});

const redisUrl = testRedisUrl();

describe.each(['in-process', ...(redisUrl ? ['bullmq'] : [])])('the %s driver', (driver) => {
  const test = useTestDatabase('pglite');

  it('schedules the maintenance job, which trims a check to PING_RETENTION', async () => {
    const { projectId } = await seedProject(test.db, {});
    const checkId = await seedCheck(test.db, projectId, []);
    await test.db
      .insert(pings)
      .values(Array.from({ length: 12 }, (_, i) => ({ checkId, n: i + 1, kind: 'success' as const, method: 'GET', scheme: 'https' })));
    await test.db.update(checks).set({ nPings: 12 }).where(eq(checks.id, checkId));
    const worker = await start(
      {
        redisUrl: driver === 'bullmq' ? redisUrl : null,
        smtpUrl: null,
        emailFrom: 'a@b.test',
        baseUrl: 'https://cronbeat.test',
        selfPingUrl: null,
        pingRetention: 5,
      },
      { database: test.database, logger: pino({ level: 'silent' }) },
      { maintenanceIntervalMs: 200, queuePrefix: uniquePrefix('maintenance') },
    );
    try {
      await eventually(
        async () => (await test.db.select().from(pings).where(eq(pings.checkId, checkId))).length === 5,
        10_000,
        'pings trimmed to 5',
      );
    } finally {
      await worker.close();
    }
  });
});
