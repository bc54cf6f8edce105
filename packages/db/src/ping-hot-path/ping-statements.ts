/**
 * The statements of ping ingestion. A batch travels as one array parameter
 * per column, so every statement has the same text whatever the batch size
 * (the server parses and plans it once per connection, not once per ping)
 * and both drivers pass it the same way. See `index.ts` for why.
 */
import type { CheckState, Flip, RunRecord, StoredPingKind } from '@cronbeat/core';
import { sql } from 'drizzle-orm';
import type { CheckRow, CheckStateRow } from '../queries/checks';
import type { SlugRef } from '../queries/pings';
import { flipRunsToJson, runRecordToJson } from '../run-record';
import { batchParameter, prepareStatement, type Statement } from './statement';

/** A run record as the text of its JSON; most checks remember nothing, and that costs no serializing. */
const runRecordText = (record: RunRecord): string =>
  record.failures.length === 0 && record.successes === 0 && record.openRuns.length === 0 && record.durations.length === 0
    ? '{}'
    : JSON.stringify(runRecordToJson(record));

/**
 * A check as the ping path reads it, locked for the rest of the transaction.
 * `version` is the row version (`xmin`): every write to the row changes it,
 * so a write that names the version it read applies only to that state.
 */
export type LockedCheck = CheckStateRow &
  Pick<CheckRow, 'id' | 'pingCode' | 'projectId' | 'slug' | 'nPings' | 'sweepAt' | 'methods'> & { pingKey: string; version: string };

export interface LockedCheckRecord {
  id: string;
  ping_code: string;
  project_id: string;
  slug: string | null;
  status: CheckRow['status'];
  period: number | null;
  cron: string | null;
  oncalendar: string | null;
  tz: string;
  grace: number;
  max_runtime: number | null;
  manual_resume: boolean;
  methods: CheckRow['methods'];
  last_ping: Date | string | null;
  last_start: Date | string | null;
  last_start_rid: string | null;
  last_duration: number | null;
  n_pings: number;
  next_due: Date | string | null;
  alert_after: Date | string | null;
  sweep_at: Date | string | null;
  failure_threshold: number;
  recovery_threshold: number;
  success_keywords: string[];
  failure_keywords: string[];
  start_keywords: string[];
  early_tolerance: number | null;
  max_concurrent_runs: number | null;
  duration_anomaly: unknown;
  run_record: unknown;
  ping_key: string;
  version: string;
}

const toDate = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

const lockedCodes = batchParameter<string>('i', { ping_code: ['uuid', (code) => code] });
const lockedSlugs = batchParameter<SlugRef>('r', { ping_key: ['text', (r) => r.pingKey], slug: ['text', (r) => r.slug] });

const lockChecksForPings = prepareStatement(
  sql`select c.id, c.ping_code, c.project_id, c.slug, c.status, c.period, c.cron, c.oncalendar, c.tz, c.grace, c.max_runtime, c.manual_resume,
        c.methods, c.last_ping, c.last_start, c.last_start_rid, c.last_duration, c.n_pings, c.next_due, c.alert_after, c.sweep_at,
        c.failure_threshold, c.recovery_threshold, c.success_keywords, c.failure_keywords, c.start_keywords, c.early_tolerance,
        c.max_concurrent_runs, c.duration_anomaly, c.run_record, p.ping_key, c.xmin::text as version
      from checks c join projects p on p.id = c.project_id
      where c.id = any(array(
        select c1.id from ${lockedCodes.sql} join checks c1 on c1.ping_code = i.ping_code
        union all
        select c2.id from ${lockedSlugs.sql}
          join projects p2 on p2.ping_key = r.ping_key
          join checks c2 on c2.project_id = p2.id and c2.slug = r.slug
      ))
      order by c.id
      for no key update of c`,
);

/**
 * Locks the checks that pings address, by ping code or by ping key and slug
 * (never by id: the id is no secret), and returns them. `= any(array(…))`
 * makes the planner look the ids up in the primary key instead of hashing a
 * scan of all checks. Rows are locked in id order so that concurrent batches (in
 * this process or in other replicas) touching the same checks queue behind
 * each other instead of deadlocking. `NO KEY UPDATE` leaves inserts of
 * pings and flips, which only reference the check, unblocked.
 */
export const lockChecksForPingsQuery = (pingCodes: readonly string[], slugRefs: readonly SlugRef[]): Statement =>
  lockChecksForPings(Object.assign(lockedCodes.bind(pingCodes), lockedSlugs.bind(slugRefs)));

/** The rows of `lockChecksForPingsQuery`, read. */
export function lockedChecks(records: readonly LockedCheckRecord[]): LockedCheck[] {
  return records.map((r) => ({
    id: r.id,
    pingCode: r.ping_code,
    projectId: r.project_id,
    slug: r.slug,
    status: r.status,
    period: r.period,
    cron: r.cron,
    onCalendar: r.oncalendar,
    tz: r.tz,
    grace: r.grace,
    maxRuntime: r.max_runtime,
    manualResume: r.manual_resume,
    methods: r.methods,
    lastPing: toDate(r.last_ping),
    lastStart: toDate(r.last_start),
    lastStartRid: r.last_start_rid,
    lastDuration: r.last_duration,
    nPings: Number(r.n_pings),
    nextDue: toDate(r.next_due),
    alertAfter: toDate(r.alert_after),
    sweepAt: toDate(r.sweep_at),
    failureThreshold: r.failure_threshold,
    recoveryThreshold: r.recovery_threshold,
    successKeywords: r.success_keywords,
    failureKeywords: r.failure_keywords,
    startKeywords: r.start_keywords,
    earlyTolerance: r.early_tolerance,
    maxConcurrentRuns: r.max_concurrent_runs,
    durationAnomaly: r.duration_anomaly,
    runRecord: r.run_record,
    pingKey: r.ping_key,
    version: r.version,
  }));
}

const runStart = prepareStatement(
  sql`select created_at from pings
      where check_id = ${sql.placeholder('checkId')}::uuid and rid = ${sql.placeholder('rid')}::uuid and kind = 'start'
      order by n desc limit 1`,
);

/**
 * When the run `rid` of a check started: its newest start ping with that run
 * id (core's `runClosedBy`), for a run that overlaps a later one, whose
 * start the check row no longer holds.
 */
export const runStartQuery = (checkId: string, rid: string): Statement => runStart({ checkId, rid });

/** The rows of `runStartQuery`, read. */
export const runStartOf = ([row]: ReadonlyArray<{ created_at: Date | string }>): Date | null => (row ? new Date(row.created_at) : null);

/** One ping row to insert. */
export interface NewPing {
  checkId: string;
  n: number;
  kind: StoredPingKind;
  at: Date;
  exitStatus: number | null;
  rid: string | null;
  method: string;
  scheme: string;
  remoteAddr: string | null;
  userAgent: string | null;
  /** The stored body when it is UTF-8 text. */
  body: string | null;
  /** The stored body when it is not, as bytes. */
  bodyRaw: Uint8Array | null;
  /** Bytes the client sent, before cutting. */
  bodySize: number;
  /** Milliseconds. */
  duration: number | null;
  /** The keyword in its body that decided its kind. */
  keyword: string | null;
}

/** A check's state after a batch of pings, and the version of the row that state was computed from. */
export interface CheckAfterPings {
  id: string;
  /** The row version (`xmin`) the batch read; the write applies only if the row still has it. */
  version: string;
  /** For pings addressed by slug: the write applies only if the check still answers to it. */
  slug: SlugRef | null;
  nPings: number;
  state: CheckState;
  /** When the sweep is to look at the check next. */
  sweepAt: Date | null;
}

export interface FlipToRecord extends Flip {
  checkId: string;
}

/** A check the batch wrote, and its row's new version. */
export interface WrittenCheck {
  id: string;
  version: string;
}

// Times travel as milliseconds since the epoch: Postgres reads a number far
// faster than it parses a date, and to_timestamp keeps the millisecond.
const ms = (date: Date | null) => date?.getTime() ?? null;

const checksAfterPings = batchParameter<CheckAfterPings>('u', {
  id: ['uuid', (c) => c.id],
  version: ['xid', (c) => c.version],
  ping_key: ['text', (c) => c.slug?.pingKey ?? null],
  slug: ['text', (c) => c.slug?.slug ?? null],
  n_pings: ['integer', (c) => c.nPings],
  status: ['text', (c) => c.state.status],
  last_ping: ['float8', (c) => ms(c.state.lastPing)],
  last_start: ['float8', (c) => ms(c.state.lastStart)],
  last_start_rid: ['uuid', (c) => c.state.lastStartRid],
  last_duration: ['integer', (c) => c.state.lastDuration],
  next_due: ['float8', (c) => ms(c.state.nextDue)],
  alert_after: ['float8', (c) => ms(c.state.alertAfter)],
  sweep_at: ['float8', (c) => ms(c.sweepAt)],
  run_record: ['text', (c) => runRecordText(c.state.record)],
});

const newPings = batchParameter<NewPing>('p', {
  check_id: ['uuid', (p) => p.checkId],
  n: ['integer', (p) => p.n],
  kind: ['text', (p) => p.kind],
  created_at: ['float8', (p) => p.at.getTime()],
  exit_status: ['smallint', (p) => p.exitStatus],
  rid: ['uuid', (p) => p.rid],
  method: ['text', (p) => p.method],
  scheme: ['text', (p) => p.scheme],
  remote_addr: ['text', (p) => p.remoteAddr],
  user_agent: ['text', (p) => p.userAgent],
  body: ['text', (p) => p.body],
  body_raw: ['text', (p) => (p.bodyRaw ? Buffer.from(p.bodyRaw).toString('base64') : null)],
  body_size: ['integer', (p) => p.bodySize],
  duration: ['integer', (p) => p.duration],
  keyword: ['text', (p) => p.keyword],
});

const newFlips = batchParameter<FlipToRecord>('f', {
  check_id: ['uuid', (f) => f.checkId],
  created_at: ['float8', (f) => f.at.getTime()],
  from_status: ['text', (f) => f.from],
  to_status: ['text', (f) => f.to],
  reason: ['text', (f) => f.reason],
  exit_status: ['smallint', (f) => f.exitStatus],
  runs: ['text', (f) => (f.runs === null ? null : JSON.stringify(flipRunsToJson(f.runs)))],
});

const writePingBatch = prepareStatement(
  sql`
    with input as materialized (
      select * from ${checksAfterPings.sql}
    ), written as (
      update checks c set n_pings = u.n_pings, status = u.status, last_ping = to_timestamp(u.last_ping / 1000),
        last_start = to_timestamp(u.last_start / 1000), last_start_rid = u.last_start_rid, last_duration = u.last_duration,
        next_due = to_timestamp(u.next_due / 1000), alert_after = to_timestamp(u.alert_after / 1000),
        sweep_at = to_timestamp(u.sweep_at / 1000), run_record = u.run_record::jsonb
      from input u
      -- The id list, locked in order before anything is written, also lets the planner look the
      -- checks up by primary key; a join alone estimates the batch at 100 rows and scans the table.
      where c.id = any(array(select id from checks where id = any(array(select id from input)) order by id for no key update))
        and c.id = u.id and c.xmin = u.version
        and (u.slug is null or (c.slug = u.slug and exists (
          select 1 from projects p where p.id = c.project_id and p.ping_key = u.ping_key)))
      returning c.id, c.xmin::text as version
    ), new_pings as (
      insert into pings (check_id, n, kind, created_at, exit_status, rid, method, scheme, remote_addr, user_agent,
                         body, body_raw, body_size, duration, keyword)
      select check_id, n, kind, to_timestamp(created_at / 1000), exit_status, rid, method, scheme, remote_addr, user_agent,
             body, decode(body_raw, 'base64'), body_size, duration, keyword
      from ${newPings.sql}
      where check_id in (select id from written)
    ), new_flips as (
      insert into flips (check_id, created_at, from_status, to_status, reason, exit_status, runs)
      select check_id, to_timestamp(created_at / 1000), from_status, to_status, reason, exit_status, runs::jsonb
      from ${newFlips.sql}
      where check_id in (select id from written)
    )
    select id, version from written`,
);

/**
 * Writes a batch in one statement, which is its own transaction when run
 * alone: the ping rows, the checks' new run state and the flips. A check's
 * part is written only if its row still has the version the batch read (and
 * still answers to the slug its pings used); otherwise none of that check's
 * pings, state or flips are written, and the caller reads it again. Returns
 * the checks written, with their new versions.
 *
 * The checks are first locked in id order, so concurrent batches (in this
 * process or in other replicas) that touch the same checks queue behind each
 * other instead of deadlocking.
 */
export const writePingBatchQuery = (batch: {
  pings: readonly NewPing[];
  checks: readonly CheckAfterPings[];
  flips: readonly FlipToRecord[];
}): Statement =>
  // Object.assign, not spread: spreading objects of this many keys costs V8 about 20 times as much.
  writePingBatch(Object.assign(checksAfterPings.bind(batch.checks), newPings.bind(batch.pings), newFlips.bind(batch.flips)));
