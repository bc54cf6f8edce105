/**
 * Claiming due notifications and loading, in the same statement, all their
 * messages need (the check, its latest ping, held-for windows and parents,
 * dependents down, a group's checks): the one query of every delivery.
 */
import type { Status } from '@cronbeat/core';
import { type AnyColumn, eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { jsonColumn } from '../rows';
import { channels, checks, flips, notifications, projects } from '../schema';
import type { CheckRow } from './checks';
import type { NotificationRow } from './notifications';

/** A check depending on a delivery's check, down as the delivery is claimed. */
export interface DownDependent {
  id: string;
  name: string;
  /** When its latest flip to down happened; null if none is stored. */
  since: Date | null;
}

/** A check the delivery's check depends on, for a flip held while such checks were down (reason `dependency`). */
export interface DependencyParent {
  id: string;
  name: string;
  /** Its status as the delivery is claimed. */
  status: Status;
  /** Whether it was down when the flip happened (its latest flip by then was to down). */
  downAtFlip: boolean;
}

/** A flip told in a carrier's message with the others of its sweep batch: its own notification is `grouped` into the carrier. */
export interface GroupedDelivery {
  notificationId: string;
  flip: Pick<FlipRow, 'id' | 'fromStatus' | 'toStatus' | 'reason' | 'createdAt' | 'exitStatus' | 'runs'>;
  check: Pick<
    CheckRow,
    | 'id'
    | 'name'
    | 'slug'
    | 'period'
    | 'cron'
    | 'onCalendar'
    | 'tz'
    | 'grace'
    | 'maxRuntime'
    | 'lastPing'
    | 'lastStart'
    | 'tags'
    | 'maxConcurrentRuns'
  >;
  dependents: DownDependent[];
}

type FlipRow = typeof flips.$inferSelect;

/** All a delivery needs to say what happened. */
export interface Delivery {
  notification: NotificationRow;
  channel: Pick<typeof channels.$inferSelect, 'id' | 'kind' | 'config'>;
  flip: FlipRow;
  check: CheckRow;
  projectName: string;
  /** The check's latest ping at the flip, with up to the last 4 KB of its body. */
  ping: { at: Date; kind: string; exitStatus: number | null; bodyTail: string | null } | null;
  /** When the incident a recovery ends began. */
  downSince: Date | null;
  /** The maintenance window the flip happened in (`flips.maintenance_window_id`); null outside one, or once it was deleted. */
  maintenanceWindow: { id: string; name: string } | null;
  /** For a flip held for its parents (`held` or reason `dependency`): the checks it depends on, by name; else empty. */
  parents: DependencyParent[];
  /** For a flip to down or back up: the checks depending on this one that are down now, by name. */
  dependents: DownDependent[];
  /** For a carrier: the flips grouped into it (not its own), oldest first; else empty. */
  group: GroupedDelivery[];
}

type PingTail = { at: string | Date; kind: string; exitStatus: number | null; bodyTail: string | null } | null;
type Json<T> = T | string | null;
type DependentJson = Omit<DownDependent, 'since'> & { since: string | null };
type GroupedJson = {
  notificationId: string;
  flip: Omit<GroupedDelivery['flip'], 'createdAt'> & { createdAt: string };
  check: Omit<GroupedDelivery['check'], 'lastPing' | 'lastStart'> & { lastPing: string | null; lastStart: string | null };
  dependents: DependentJson[];
};

/**
 * The checks depending on `checkId` that are down, as a json array by name,
 * each with when its latest flip to down happened. An index probe on
 * `depends_on_id`, so a check without dependents costs one lookup.
 */
const downDependentsJson = (checkId: SQL | SQL.Aliased | AnyColumn) => sql`coalesce((
  select json_agg(json_build_object('id', dependent.id, 'name', dependent.name, 'since', (
           select down.created_at from flips down
            where down.check_id = dependent.id and down.to_status = 'down' order by down.id desc limit 1))
         order by dependent.name, dependent.id)
    from check_dependencies edge join checks dependent on dependent.id = edge.check_id
   where edge.depends_on_id = ${checkId} and dependent.status = 'down'), '[]'::json)`;

/**
 * The claim-and-load statement, built and prepared once per database: it is
 * the one query of every delivery, and building it anew cost more CPU than
 * Postgres spent running it. What a message tells beyond its flip comes in
 * the same statement as json: the maintenance window, the parents of a flip
 * held for them, the dependents down now, and a carrier's grouped flips.
 */
function buildClaimStatement(db: Db) {
  const claimed = db.$with('claimed').as(
    db
      .update(notifications)
      // The attempt is counted as it is claimed, before anything is sent: a worker that dies mid-send leaves it on record.
      // The lease is the next attempt's time: if this worker dies, another takes the notification once it ends.
      .set({
        nextAttemptAt: sql`now() + ${sql.placeholder('leaseMs')} * interval '1 millisecond'`,
        attempts: sql`${notifications.attempts} + 1`,
        lastAttemptAt: sql`now()`,
      })
      .where(
        sql`${notifications.id} = any(array(
              select due.id from ${notifications} as due
               where due.status = 'pending' and due.next_attempt_at <= now()
               order by due.next_attempt_at
               limit ${sql.placeholder('limit')}
                 for update skip locked))`,
      )
      .returning(),
  );
  return db
    .with(claimed)
    .select({
      notification: {
        id: claimed.id,
        flipId: claimed.flipId,
        channelId: claimed.channelId,
        status: claimed.status,
        attempts: claimed.attempts,
        error: claimed.error,
        createdAt: claimed.createdAt,
        lastAttemptAt: claimed.lastAttemptAt,
        sentAt: claimed.sentAt,
        nextAttemptAt: claimed.nextAttemptAt,
        reminder: claimed.reminder,
        groupId: claimed.groupId,
      },
      channel: { id: channels.id, kind: channels.kind, config: channels.config },
      flip: flips,
      check: checks,
      projectName: projects.name,
      // Latest ping at the flip: the failing run's output for a failure, the last sign of life for a miss.
      ping: sql<PingTail>`(
        select json_build_object('at', p.created_at, 'kind', p.kind, 'exitStatus', p.exit_status, 'bodyTail',
                 case when p.body_raw is not null then '(binary output not shown)' else right(p.body, 4096) end)
          from pings p
         where p.check_id = ${checks.id} and p.created_at <= ${flips.createdAt}
         order by p.n desc limit 1)`,
      downSince: sql<Date | null>`case when ${flips.fromStatus} = 'down' then (
        select f.created_at from flips f
         where f.check_id = ${checks.id} and f.to_status = 'down' and f.id < ${flips.id}
         order by f.id desc limit 1) end`.mapWith(flips.createdAt),
      maintenanceWindow: sql<Json<{ id: string; name: string }>>`(
        select json_build_object('id', w.id, 'name', w.name) from maintenance_windows w where w.id = ${flips.maintenanceWindowId})`,
      // Whether each parent was down at the flip: its latest flip by then (one in the same sweep batch shares the instant).
      parents: sql<Json<DependencyParent[]>>`case when ${flips.reason} = 'dependency' or ${flips.held} = 'dependency' then coalesce((
        select json_agg(json_build_object('id', parent.id, 'name', parent.name, 'status', parent.status, 'downAtFlip', coalesce((
                 select before.to_status = 'down' from flips before
                  where before.check_id = parent.id and before.created_at <= ${flips.createdAt}
                  order by before.created_at desc, before.id desc limit 1), false))
               order by parent.name, parent.id)
          from check_dependencies edge join checks parent on parent.id = edge.depends_on_id
         where edge.check_id = ${checks.id}), '[]'::json) else '[]'::json end`,
      dependents: sql<Json<DependentJson[]>>`case when ${flips.toStatus} in ('down', 'up') then ${downDependentsJson(checks.id)}
        else '[]'::json end`,
      // Only a carrier has notifications grouped into it; the partial index on group_id answers the others at once.
      group: sql<Json<GroupedJson[]>>`coalesce((
        select json_agg(json_build_object(
                 'notificationId', member.id,
                 'flip', json_build_object('id', member_flip.id, 'fromStatus', member_flip.from_status, 'toStatus', member_flip.to_status,
                           'reason', member_flip.reason, 'createdAt', member_flip.created_at, 'exitStatus', member_flip.exit_status,
                           'runs', member_flip.runs),
                 'check', json_build_object('id', member_check.id, 'name', member_check.name, 'slug', member_check.slug,
                           'period', member_check.period, 'cron', member_check.cron, 'onCalendar', member_check.oncalendar,
                           'tz', member_check.tz, 'grace', member_check.grace,
                           'maxRuntime', member_check.max_runtime, 'lastPing', member_check.last_ping, 'lastStart', member_check.last_start,
                           'tags', member_check.tags, 'maxConcurrentRuns', member_check.max_concurrent_runs),
                 'dependents', ${downDependentsJson(sql`member_check.id`)})
               order by member_flip.created_at, member_flip.id)
          from notifications member
          join flips member_flip on member_flip.id = member.flip_id
          join checks member_check on member_check.id = member_flip.check_id
         where member.group_id = ${claimed.id}), '[]'::json)`,
    })
    .from(claimed)
    .innerJoin(channels, eq(channels.id, claimed.channelId))
    .innerJoin(flips, eq(flips.id, claimed.flipId))
    .innerJoin(checks, eq(checks.id, flips.checkId))
    .innerJoin(projects, eq(projects.id, checks.projectId))
    .prepare('claim_deliveries');
}

const claimStatements = new WeakMap<Db, ReturnType<typeof buildClaimStatement>>();

function claimStatement(db: Db): ReturnType<typeof buildClaimStatement> {
  let statement = claimStatements.get(db);
  if (!statement) {
    statement = buildClaimStatement(db);
    claimStatements.set(db, statement);
  }
  return statement;
}

/**
 * Claims up to `limit` due notifications for `leaseMs`, oldest due first,
 * skipping rows another worker is claiming; counts each attempt and loads
 * everything its message needs, in one statement (one round trip per batch
 * matters when a burst of deadlines fans out into thousands of deliveries).
 * The statement commits before the caller sends anything, so an attempt
 * that dies mid-send is on record (`attempts`, `last_attempt_at`), and
 * another worker takes the notification when the lease ends.
 */
export async function claimDeliveries(db: Db, limit: number, leaseMs: number): Promise<Delivery[]> {
  if (limit <= 0) return [];
  const rows = await claimStatement(db).execute({ limit, leaseMs });
  return rows.map((row) => {
    const ping = parsed<PingTail>(row.ping);
    return {
      ...row,
      ping: ping && { ...ping, at: new Date(ping.at) },
      maintenanceWindow: parsed(row.maintenanceWindow),
      parents: parsed(row.parents) ?? [],
      dependents: (parsed(row.dependents) ?? []).map(dependentOf),
      group: (parsed(row.group) ?? []).map(groupedOf),
    };
  });
}

const parsed = <T>(value: Json<T>): T | null => jsonColumn<T | null>(value);
const dateOrNull = (value: string | null): Date | null => (value === null ? null : new Date(value));
const dependentOf = (json: DependentJson): DownDependent => ({ ...json, since: dateOrNull(json.since) });
const groupedOf = (json: GroupedJson): GroupedDelivery => ({
  notificationId: json.notificationId,
  flip: { ...json.flip, createdAt: new Date(json.flip.createdAt) },
  check: { ...json.check, lastPing: dateOrNull(json.check.lastPing), lastStart: dateOrNull(json.check.lastStart) },
  dependents: json.dependents.map(dependentOf),
});
