import { type Db, queryRows } from '@cronbeat/db';
import { sql } from 'drizzle-orm';

/** What `seedChecks` made, for tests to find rows by. */
export interface SeededProject {
  count: number;
  /** Checks seeded down (every 50th), late and paused. */
  down: number;
}

/**
 * `count` checks named `Job 0001`… in one project, each with 40 pings (20
 * runs of a start and an end, durations in milliseconds, every 7th check's
 * every 5th run failed), in a few statements whatever the count, never a
 * request per check. Every 50th check is down, the next late, the next
 * paused; even-numbered checks alert the channel `channelId`, the others
 * nobody.
 */
export async function seedChecks(db: Db, projectId: string, count: number, channelId: string): Promise<SeededProject> {
  await db.execute(sql`
    insert into checks (project_id, name, period, grace, status, n_pings, last_ping, next_due, sweep_at, alert_after, last_duration, created_at)
    select ${projectId}::uuid, 'Job ' || lpad(i::text, 4, '0'), 3600, 600,
           case i % 50 when 0 then 'down' when 1 then 'late' when 2 then 'paused' else 'up' end,
           40, now() - i * interval '1 minute', now() + (${count} - i) * interval '1 minute', now() + (${count} - i) * interval '1 minute',
           now() + (${count} - i + 10) * interval '1 minute', 1000 + (i * 37) % 5000,
           now() - (${count} - i) * interval '1 millisecond'
      from generate_series(1, ${count}) i`);
  await db.execute(sql`
    insert into pings (check_id, n, kind, created_at, method, scheme, duration)
    select c.id, g.n,
           case when g.n % 2 = 1 then 'start'
                when substr(c.name, 5)::int % 7 = 0 and g.n % 10 = 0 then 'fail' else 'success' end,
           now() - (41 - g.n) * interval '30 minutes' - substr(c.name, 5)::int * interval '1 minute',
           'POST', 'https',
           case when g.n % 2 = 0 then 1000 + (substr(c.name, 5)::int * 37 + g.n * 101) % 5000 end
      from checks c cross join generate_series(1, 40) g(n)
     where c.project_id = ${projectId}::uuid`);
  await db.execute(sql`
    insert into check_channels (check_id, channel_id)
    select id, ${channelId}::uuid from checks where project_id = ${projectId}::uuid and substr(name, 5)::int % 2 = 0`);
  const [row] = await queryRows<{ down: number }>(
    db,
    sql`select count(*)::int as down from checks where project_id = ${projectId}::uuid and status = 'down'`,
  );
  return { count, down: Number(row?.down ?? 0) };
}
