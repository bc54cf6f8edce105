/** Summary reports: who wants them, making them when due, sending each once; what they say is in `report-stats.ts`. */
import { nextReportAt, type ReportPeriod, reportWindow } from '@cronbeat/core';
import { and, asc, eq, getTableColumns, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { type ReportSetting, reports, users } from '../schema';
import type { User } from './users';

export type ReportRow = typeof reports.$inferSelect;

/** Attempts before a report that keeps failing is given up on. */
export const REPORT_MAX_ATTEMPTS = 5;

/** A person's report settings; either may be left as it is. */
export interface ReportSettings {
  reportEvery?: ReportSetting;
  /** An IANA zone name the runtime knows, canonical (the API checks it). */
  timeZone?: string;
}

/**
 * Changes how often a person gets reports and the zone their 09:00 is in,
 * and recomputes when the next one is due (null while off) when either
 * changed: a form sent again as it was leaves a report that is due now to
 * be made rather than moving it a period on. One transaction, so two
 * changes at once cannot leave a due time of the other setting. The updated
 * person, or null if there is none.
 */
export async function changeReportSettings(db: Db, userId: string, settings: ReportSettings, now: Date): Promise<User | null> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ reportEvery: users.reportEvery, timeZone: users.timeZone })
      .from(users)
      .where(eq(users.id, userId))
      .for('update');
    if (!current) return null;
    const reportEvery = settings.reportEvery ?? current.reportEvery;
    const timeZone = settings.timeZone ?? current.timeZone;
    const changed = reportEvery !== current.reportEvery || timeZone !== current.timeZone;
    const [user] = await tx
      .update(users)
      .set({
        reportEvery,
        timeZone,
        ...(changed && { nextReportAt: reportEvery === 'off' ? null : nextReportAt(reportEvery, now, timeZone) }),
      })
      .where(eq(users.id, userId))
      .returning();
    return user ?? null;
  });
}

/** Turns a person's reports on (due at the next Monday or 1st, 09:00 in their zone) or off. */
export const setReportEvery = (db: Db, userId: string, setting: ReportSetting, now: Date): Promise<User | null> =>
  changeReportSettings(db, userId, { reportEvery: setting }, now);

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
      .select({ id: users.id, period: users.reportEvery, dueAt: users.nextReportAt, zone: users.timeZone })
      .from(users)
      .where(and(lte(users.nextReportAt, now), sql`${users.reportEvery} <> 'off'`))
      .orderBy(asc(users.nextReportAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    let made = 0;
    for (const person of due) {
      const period = person.period as ReportPeriod;
      let dueAt = person.dueAt!;
      for (let next = nextReportAt(period, dueAt, person.zone); next <= now; next = nextReportAt(period, next, person.zone)) dueAt = next;
      const { start, end } = reportWindow(period, dueAt, person.zone);
      const inserted = await tx
        .insert(reports)
        .values({ userId: person.id, period, periodStart: start, periodEnd: end })
        .onConflictDoNothing()
        .returning({ id: reports.id });
      made += inserted.length;
      await tx
        .update(users)
        .set({ nextReportAt: nextReportAt(period, now, person.zone) })
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

/** Claims a pending report for `leaseMs` and reads its recipient's address and zone, in one statement; null when it is sent, failed or another worker holds it. */
export async function claimReport(db: Db, id: string, leaseMs: number): Promise<(ReportRow & { email: string; timeZone: string }) | null> {
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
    .returning({ ...getTableColumns(reports), email: users.email, timeZone: users.timeZone });
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

export * from './report-stats';
