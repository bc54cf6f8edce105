/**
 * The sweep's follow-ups and what holding and grouping alerts write: checks
 * whose `remind_at` has come (held alerts released or dropped, reminders),
 * the down dependents of a check that came back, and the alerts of one
 * sweep batch folded into one per channel. What to do is core's
 * (`followUp`, `groupedProjects`); this reads and records it.
 */
import type { Status } from '@cronbeat/core';
import { sql } from 'drizzle-orm';
import type { Db } from '../client';
import { jsonColumn, queryRows } from '../rows';
import { insertNotifications } from './notifications';

/** A check whose `remind_at` has come, with what its follow-up needs (core's `followUp`). */
export interface DueFollowUp {
  checkId: string;
  projectId: string;
  tags: string[];
  status: Status;
  remindEvery: number | null;
  /** Its latest alerting flip (to down, or from down back up). */
  latest: { id: number; to: Status; held: string | null; told: boolean } | null;
  /** Its latest flip to down, the incident reminders are about; an acknowledged one gets none. */
  down: { id: number; at: Date; told: boolean; acknowledged: boolean } | null;
  parents: Array<{ id: string; status: Status }>;
}

type FollowUpRow = {
  id: string;
  project_id: string;
  tags: string[] | string;
  status: Status;
  remind_every: number | null;
  latest: { id: number; to: Status; held: string | null; told: boolean } | string | null;
  down: { id: number; at: string; told: boolean; acknowledged: boolean } | string | null;
  parents: Array<{ id: string; status: Status }> | string;
};

/**
 * Locks up to `limit` checks whose `remind_at` has come, oldest first,
 * skipping rows other sweepers hold, and reads what their follow-ups need.
 * Their cost follows the follow-ups due, not the checks down. Call inside
 * a transaction; `writeFollowUps` then records what was decided.
 */
export async function claimDueFollowUps(tx: Db, now: Date, limit: number): Promise<DueFollowUp[]> {
  const rows = await queryRows<FollowUpRow>(
    tx,
    sql`with due as (
          select id, project_id, tags, status, remind_every from checks
           where remind_at <= ${now.toISOString()}::timestamptz
           order by remind_at
           limit ${limit}
             for update skip locked
        )
        select due.id, due.project_id, to_json(due.tags) as tags, due.status, due.remind_every,
               (select json_build_object('id', f.id, 'to', f.to_status, 'held', f.held,
                         'told', exists (select 1 from notifications n where n.flip_id = f.id and n.reminder = 0))
                  from flips f
                 where f.check_id = due.id and (f.to_status = 'down' or (f.from_status = 'down' and f.to_status = 'up'))
                 order by f.id desc limit 1) as latest,
               (select json_build_object('id', f.id, 'at', f.created_at, 'acknowledged', f.acknowledged_at is not null,
                         'told', exists (select 1 from notifications n where n.flip_id = f.id and n.reminder = 0))
                  from flips f where f.check_id = due.id and f.to_status = 'down'
                 order by f.id desc limit 1) as down,
               coalesce((select json_agg(json_build_object('id', parent.id, 'status', parent.status))
                           from check_dependencies d join checks parent on parent.id = d.depends_on_id
                          where d.check_id = due.id), '[]'::json) as parents
          from due`,
  );
  return rows.map((row) => {
    const down = jsonColumn(row.down);
    return {
      checkId: row.id,
      projectId: row.project_id,
      tags: jsonColumn(row.tags),
      status: row.status,
      remindEvery: row.remind_every,
      latest: jsonColumn(row.latest),
      down: down && { id: down.id, at: new Date(down.at), told: down.told, acknowledged: down.acknowledged },
      parents: jsonColumn(row.parents),
    };
  });
}

/** What follow-ups decided: alerts and reminders to make, holds that ended without one, and when to look again. */
export interface FollowUpWrites {
  notify: ReadonlyArray<{ flipId: number; checkId: string; reminder: number }>;
  /** Flips whose hold is over without an alert: no longer looked at. */
  unheld: readonly number[];
  remindAt: ReadonlyArray<{ checkId: string; at: Date | null }>;
}

/** Records follow-ups in one statement; returns the ids of the notifications made. */
export async function writeFollowUps(tx: Db, writes: FollowUpWrites, now: Date): Promise<string[]> {
  if (writes.notify.length === 0 && writes.unheld.length === 0 && writes.remindAt.length === 0) return [];
  const notify = JSON.stringify(writes.notify.map((n) => ({ flip_id: n.flipId, check_id: n.checkId, reminder: n.reminder })));
  const remind = JSON.stringify(writes.remindAt.map((r) => ({ id: r.checkId, at: r.at?.toISOString() ?? null })));
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`with notify as (
          select * from jsonb_to_recordset(${notify}::jsonb) as n(flip_id bigint, check_id uuid, reminder int)
        ), notified as (
          ${insertNotifications(
            sql`select notify.flip_id, notify.check_id, flips.to_status, notify.reminder, ${now.toISOString()}::timestamptz as created_at
                  from notify join flips on flips.id = notify.flip_id`,
          )}
        ), unheld as (
          update flips set held = null where id = any(${`{${writes.unheld.join(',')}}`}::bigint[])
        ), rescheduled as (
          update checks set remind_at = r.at
            from jsonb_to_recordset(${remind}::jsonb) as r(id uuid, at timestamptz)
           where checks.id = r.id
        )
        select id from notified`,
  );
  return rows.map((row) => row.id);
}

/**
 * Folds the alerts of `flipIds` (flips to down of one sweep batch, in
 * projects that group them) into one notification per channel: the
 * earliest flip's carries the group, the others become `grouped` into it
 * and are never sent on their own. Webhooks keep one event per check.
 * Returns the ids of the notifications folded.
 */
export async function groupAlerts(tx: Db, flipIds: readonly number[]): Promise<string[]> {
  if (flipIds.length === 0) return [];
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`with members as (
          select n.id, first_value(n.id) over (partition by n.channel_id order by n.flip_id) as carrier
            from notifications n join channels ch on ch.id = n.channel_id
           where n.flip_id = any(${`{${flipIds.join(',')}}`}::bigint[]) and n.reminder = 0 and ch.kind <> 'webhook'
        )
        update notifications set status = 'grouped', group_id = members.carrier, next_attempt_at = null
          from members
         where notifications.id = members.id and members.id <> members.carrier
        returning notifications.id`,
  );
  return rows.map((row) => row.id);
}

/**
 * Has the sweep look at once at the down dependents of checks that just
 * came back up: an alert held for a parent is released then (core's
 * `followUp`), if no other parent is still down.
 */
export async function followUpDependents(tx: Db, parentIds: readonly string[]): Promise<void> {
  if (parentIds.length === 0) return;
  await tx.execute(
    sql`update checks set remind_at = now()
          from check_dependencies d
         where d.depends_on_id = any(${`{${parentIds.join(',')}}`}::uuid[]) and checks.id = d.check_id and checks.status = 'down'`,
  );
}
