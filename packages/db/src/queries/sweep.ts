/** The sweep's reads and writes: claim due checks, then apply the domain's verdicts with their flips. */
import { type AlertHold, type CheckState, type FlipReason, type Status, sweepDue, type Transition } from '@cronbeat/core';
import { asc, lte, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { jsonColumn, queryRows } from '../rows';
import { flipRunsToJson, runRecordToJson } from '../run-record';
import { checks } from '../schema';
import type { CheckRow, CheckStateRow } from './checks';
import { insertNotifications } from './notifications';

/**
 * What the sweep reads of a due check: its domain state and whether it alerts
 * on late. Only these columns (no tags array, name or description) cut the
 * client's cost per claimed row, which was most of the claim's time.
 */
const dueCheckColumns = {
  id: checks.id,
  status: checks.status,
  period: checks.period,
  cron: checks.cron,
  onCalendar: checks.onCalendar,
  tz: checks.tz,
  grace: checks.grace,
  maxRuntime: checks.maxRuntime,
  manualResume: checks.manualResume,
  alertOnLate: checks.alertOnLate,
  lastPing: checks.lastPing,
  lastStart: checks.lastStart,
  lastStartRid: checks.lastStartRid,
  lastDuration: checks.lastDuration,
  nextDue: checks.nextDue,
  alertAfter: checks.alertAfter,
  failureThreshold: checks.failureThreshold,
  recoveryThreshold: checks.recoveryThreshold,
  successKeywords: checks.successKeywords,
  failureKeywords: checks.failureKeywords,
  startKeywords: checks.startKeywords,
  earlyTolerance: checks.earlyTolerance,
  maxConcurrentRuns: checks.maxConcurrentRuns,
  durationAnomaly: checks.durationAnomaly,
  runRecord: checks.runRecord,
};

export type DueCheck = CheckStateRow & Pick<CheckRow, 'id' | 'alertOnLate'>;

/**
 * Locks up to `limit` checks whose `sweep_at` has come, oldest first: time
 * may have changed them (late, or down), or pings moved their deadline later
 * and left `sweep_at` behind. Rows other sweepers hold are skipped, so
 * sweepers never wait on or double-process each other. The partial index on
 * `sweep_at` serves it. Call inside a transaction; the locks last until it
 * commits.
 */
export function claimDueChecks(tx: Db, now: Date, limit: number): Promise<DueCheck[]> {
  return tx
    .select(dueCheckColumns)
    .from(checks)
    .where(lte(checks.sweepAt, now))
    .orderBy(asc(checks.sweepAt))
    .limit(limit)
    .for('update', { skipLocked: true });
}

/**
 * Sets `sweep_at` of claimed checks that time did not change to when it next
 * can (`sweepDue` of their state), so the sweep looks at them again only
 * then. Returns how many were set.
 */
export async function postponeSweep(tx: Db, unchanged: ReadonlyArray<{ checkId: string; check: CheckState }>): Promise<number> {
  if (unchanged.length === 0) return 0;
  const later = JSON.stringify(unchanged.map(({ checkId, check }) => ({ id: checkId, sweep_at: sweepDue(check)?.toISOString() ?? null })));
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`update checks set sweep_at = later.sweep_at
          from jsonb_to_recordset(${later}::jsonb) as later(id uuid, sweep_at timestamptz)
         where checks.id = later.id
        returning checks.id`,
  );
  return rows.length;
}

/** A flip the sweep wrote, with the notifications it created in the same statement. */
export interface SweptFlip {
  id: number;
  checkId: string;
  fromStatus: Status;
  toStatus: Status;
  reason: FlipReason;
  notificationIds: string[];
}

/**
 * A transition the domain decided, whether its flip alerts now (one
 * notification per attached channel), and, if its alert is held back, why
 * (the flip is marked so; a maintenance hold sets the check's `remind_at`
 * to the window's end, when the sweep looks again).
 */
export type SweepTransition = { checkId: string; alert?: boolean; hold?: AlertHold | null } & Transition;

/**
 * Writes each transition as a compare-and-set on the status it was decided
 * from, plus its flip if it has one, plus one notification per channel for
 * the flips that alert, in one statement (a check going down with reminders
 * also gets the time of its first reminder): a check some other writer (a
 * ping) changed meanwhile is left alone and gets no flip. A transition
 * without a flip (a failed run under the failure threshold) changes only
 * what the check remembers and its deadlines. The flips are written already
 * processed, because their notifications commit with them; the outbox pass
 * is left with the flips that pings wrote.
 */
export async function applyTransitions(tx: Db, transitions: SweepTransition[]): Promise<SweptFlip[]> {
  if (transitions.length === 0) return [];
  // Time changes status, deadlines, the run it timed out and the policy's record; the ping columns stay as the pings left them.
  const changes = JSON.stringify(
    transitions.map(({ checkId, check, flip, alert, hold }) => ({
      id: checkId,
      held: hold?.kind ?? null,
      window_id: hold?.kind === 'maintenance' ? hold.windowId : null,
      hold_until: hold?.kind === 'maintenance' ? hold.until.toISOString() : null,
      from_status: flip?.from ?? check.status,
      to_status: flip?.to ?? check.status,
      flipped: flip !== null,
      reason: flip?.reason ?? null,
      at: flip?.at.toISOString() ?? null,
      runs: flip ? flipRunsToJson(flip.runs) : null,
      last_start: check.lastStart?.toISOString() ?? null,
      last_start_rid: check.lastStartRid,
      next_due: check.nextDue?.toISOString() ?? null,
      alert_after: check.alertAfter?.toISOString() ?? null,
      sweep_at: sweepDue(check)?.toISOString() ?? null,
      run_record: runRecordToJson(check.record),
      alert: alert ?? false,
    })),
  );
  const rows = await queryRows<{
    id: string | number;
    check_id: string;
    from_status: Status;
    to_status: Status;
    reason: FlipReason;
    notification_ids: string[] | string;
  }>(
    tx,
    sql`
      with change as (
        select * from jsonb_to_recordset(${changes}::jsonb)
          as c(id uuid, held text, window_id uuid, hold_until timestamptz, from_status text, to_status text, flipped boolean,
               reason text, at timestamptz, runs jsonb,
               last_start timestamptz, last_start_rid uuid, next_due timestamptz, alert_after timestamptz, sweep_at timestamptz,
               run_record jsonb, alert boolean)
      ), updated as (
        update checks
           set status = change.to_status, next_due = change.next_due, alert_after = change.alert_after, sweep_at = change.sweep_at,
               last_start = change.last_start, last_start_rid = change.last_start_rid, run_record = change.run_record,
               remind_at = case when change.flipped and change.held is not null then change.hold_until
                                when change.flipped and change.to_status = 'down' and checks.remind_every is not null
                                then change.at + checks.remind_every * interval '1 second' else checks.remind_at end,
               updated_at = now()
          from change
         where checks.id = change.id and checks.status = change.from_status
        returning checks.id
      ), flipped as (
        insert into flips (check_id, created_at, from_status, to_status, reason, runs, held, maintenance_window_id, processed_at)
        select change.id, change.at, change.from_status, change.to_status, change.reason, change.runs, change.held, change.window_id, now()
          from change join updated on updated.id = change.id
         where change.flipped
        returning id, check_id, from_status, to_status, reason
      ), notified as (
        ${insertNotifications(sql`select flipped.id as flip_id, flipped.check_id, flipped.to_status, 0 as reminder, now() as created_at
                                    from flipped join change on change.id = flipped.check_id and change.alert`)}
      )
      select flipped.*,
             coalesce((select json_agg(notified.id) from notified where notified.flip_id = flipped.id), '[]'::json) as notification_ids
        from flipped`,
  );
  return rows.map((row) => ({
    id: Number(row.id),
    checkId: row.check_id,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    reason: row.reason,
    notificationIds: jsonColumn(row.notification_ids),
  }));
}

/**
 * Turns claimed flips of the outbox into their notifications and marks
 * them processed, in one statement. `flips` are all the claimed flips;
 * those with `alert` get one notification per attached channel, and a check
 * whose latest flip here put it down with reminders gets the time of its
 * first reminder (the ping that put it down leaves `remind_at` alone); a
 * flip whose alert is held is marked so (with `reason` as the hold says),
 * and a maintenance hold has the sweep look again when the window ends.
 * Returns the ids of the notifications made.
 */
export async function settleFlips(
  tx: Db,
  flips: ReadonlyArray<{ id: number; alert: boolean; hold?: AlertHold | null; reason?: FlipReason }>,
  at: Date,
): Promise<string[]> {
  if (flips.length === 0) return [];
  const claimed = JSON.stringify(
    flips.map((flip) => ({
      id: flip.id,
      alert: flip.alert,
      held: flip.hold?.kind ?? null,
      window_id: flip.hold?.kind === 'maintenance' ? flip.hold.windowId : null,
      hold_until: flip.hold?.kind === 'maintenance' ? flip.hold.until.toISOString() : null,
      reason: flip.reason ?? null,
    })),
  );
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`with claimed as (
          select * from jsonb_to_recordset(${claimed}::jsonb)
            as c(id bigint, alert boolean, held text, window_id uuid, hold_until timestamptz, reason text)
        ), processed as (
          update flips set processed_at = ${at.toISOString()}::timestamptz, held = claimed.held,
                           maintenance_window_id = coalesce(claimed.window_id, flips.maintenance_window_id),
                           reason = coalesce(claimed.reason, flips.reason)
            from claimed where flips.id = claimed.id
          returning flips.id, flips.check_id, flips.to_status, claimed.alert
        ), notified as (
          ${insertNotifications(sql`select id as flip_id, check_id, to_status, 0 as reminder, now() as created_at from processed where alert`)}
        ), latest as (
          select distinct on (flips.check_id) flips.check_id, flips.to_status, flips.created_at, claimed.held, claimed.hold_until
            from flips join claimed on claimed.id = flips.id
           order by flips.check_id, flips.id desc
        ), reminded as (
          update checks set remind_at = case when latest.held is not null then latest.hold_until
                                             else latest.created_at + checks.remind_every * interval '1 second' end
            from latest
           where checks.id = latest.check_id
             and (latest.held is not null or (latest.to_status = 'down' and checks.remind_every is not null))
        )
        select id from notified`,
  );
  return rows.map((row) => row.id);
}

/** What the sweep has to do, and from when: read in one statement of index probes. */
export interface SweepAgenda {
  /** The earliest `sweep_at`; null when no check is scheduled. */
  sweepAt: Date | null;
  /** The earliest `remind_at`; null when no reminder is scheduled. */
  remindAt: Date | null;
  /** Whether flips wait in the outbox (the pings' flips, to be turned into notifications). */
  outbox: boolean;
}

/** The sweep's agenda: index probes only, so a worker can ask after every pass and whenever it wakes. */
export async function sweepAgenda(db: Db): Promise<SweepAgenda> {
  const [row] = await queryRows<{ sweep_at: string | Date | null; remind_at: string | Date | null; outbox: boolean }>(
    db,
    sql`select (select min(sweep_at) from checks where sweep_at is not null) as sweep_at,
               (select min(remind_at) from checks where remind_at is not null) as remind_at,
               exists (select 1 from flips where processed_at is null) as outbox`,
  );
  const date = (value: string | Date | null | undefined) => (value ? new Date(value) : null);
  return { sweepAt: date(row?.sweep_at), remindAt: date(row?.remind_at), outbox: row?.outbox === true };
}
