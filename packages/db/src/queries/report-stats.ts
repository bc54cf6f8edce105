/** What a summary report says of each check over its period, computed in one statement per report. */
import type { Status } from '@cronbeat/core';
import { sql } from 'drizzle-orm';
import type { Db } from '../client';
import { queryRows } from '../rows';

/** One check over a report's period, as measured; core turns `secondsByStatus` into uptime. */
export interface ReportCheckStats {
  name: string;
  /** Its status now. */
  status: Status;
  /** Seconds it spent in each status within the period (from its flips); empty when it was made after the period. */
  secondsByStatus: Partial<Record<Status, number>>;
  /** Times it went down within the period. */
  downs: number;
  /** Runs that ended within the period (success and fail pings). */
  runs: number;
  /** Of those, the failed ones. */
  failures: number;
  /** Median and 95th percentile of the runs' durations, in ms; null when no run's start was seen. */
  p50Ms: number | null;
  p95Ms: number | null;
  /** The longest run: its duration in ms and when it ended; null when no run's start was seen. */
  slowest: { durationMs: number; at: Date } | null;
  /**
   * When retention had already pruned the check's older pings, the time of
   * its oldest kept one if that is inside the period: runs and durations
   * count only from then. Null when the counts cover the whole period.
   */
  countedFrom: Date | null;
}

/** A project of the recipient, with its checks. */
export interface ReportProject {
  name: string;
  checks: ReportCheckStats[];
}

interface Row {
  project_id: string;
  project_name: string;
  check_name: string | null;
  status: Status | null;
  seconds_by_status: Record<string, number | string> | string | null;
  downs: number | string | null;
  runs: number | string | null;
  failures: number | string | null;
  p50: number | string | null;
  p95: number | string | null;
  slowest_ms: number | string | null;
  slowest_at: Date | string | null;
  oldest_kept_at: Date | string | null;
  oldest_kept_n: number | string | null;
}

const numberOrNull = (value: number | string | null) => (value === null ? null : Number(value));
const dateOrNull = (value: Date | string | null) => (value === null ? null : new Date(value));

/**
 * Every project `userId` belongs to, with each check's status now and its
 * figures between `start` and `end`. Time in each status comes from the
 * flips: the status at the period's start (or at the check's making, if
 * later) is the `from` of its first flip since then, or its status now when
 * it never flipped since; each flip in the period then starts a stretch that
 * lasts until the next or the period's end. Runs and durations come from the
 * pings that ended runs (percentile_cont over the recorded durations). The
 * pings are read check by check (a lateral join) through the (check_id, n)
 * index, so the cost is the recipient's checks times the pings retention
 * keeps of each, whatever the planner's statistics say (PGlite runs no
 * autovacuum: a plain join was planned as a nested loop over every ping in
 * the table, 42 s for 1,000 checks × 200 pings; fenced, 0.4 s on Postgres
 * and 0.8 s on PGlite). Scoped by membership, so nobody reads of another's
 * projects.
 */
export async function reportProjects(db: Db, userId: string, start: Date, end: Date): Promise<ReportProject[]> {
  const from = sql`${start.toISOString()}::timestamptz`;
  const until = sql`${end.toISOString()}::timestamptz`;
  const rows = await queryRows<Row>(
    db,
    sql`with scoped as (
          select c.id, c.status, greatest(c.created_at, ${from}) as begins
            from memberships m join checks c on c.project_id = m.project_id
           where m.user_id = ${userId}
        ),
        changes as (
          select s.id as check_id, s.begins as at, 0::bigint as ord,
                 coalesce((select f.from_status from flips f
                            where f.check_id = s.id and f.created_at >= s.begins
                            order by f.created_at, f.id limit 1), s.status) as status
            from scoped s where s.begins < ${until}
          union all
          select f.check_id, f.created_at, f.id, f.to_status
            from scoped s join flips f on f.check_id = s.id and f.created_at >= s.begins and f.created_at < ${until}
        ),
        stretches as (
          select check_id, status, to_status_count,
                 extract(epoch from coalesce(lead(at) over (partition by check_id order by at, ord), ${until}) - at) as seconds
            from (select *, case when ord > 0 and status = 'down' then 1 else 0 end as to_status_count from changes) marked
        ),
        time_in_status as (
          select check_id, jsonb_object_agg(status, seconds) as seconds_by_status, sum(downs) as downs
            from (select check_id, status, sum(seconds) as seconds, sum(to_status_count) as downs
                    from stretches group by check_id, status) by_status
           group by check_id
        ),
        ended_runs as (
          select s.id as check_id, p.kind, p.duration, p.created_at
            from scoped s
            cross join lateral (
              select k.kind, k.duration, k.created_at from pings k
               where k.check_id = s.id and k.kind in ('success', 'fail') and k.created_at >= ${from} and k.created_at < ${until}
              -- A fence: without it the planner flattens this into a plain join again.
              offset 0
            ) p
        ),
        run_figures as (
          select check_id, count(*) as runs, count(*) filter (where kind = 'fail') as failures,
                 percentile_cont(0.5) within group (order by duration) as p50,
                 percentile_cont(0.95) within group (order by duration) as p95
            from ended_runs group by check_id
        ),
        slowest as (
          select distinct on (check_id) check_id, duration as slowest_ms, created_at as slowest_at
            from ended_runs where duration is not null
           order by check_id, duration desc, created_at desc
        )
        select p.id as project_id, p.name as project_name, c.name as check_name, c.status,
               t.seconds_by_status, t.downs, r.runs, r.failures, r.p50, r.p95, w.slowest_ms, w.slowest_at,
               oldest.created_at as oldest_kept_at, oldest.n as oldest_kept_n
          from memberships m
          join projects p on p.id = m.project_id
          left join checks c on c.project_id = p.id
          left join time_in_status t on t.check_id = c.id
          left join run_figures r on r.check_id = c.id
          left join slowest w on w.check_id = c.id
          left join lateral (select k.created_at, k.n from pings k where k.check_id = c.id order by k.n limit 1) oldest on true
         where m.user_id = ${userId}
         order by p.name, p.id, c.created_at, c.id`,
  );
  const projects = new Map<string, ReportProject>();
  for (const row of rows) {
    let project = projects.get(row.project_id);
    if (!project) {
      project = { name: row.project_name, checks: [] };
      projects.set(row.project_id, project);
    }
    if (row.check_name === null || row.status === null) continue;
    project.checks.push(checkStats(row, row.check_name, row.status, start));
  }
  return [...projects.values()];
}

function checkStats(row: Row, name: string, status: Status, start: Date): ReportCheckStats {
  // Postgres drivers hand jsonb over parsed; a text column in some paths.
  const raw = typeof row.seconds_by_status === 'string' ? JSON.parse(row.seconds_by_status) : (row.seconds_by_status ?? {});
  const secondsByStatus = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, Number(value)]));
  const slowestMs = numberOrNull(row.slowest_ms);
  const oldestKeptAt = dateOrNull(row.oldest_kept_at);
  const pruned = Number(row.oldest_kept_n ?? 1) > 1;
  const p50 = numberOrNull(row.p50);
  const p95 = numberOrNull(row.p95);
  return {
    name,
    status,
    secondsByStatus,
    downs: Number(row.downs ?? 0),
    runs: Number(row.runs ?? 0),
    failures: Number(row.failures ?? 0),
    p50Ms: p50 === null ? null : Math.round(p50),
    p95Ms: p95 === null ? null : Math.round(p95),
    slowest: slowestMs === null ? null : { durationMs: slowestMs, at: dateOrNull(row.slowest_at)! },
    countedFrom: pruned && oldestKeptAt && oldestKeptAt > start ? oldestKeptAt : null,
  };
}
