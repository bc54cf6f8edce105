/**
 * When summary reports go out: weekly on Mondays, monthly on the 1st, at
 * 09:00 UTC, each covering the week or month that just ended. Pure
 * calendar arithmetic in UTC.
 */

export const REPORT_PERIODS = ['weekly', 'monthly'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

/** Hour of the day (UTC) reports are due. */
const REPORT_HOUR = 9;

/** The first time a `period` report is due strictly after `after`. */
export function nextReportAt(period: ReportPeriod, after: Date): Date {
  const day = new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate(), REPORT_HOUR));
  if (period === 'weekly') {
    // getUTCDay: Sunday 0, Monday 1.
    const toMonday = (8 - day.getUTCDay()) % 7;
    const monday = new Date(day.getTime() + toMonday * 86_400_000);
    return monday > after ? monday : new Date(monday.getTime() + 7 * 86_400_000);
  }
  const first = new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), 1, REPORT_HOUR));
  return first > after ? first : new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth() + 1, 1, REPORT_HOUR));
}

/** The stretch a report due at `dueAt` covers: the week or month up to it. */
export function reportWindow(period: ReportPeriod, dueAt: Date): { start: Date; end: Date } {
  const start =
    period === 'weekly'
      ? new Date(dueAt.getTime() - 7 * 86_400_000)
      : new Date(Date.UTC(dueAt.getUTCFullYear(), dueAt.getUTCMonth() - 1, dueAt.getUTCDate(), dueAt.getUTCHours()));
  return { start, end: dueAt };
}
