/** Factories for worker tests: unique projects, channels and checks in any state. */
import { randomUUID } from 'node:crypto';
import { isCi, loadServices } from '@cronbeat/config';
import { type CheckState, newCheckState, type Schedule, withDeadlines } from '@cronbeat/core';
import { attachChannel, channels, checks, createProject, type Db, queryRows, runStateColumns, scheduleColumns } from '@cronbeat/db';
import { sql } from 'drizzle-orm';

/** Redis for the BullMQ suites: null (skip) locally without REDIS_URL; under CI its absence fails the run. */
export function testRedisUrl(): string | null {
  const { redisUrl } = loadServices();
  if (!redisUrl && isCi()) throw new Error('CI=true but REDIS_URL is not set: the BullMQ suites would be skipped');
  return redisUrl;
}

/** A BullMQ key prefix no other test (or run) shares. */
export const uniquePrefix = (name: string) => `cbtest-${name}-${randomUUID().slice(0, 8)}`;

export interface Receivers {
  email?: string[];
  webhook?: { url: string; secret?: string | null };
  slack?: { url: string };
}

/** A project with one channel per receiver given. */
export async function seedProject(db: Db, receivers: Receivers): Promise<{ projectId: string; channelIds: string[] }> {
  const project = await createProject(db, { name: `project-${randomUUID().slice(0, 6)}` });
  const configs = [
    receivers.email && { kind: 'email' as const, config: { to: receivers.email } },
    receivers.webhook && { kind: 'webhook' as const, config: { url: receivers.webhook.url, secret: receivers.webhook.secret ?? null } },
    receivers.slack && { kind: 'slack' as const, config: { url: receivers.slack.url } },
  ].filter((config) => !!config);
  const rows = configs.length
    ? await db
        .insert(channels)
        .values(configs.map((config) => ({ projectId: project.id, name: config.kind, ...config })))
        .returning({ id: channels.id })
    : [];
  return { projectId: project.id, channelIds: rows.map((row) => row.id) };
}

export interface CheckSeed {
  name?: string;
  schedule?: Schedule;
  grace?: number;
  state?: Partial<CheckState>;
  alertOnLate?: boolean;
  remindEvery?: number;
}

/** A check in the given run state, deadlines computed by the domain, with channels attached. */
export async function seedCheck(db: Db, projectId: string, channelIds: string[], seed: CheckSeed = {}): Promise<string> {
  const schedule = seed.schedule ?? { kind: 'period', period: 3600 };
  const grace = seed.grace ?? 600;
  const state = withDeadlines({ ...newCheckState({ schedule, grace }), status: 'up', ...seed.state });
  const [row] = await db
    .insert(checks)
    .values({
      projectId,
      name: seed.name ?? `check-${randomUUID().slice(0, 6)}`,
      ...scheduleColumns(schedule),
      grace,
      maxRuntime: state.maxRuntime,
      alertOnLate: seed.alertOnLate ?? false,
      remindEvery: seed.remindEvery ?? null,
      ...runStateColumns(state),
    })
    .returning({ id: checks.id });
  if (!row) throw new Error('no check inserted');
  for (const channelId of channelIds) await attachChannel(db, row.id, channelId);
  return row.id;
}

/**
 * `count` up checks (period 60 s, grace 60 s) whose `alert_after` is `deadline`, all attached to
 * `channelIds`, in two statements: fast enough for thousands.
 */
export async function seedDueChecks(db: Db, projectId: string, channelIds: string[], count: number, deadline: Date): Promise<void> {
  const lastPing = new Date(deadline.getTime() - 120_000);
  const nextDue = new Date(deadline.getTime() - 60_000);
  const ids = await queryRows<{ id: string }>(
    db,
    sql`insert into checks (project_id, name, period, grace, status, last_ping, next_due, alert_after, sweep_at)
        select ${projectId}, 'bulk-' || n, 60, 60, 'up', ${lastPing.toISOString()}::timestamptz,
               ${nextDue.toISOString()}::timestamptz, ${deadline.toISOString()}::timestamptz, ${nextDue.toISOString()}::timestamptz
          from generate_series(1, ${count}) as n
        returning id`,
  );
  for (const channelId of channelIds) {
    await db.execute(
      sql`insert into check_channels (check_id, channel_id) select id, ${channelId}::uuid from checks where project_id = ${projectId}`,
    );
  }
  if (ids.length !== count) throw new Error(`seeded ${ids.length} of ${count} checks`);
}
