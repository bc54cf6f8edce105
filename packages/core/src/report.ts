/**
 * When summary reports go out: weekly on Mondays, monthly on the 1st, at
 * 09:00 in the recipient's own time zone, each covering the week or month
 * that just ended there. Calendar days are counted on the local wall clock,
 * so a week across a DST change is 167 or 169 hours long and every report
 * still goes out at 09:00 local time.
 */
import { instantsOf, wallTimeOf } from './schedule/zone';

export const REPORT_PERIODS = ['weekly', 'monthly'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

/** Hour of the day, on the recipient's clock, reports are due. */
export const REPORT_HOUR = 9;

/** A calendar day on the local wall clock: `month` 0-11, `day` may overflow (Date.UTC normalises it). */
interface LocalDay {
  year: number;
  month: number;
  day: number;
}

/** The calendar day `instant` falls on in `zone`. */
function localDayOf(zone: string, instant: Date): LocalDay {
  const wall = new Date(wallTimeOf(zone, instant.getTime()));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth(), day: wall.getUTCDate() };
}

/**
 * 09:00 of a local day in `zone`, as an instant. Should the clocks ever jump
 * over 09:00 the report goes at the jump; should 09:00 happen twice, at the
 * first (no zone changes its clocks at that hour today, but some have).
 */
function reportHourOn(zone: string, { year, month, day }: LocalDay): Date {
  const resolved = instantsOf(zone, Date.UTC(year, month, day, REPORT_HOUR));
  if (resolved.kind === 'single') return new Date(resolved.at);
  return new Date(resolved.kind === 'repeated' ? resolved.first : resolved.jumpAt);
}

/** Day of the week of a local day: Sunday 0, Monday 1. */
const weekdayOf = ({ year, month, day }: LocalDay) => new Date(Date.UTC(year, month, day)).getUTCDay();

/**
 * The first time a `period` report is due strictly after `after`, for a
 * person in `zone` (an IANA name the runtime knows; default `UTC`).
 */
export function nextReportAt(period: ReportPeriod, after: Date, zone = 'UTC'): Date {
  const today = localDayOf(zone, after);
  if (period === 'weekly') {
    const monday = { ...today, day: today.day + ((8 - weekdayOf(today)) % 7) };
    const due = reportHourOn(zone, monday);
    return due > after ? due : reportHourOn(zone, { ...monday, day: monday.day + 7 });
  }
  const first = reportHourOn(zone, { ...today, day: 1 });
  return first > after ? first : reportHourOn(zone, { ...today, month: today.month + 1, day: 1 });
}

/**
 * The stretch a report due at `dueAt` covers, for a person in `zone`: from
 * 09:00 local on the Monday before (weekly) or the 1st of the month before
 * (monthly) up to `dueAt`.
 */
export function reportWindow(period: ReportPeriod, dueAt: Date, zone = 'UTC'): { start: Date; end: Date } {
  const dueDay = localDayOf(zone, dueAt);
  const startDay = period === 'weekly' ? { ...dueDay, day: dueDay.day - 7 } : { ...dueDay, month: dueDay.month - 1 };
  return { start: reportHourOn(zone, startDay), end: dueAt };
}

/** Checks a report lists per project, worst first; the rest are counted, so a project of thousands stays readable. */
export const REPORT_LIMITS = { checksPerProject: 50 } as const;

/** What ranks a check in a report. */
export interface PeriodFigures {
  name: string;
  /** Share of watched time not down (`uptimeShare`), 0 … 1; null when not watched in the period. */
  uptime: number | null;
  failures: number;
  downs: number;
}

/** Worst first: lowest uptime (checks not watched last), then most failed runs, then most times down, then by name. */
export function worstFirst<T extends PeriodFigures>(checks: readonly T[]): T[] {
  return [...checks].sort(
    (a, b) =>
      (a.uptime ?? 2) - (b.uptime ?? 2) || b.failures - a.failures || b.downs - a.downs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

/** A check that had nothing to report: never down, no failed run. */
const clean = (check: PeriodFigures) => (check.uptime === null || check.uptime === 1) && check.failures === 0 && check.downs === 0;

/**
 * The checks a report shows of one project: the `limit` worst, and of the
 * rest how many there are and whether all of them were clean (never down,
 * no failed run), so the email can say so instead of listing them.
 */
export function checksToShow<T extends PeriodFigures>(
  checks: readonly T[],
  limit: number = REPORT_LIMITS.checksPerProject,
): { shown: T[]; more: number; moreAllClean: boolean } {
  const ranked = worstFirst(checks);
  const rest = ranked.slice(limit);
  return { shown: ranked.slice(0, limit), more: rest.length, moreAllClean: rest.every(clean) };
}
