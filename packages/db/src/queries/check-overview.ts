import type { Status } from '@cronbeat/core';
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { jsonColumn, queryRows } from '../rows';

/** The orders the checks list offers. `created` is the API's own: oldest first. */
export type OverviewOrder = 'created' | 'name' | 'status' | 'lastPing' | 'nextDue';

/** Where a page of the overview ends, in its order: the last row's sort key (as text) and id. */
export interface OverviewCursor {
  key: string;
  id: string;
}

export interface OverviewFilters {
  /** A status, or `running` (a run is open). */
  status?: Status | 'running' | undefined;
  /** Every tag must be on the check. */
  tags?: string[] | undefined;
  /** Case-insensitive substring of the name or slug. */
  q?: string | undefined;
  /** Only these checks: how a live list refetches the rows that changed. */
  ids?: string[] | undefined;
}

export interface OverviewRequest extends OverviewFilters {
  order: OverviewOrder;
  descending: boolean;
  limit: number;
  after?: OverviewCursor | undefined;
}

/** One check as the list shows it; times are milliseconds since the epoch. */
export interface OverviewRow {
  id: string;
  name: string;
  slug: string | null;
  tags: string[];
  status: Status;
  running: boolean;
  period: number | null;
  cron: string | null;
  onCalendar: string | null;
  tz: string;
  lastPing: number | null;
  nextDue: number | null;
  lastDuration: number | null;
  /** Oldest first. */
  durations: number[];
  /** Newest first. */
  history: Array<{ outcome: string; at: number }>;
  channels: Array<{ id: string; name: string }>;
  sortKey: string;
}

/** Past every real time in microseconds: a check with no next due time sorts after all others. */
const NEVER = '9000000000000000000';
/** Pings read per check for its strip and sparkline: enough for 30 runs of a start and an end each, and no more, however many it keeps. */
const RECENT_PINGS = 60;

const micros = (column: SQL) => sql`(extract(epoch from ${column}) * 1000000)::bigint`;
const millis = (column: SQL) => sql`(extract(epoch from ${column}) * 1000)::float8`;

/**
 * Each order's key: a bigint, or for names the lower-cased name in code
 * point order (collation "C"), so the dashboard orders rows it refetched
 * exactly as the server does. Ties go by id.
 */
const SORT_KEYS: Record<OverviewOrder, { key: SQL; type: SQL }> = {
  created: { key: micros(sql`c.created_at`), type: sql`bigint` },
  name: { key: sql`(lower(c.name) collate "C")`, type: sql`text collate "C"` },
  // Worst first when ascending: down, late, up, new, paused.
  status: {
    key: sql`(case c.status when 'down' then 0 when 'late' then 1 when 'up' then 2 when 'new' then 3 else 4 end)::bigint`,
    type: sql`bigint`,
  },
  lastPing: { key: sql`coalesce(${micros(sql`c.last_ping`)}, -1)`, type: sql`bigint` },
  nextDue: {
    key: sql`(case when c.status = 'paused' or c.next_due is null then ${NEVER}::bigint else ${micros(sql`c.next_due`)} end)`,
    type: sql`bigint`,
  },
};

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function conditions(projectId: string, filters: OverviewFilters): SQL {
  const parts: SQL[] = [sql`c.project_id = ${projectId}`];
  if (filters.status === 'running') parts.push(sql`c.last_start is not null`);
  else if (filters.status) parts.push(sql`c.status = ${filters.status}`);
  if (filters.tags?.length)
    parts.push(
      sql`c.tags @> array[${sql.join(
        filters.tags.map((tag) => sql`${tag}`),
        sql`, `,
      )}]::text[]`,
    );
  if (filters.q) {
    const pattern = `%${escapeLike(filters.q)}%`;
    parts.push(sql`(c.name ilike ${pattern} or c.slug ilike ${pattern})`);
  }
  if (filters.ids) {
    parts.push(
      filters.ids.length > 0
        ? sql`c.id in (${sql.join(
            filters.ids.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`
        : sql`false`,
    );
  }
  return sql.join(parts, sql` and `);
}

/** How many checks of the project pass the filters. */
export async function countOverview(db: Db, projectId: string, filters: OverviewFilters): Promise<number> {
  const [row] = await queryRows<{ total: number }>(
    db,
    sql`select count(*)::int as total from checks c where ${conditions(projectId, filters)}`,
  );
  return Number(row?.total ?? 0);
}

/**
 * A page of the checks list with what each row shows, in one statement:
 * the page is chosen first (keyset, on the project's index and a top-N sort),
 * then each of its checks reads only its newest pings and flips through
 * their (check, n) and (check, created_at) indexes (the pings once), so a page costs the same
 * in a project of ten or ten thousand checks, with ten or a million pings.
 *
 * The strip is per run, not per day: a job every minute and a job every
 * night both show their last 30 outcomes, which is what someone scanning
 * the list asks ("did the last runs work?"); the 90 days of the status
 * pages answer the per-day question. Its cells are events, newest first:
 * each run's end among the last 60 pings (success or fail pings), each
 * deadline that passed (flip to late: `late`; to down for a miss or a run
 * that timed out: `missed`, or `maintenance` when inside a window), each
 * pause, and an open run (`running`). A failed run's own flip is not a cell
 * of its own: its fail ping is.
 */
export async function overviewPage(
  db: Db,
  projectId: string,
  request: OverviewRequest,
): Promise<{ rows: OverviewRow[]; next: OverviewCursor | null }> {
  const { key, type } = SORT_KEYS[request.order];
  const direction = request.descending ? sql`desc` : sql`asc`;
  const after = request.after
    ? request.descending
      ? sql`and (${key}, c.id) < (${request.after.key}::${type}, ${request.after.id}::uuid)`
      : sql`and (${key}, c.id) > (${request.after.key}::${type}, ${request.after.id}::uuid)`
    : sql``;
  const found = await queryRows<Omit<OverviewRow, 'history' | 'channels'> & { history: unknown; channels: unknown; durations: unknown }>(
    db,
    sql`
      with page as (
        select c.id, c.name, c.slug, c.tags, c.status, c.last_start, c.period, c.cron, c.oncalendar, c.tz, c.last_ping, c.next_due,
               c.last_duration, c.n_pings, ${key} as sort_key
          from checks c
         where ${conditions(projectId, request)} ${after}
         order by sort_key ${direction}, c.id ${direction}
         limit ${request.limit + 1}
      )
      select page.id, page.name, page.slug, page.tags, page.status, page.last_start is not null as running,
             page.period, page.cron, page.oncalendar as "onCalendar", page.tz,
             ${millis(sql`page.last_ping`)} as "lastPing", ${millis(sql`page.next_due`)} as "nextDue",
             page.last_duration as "lastDuration", page.sort_key::text as "sortKey",
             coalesce(recent.durations, '[]'::json) as durations,
             coalesce(recent.history, '[]'::json) as history,
             coalesce(alerts.channels, '[]'::json) as channels
        from page
        left join lateral (
          -- The run ends among the check's latest pings, read once (by number, on the (check, n) index) for the strip and the sparkline.
          with ends as materialized (
            select n, kind, created_at, duration from pings
             where check_id = page.id and n > page.n_pings - ${RECENT_PINGS} and kind in ('success', 'fail')
          )
          select (select json_agg(d.duration order by d.n)
                    from (select n, duration from ends where duration is not null order by n desc limit 20) d) as durations,
                 (select json_agg(json_build_object('outcome', e.outcome, 'at', ${millis(sql`e.at`)}) order by e.at desc)
                    from (
                      select outcome, at from (
                        select case kind when 'success' then 'success' else 'failed' end as outcome, created_at as at from ends
                        union all
                        select case when f.to_status = 'paused' then 'paused'
                                    when f.maintenance_window_id is not null then 'maintenance'
                                    when f.to_status = 'late' then 'late' else 'missed' end,
                               f.created_at
                          from (select to_status, reason, maintenance_window_id, created_at from flips
                                 where check_id = page.id order by created_at desc limit 30) f
                         where f.to_status = 'paused' or (f.to_status in ('late', 'down') and f.reason in ('missed', 'timed_out'))
                        union all
                        select 'running', page.last_start where page.last_start is not null
                      ) events
                      order by at desc limit 30
                    ) e) as history
        ) recent on true
        left join lateral (
          select json_agg(json_build_object('id', ch.id, 'name', ch.name) order by ch.name, ch.id) as channels
            from check_channels cc join channels ch on ch.id = cc.channel_id
           where cc.check_id = page.id
        ) alerts on true
       order by page.sort_key ${direction}, page.id ${direction}`,
  );
  const rows = found.slice(0, request.limit).map((row) => ({
    ...row,
    lastPing: row.lastPing === null ? null : Number(row.lastPing),
    nextDue: row.nextDue === null ? null : Number(row.nextDue),
    durations: jsonColumn<number[]>(row.durations as number[] | string),
    history: jsonColumn<OverviewRow['history']>(row.history as OverviewRow['history'] | string),
    channels: jsonColumn<OverviewRow['channels']>(row.channels as OverviewRow['channels'] | string),
  }));
  const last = found.length > request.limit ? rows.at(-1) : undefined;
  return { rows, next: last ? { key: last.sortKey, id: last.id } : null };
}

/** A check that changed lately, with what the list shows of its state, to tell a change from the same row seen again. */
export interface RecentChange {
  id: string;
  version: string;
}

/**
 * Checks of the project written in the last `withinSeconds` (by the
 * database's clock): pinged (`last_ping`), made, or changed by the sweep or
 * the API (`updated_at`, which both set), and which checks the project has
 * (`members`: their count and a sum of their ids' hashes, equal for equal
 * sets), so a deletion shows even when a check was made in its place. The
 * window overlaps the previous look on purpose: a ping is stamped when it
 * arrives and committed up to a write deadline later, so the caller
 * remembers each row's `version` and reports only what differs. Reads the
 * project's rows through its index, and no ping or flip.
 */
export async function recentChanges(
  db: Db,
  projectId: string,
  withinSeconds: number,
): Promise<{ changed: RecentChange[]; members: string }> {
  const [row] = await queryRows<{ changed: RecentChange[] | string; members: string }>(
    db,
    sql`
      select coalesce((
               select json_agg(json_build_object('id', c.id, 'version', concat_ws('|', c.status, c.last_start, c.n_pings, c.updated_at, c.name)))
                 from checks c
                where c.project_id = ${projectId}
                  and greatest(c.updated_at, c.last_ping, c.created_at) > now() - make_interval(secs => ${withinSeconds})
             ), '[]'::json) as changed,
             (select concat_ws(':', count(*), coalesce(sum(hashtext(id::text)), 0)) from checks where project_id = ${projectId}) as members`,
  );
  return { changed: row ? jsonColumn(row.changed) : [], members: row?.members ?? '' };
}
