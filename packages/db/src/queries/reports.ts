/** Summary reports: who wants them, making them when due, sending each once, and what they say. */
import { nextReportAt, type ReportPeriod, reportWindow, type Status } from '@cronbeat/core';
import { and, asc, eq, getTableColumns, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { queryRows } from '../rows';
import { type ReportSetting, reports, users } from '../schema';
import type { User } from './users';

export type ReportRow = typeof reports.$inferSelect;

/** Attempts before a report that keeps failing is given up on. */
export const REPORT_MAX_ATTEMPTS = 5;

/** Turns a person's reports on (due at the next Monday or 1st) or off; the updated person, or null if there is none. */
export async function setReportEvery(db: Db, userId: string, setting: ReportSetting, now: Date): Promise<User | null> {
  const [user] = await db
    .update(users)
    .set({ reportEvery: setting, nextReportAt: setting === 'off' ? null : nextReportAt(setting, now) })
    .where(eq(users.id, userId))
    .returning();
  return user ?? null;
}

/**
 * Makes the reports that have fallen due by `now`, at most `limit`, and
 * moves each person's next one on. A person whose report has waited through
 * several periods (the worker was stopped) gets one for the last period due,
 * not one for each. Rows are locked and skipped when locked, so concurrent
 * workers split the work; the unique (user, period end) key keeps a report
 * from being made twice. Returns how many were made.
 */
export async function openDueReports(db: Db, now: Date, limit: number): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: users.id, period: users.reportEvery, dueAt: users.nextReportAt })
      .from(users)
      .where(and(lte(users.nextReportAt, now), sql`${users.reportEvery} <> 'off'`))
      .orderBy(asc(users.nextReportAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    let made = 0;
    for (const person of due) {
      const period = person.period as ReportPeriod;
      let dueAt = person.dueAt!;
      for (let next = nextReportAt(period, dueAt); next <= now; next = nextReportAt(period, next)) dueAt = next;
      const { start, end } = reportWindow(period, dueAt);
      const inserted = await tx
        .insert(reports)
        .values({ userId: person.id, period, periodStart: start, periodEnd: end })
        .onConflictDoNothing()
        .returning({ id: reports.id });
      made += inserted.length;
      await tx
        .update(users)
        .set({ nextReportAt: nextReportAt(period, now) })
        .where(eq(users.id, person.id));
    }
    return made;
  });
}

/** Reports waiting to be sent and claimed by no live worker, oldest first. */
export async function pendingReportIds(db: Db, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: reports.id })
    .from(reports)
    .where(and(eq(reports.status, 'pending'), or(isNull(reports.claimedUntil), lt(reports.claimedUntil, sql`now()`))))
    .orderBy(asc(reports.createdAt))
    .limit(limit);
  return rows.map((row) => row.id);
}

/** Claims a pending report for `leaseMs` and reads its recipient's address, in one statement; null when it is sent, failed or another worker holds it. */
export async function claimReport(db: Db, id: string, leaseMs: number): Promise<(ReportRow & { email: string }) | null> {
  const [claimed] = await db
    .update(reports)
    .set({ claimedUntil: sql`now() + ${leaseMs} * interval '1 millisecond'` })
    .from(users)
    .where(
      and(
        eq(reports.id, id),
        eq(users.id, reports.userId),
        eq(reports.status, 'pending'),
        or(isNull(reports.claimedUntil), lt(reports.claimedUntil, sql`now()`)),
      ),
    )
    .returning({ ...getTableColumns(reports), email: users.email });
  return claimed ?? null;
}

/**
 * Records one attempt at sending a report: sent, or failed with its error.
 * A permanent failure, or the last allowed attempt, gives up for good.
 */
export async function recordReportAttempt(
  db: Db,
  id: string,
  outcome: { sent: true } | { sent: false; error: string; permanent: boolean },
): Promise<void> {
  const attempts = sql`${reports.attempts} + 1`;
  const status = outcome.sent
    ? sql`'sent'`
    : outcome.permanent
      ? sql`'failed'`
      : sql`case when ${reports.attempts} + 1 >= ${REPORT_MAX_ATTEMPTS} then 'failed' else 'pending' end`;
  await db
    .update(reports)
    .set({
      attempts,
      status,
      error: outcome.sent ? null : outcome.error,
      claimedUntil: null,
      sentAt: outcome.sent ? sql`now()` : null,
    })
    .where(eq(reports.id, id));
}

/** One check as a report shows it. */
export interface ReportCheck {
  name: string;
  status: Status;
  /** Times it went down within the period. */
  downs: number;
}

/** A project of the recipient, with its checks. */
export interface ReportProject {
  name: string;
  checks: ReportCheck[];
}

/**
 * What a person's report says: every project they belong to, with each
 * check's status now and how often it went down between `start` and `end`.
 * Scoped by membership, so nobody reads of another's projects.
 */
export async function reportProjects(db: Db, userId: string, start: Date, end: Date): Promise<ReportProject[]> {
  const rows = await queryRows<{
    project_id: string;
    project_name: string;
    check_name: string | null;
    status: Status | null;
    downs: number | string;
  }>(
    db,
    sql`select p.id as project_id, p.name as project_name, c.name as check_name, c.status,
               (select count(*) from flips f
                 where f.check_id = c.id and f.to_status = 'down'
                   and f.created_at >= ${start.toISOString()}::timestamptz and f.created_at < ${end.toISOString()}::timestamptz) as downs
          from memberships m
          join projects p on p.id = m.project_id
          left join checks c on c.project_id = p.id
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
    if (row.check_name !== null && row.status !== null)
      project.checks.push({ name: row.check_name, status: row.status, downs: Number(row.downs) });
  }
  return [...projects.values()];
}
