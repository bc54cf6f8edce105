/**
 * Per-channel events: the sweep makes notifications only for the events a
 * channel takes (`channels.events`), so a channel set to `down` hears of an
 * outage and not of the recovery, and one set to recoveries and reminders
 * the reverse; delivered to a real HTTP receiver.
 */
import { applyPing, type ChannelEvent } from '@cronbeat/core';
import { attachChannel, channels, checks, flipColumns, flips, notifications, runStateColumns, toCheckState } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { createNotifier } from '@cronbeat/notify';
import { type HttpReceiver, startHttpReceiver } from '@cronbeat/notify/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDue } from '../src/deliver';
import { sweep } from '../src/sweep';
import { seedCheck, seedProject } from './support/seed';

const T0 = new Date('2026-06-01T12:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe.each(testDatabaseKinds())('per-channel events on %s', (kind) => {
  const test = useTestDatabase(kind);
  let http: HttpReceiver;
  let notifier: ReturnType<typeof createNotifier>;
  beforeAll(async () => {
    http = await startHttpReceiver();
    http.respond = () => ({ status: 200, body: 'ok' });
    notifier = createNotifier({
      smtpUrl: null,
      emailFrom: 'alerts@cronbeat.test',
      httpTimeoutMs: 5000,
      privateTargetsAllowed: ['127.0.0.0/8'],
    });
  });
  afterAll(async () => {
    notifier?.close();
    await http?.close();
  });

  const sweepAt = (now: Date) => sweep(test.db, { batchSize: 500, now: () => now });
  const deliver = () =>
    deliverDue(
      { db: test.db, notifier, baseUrl: 'https://cronbeat.test', leaseMs: 30_000, retry: { attempts: 1, firstRetryMs: 1000 } },
      100,
    );
  /** The webhook events the receiver got at `path`, in order. */
  const eventsAt = (path: string) =>
    http.requests.filter((request) => request.path === path).map((request) => JSON.parse(request.body).event);

  /** A project with one webhook channel taking `events` (undefined: the default), and a check alerting it. */
  async function checkAlerting(events: ChannelEvent[] | undefined, remindEvery?: number) {
    const path = `/hook-${crypto.randomUUID().slice(0, 8)}`;
    const { projectId, channelIds } = await seedProject(test.db, { webhook: { url: `${http.url}${path}` } });
    if (events) await test.db.update(channels).set({ events }).where(eq(channels.id, channelIds[0]!));
    const checkId = await seedCheck(test.db, projectId, channelIds, { state: { lastPing: T0 }, remindEvery });
    return { checkId, path };
  }

  /** What the ping route does for a successful ping: the status change and its flip in one transaction. */
  async function pingSuccess(checkId: string, when: Date) {
    const [row] = await test.db.select().from(checks).where(eq(checks.id, checkId));
    const outcome = applyPing(toCheckState(row!), { kind: 'success', at: when, rid: null, exitStatus: 0 });
    await test.db.transaction(async (tx) => {
      await tx.update(checks).set(runStateColumns(outcome.check)).where(eq(checks.id, checkId));
      await tx.insert(flips).values(flipColumns(checkId, outcome.flip!));
    });
  }

  /** The check misses its hour and grace (period 3600 s, grace 600 s), is reminded once, then pings. */
  async function outageAndRecovery(checkId: string) {
    await sweepAt(at(3600 + 601));
    await deliver();
    await sweepAt(at(3600 + 601 + 3600));
    await deliver();
    await pingSuccess(checkId, at(3600 + 601 + 3700));
    await sweepAt(at(3600 + 601 + 3701));
    await deliver();
  }

  const notificationCount = async (checkId: string) =>
    (await test.db.select().from(notifications).innerJoin(flips, eq(flips.id, notifications.flipId)).where(eq(flips.checkId, checkId)))
      .length;

  it('sends a channel taking only down the down alert and not the reminder or the recovery', async () => {
    const { checkId, path } = await checkAlerting(['down'], 3600);
    await outageAndRecovery(checkId);
    expect(eventsAt(path)).toEqual(['check.down']);
    // Not made at all, rather than made and skipped: the queue holds only what will be sent.
    expect(await notificationCount(checkId)).toBe(1);
  });

  it('sends a channel taking recoveries and reminders those, and not the down alert another channel of the check gets', async () => {
    // People are reminded of and told the end of an incident they were told of: here the pager hears of it.
    const pager = await checkAlerting(['down'], 3600);
    const [check] = await test.db.select().from(checks).where(eq(checks.id, pager.checkId));
    const path = `/chat-${crypto.randomUUID().slice(0, 8)}`;
    const [chat] = await test.db
      .insert(channels)
      .values({
        projectId: check!.projectId,
        kind: 'webhook',
        name: 'chat',
        config: { url: `${http.url}${path}`, secret: null },
        events: ['up', 'still_down'],
      })
      .returning({ id: channels.id });
    await attachChannel(test.db, pager.checkId, chat!.id);
    await outageAndRecovery(pager.checkId);
    expect(eventsAt(path)).toEqual(['check.still_down', 'check.up']);
    expect(eventsAt(pager.path)).toEqual(['check.down']);
  });

  it('sends a channel taking only late the late alert of a check that alerts on late, not its down alert', async () => {
    const path = `/late-${crypto.randomUUID().slice(0, 8)}`;
    const { projectId, channelIds } = await seedProject(test.db, { webhook: { url: `${http.url}${path}` } });
    await test.db
      .update(channels)
      .set({ events: ['late'] })
      .where(eq(channels.id, channelIds[0]!));
    await seedCheck(test.db, projectId, channelIds, { state: { lastPing: T0 }, alertOnLate: true });
    await sweepAt(at(3601));
    await sweepAt(at(3600 + 601));
    await deliver();
    expect(eventsAt(path)).toEqual(['check.late']);
  });

  it('sends a channel every event by default', async () => {
    const { checkId, path } = await checkAlerting(undefined, 3600);
    const [channel] = await test.db
      .select({ events: channels.events })
      .from(channels)
      .innerJoin(checks, eq(checks.projectId, channels.projectId))
      .where(eq(checks.id, checkId));
    expect(channel?.events).toEqual(['down', 'up', 'late', 'still_down']);
    await outageAndRecovery(checkId);
    expect(eventsAt(path)).toEqual(['check.down', 'check.still_down', 'check.up']);
  });

  it('sends a channel without any events nothing', async () => {
    const { checkId, path } = await checkAlerting([], 3600);
    await outageAndRecovery(checkId);
    expect(eventsAt(path)).toEqual([]);
    expect(await notificationCount(checkId)).toBe(0);
  });
});
