/**
 * What a summary report says, as a subject, plain text and HTML. Pure: a
 * function of the report alone. Each project lists its worst checks first
 * (the caller ranks and bounds them) with the period's figures: uptime,
 * times down, runs and failed runs, median and 95th percentile duration and
 * the slowest run; times are on the recipient's clocks, their zone named.
 */
import type { ReportPeriod, Status } from '@cronbeat/core';
import { button, emailHtml, html, link, paragraph, statusBadge, statusBar, statusTone, subheading } from './email-layout';
import { formatRunDuration } from './runs';
import { formatClock, knownZone } from './when';

/** One check over the period. */
export interface ReportCheck {
  name: string;
  /** Its status now. */
  status: Status;
  /** Share of watched time not down, 0 … 1; null when it was not watched (new or paused all along). */
  uptime: number | null;
  downs: number;
  runs: number;
  failures: number;
  p50Ms: number | null;
  p95Ms: number | null;
  slowest: { durationMs: number; at: Date } | null;
  /** Set when older pings were pruned: runs are counted from this time only. */
  countedFrom: Date | null;
}

export interface ReportProject {
  name: string;
  /** The checks shown, worst first. */
  checks: ReportCheck[];
  /** Checks left out (they did no worse than those shown), and whether all of them were never down and never failed. */
  more: number;
  moreAllClean: boolean;
  /** All its checks, and how many of them are down now, shown or not. */
  total: number;
  downNow: number;
}

export interface Report {
  period: ReportPeriod;
  start: Date;
  end: Date;
  /** The recipient's IANA zone: the period runs from 09:00 to 09:00 there. */
  timeZone: string;
  projects: ReportProject[];
  /** The dashboard, to link to; its account page is `<url>/account`. */
  url: string;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
/** `2026-11-30`: a calendar day on the recipient's clocks. */
const day = (date: Date, zone: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(date);
const period = (report: Report) => {
  const zone = knownZone(report.timeZone);
  return `${day(report.start, zone)} to ${day(report.end, zone)} (09:00 ${zone})`;
};
const accountUrl = (report: Report) => `${report.url.replace(/\/+$/, '')}/account`;
const WHY = (report: Report) => `You get this email because you asked for a ${report.period} report on your Cronbeat account.`;

/** `2 of 14 checks down`, `all 14 checks fine` or `no checks yet`, and whether any is down. */
function reportState(report: Report): { state: string; down: boolean } {
  const total = report.projects.reduce((sum, project) => sum + project.total, 0);
  const down = report.projects.reduce((sum, project) => sum + project.downNow, 0);
  if (total === 0) return { state: 'no checks yet', down: false };
  if (down > 0) return { state: `${down} of ${count(total, 'check', 'checks')} down`, down: true };
  return { state: `all ${count(total, 'check', 'checks')} fine`, down: false };
}

/** `Cronbeat weekly report: 2 of 14 checks down`, or `…: all 14 checks fine`. */
export const reportSubject = (report: Report): string => `Cronbeat ${report.period} report: ${reportState(report).state}`;

/**
 * `99.95% up`, rounded down to hundredths of a percent so that any time down
 * never reads as 100%; `not watched` for a check that was new or paused all
 * along.
 */
export function uptimePhrase(uptime: number | null): string {
  if (uptime === null) return 'not watched';
  return `${Number((basisPointsDown(uptime) / 100).toFixed(2))}% up`;
}

/**
 * The largest whole number of basis points (1/10,000) not above `share`.
 * `Math.floor(share * 10_000)` alone is off by one where the product rounds
 * below a whole number (0.57 × 10,000 is 5699.999…), so the neighbours are
 * compared as quotients, which round like the share itself: 0.57 gives 5700,
 * anything below 1 stays below 10,000.
 */
function basisPointsDown(share: number): number {
  let points = Math.floor(share * 10_000);
  if ((points + 1) / 10_000 <= share) points += 1;
  else if (points / 10_000 > share) points -= 1;
  return points;
}

/** How often a check went down in the period, in words. */
const downsPhrase = (check: ReportCheck) => (check.downs === 0 ? 'never down' : `down ${count(check.downs, 'time', 'times')}`);

/** `12 runs, 3 failed · p50 4.2 s · p95 9 s · slowest 12 s (Thu 3 Dec, 02:30)`: the runs of the period. */
function runsPhrase(check: ReportCheck, report: Report): string {
  const zone = knownZone(report.timeZone);
  if (check.runs === 0) return check.countedFrom ? `no runs since ${formatClock(check.countedFrom, zone, report.end)}` : 'no runs';
  const parts = [`${count(check.runs, 'run', 'runs')}, ${check.failures} failed`];
  if (check.p50Ms !== null) parts.push(`p50 ${formatRunDuration(check.p50Ms)}`);
  if (check.p95Ms !== null) parts.push(`p95 ${formatRunDuration(check.p95Ms)}`);
  if (check.slowest)
    parts.push(`slowest ${formatRunDuration(check.slowest.durationMs)} (${formatClock(check.slowest.at, zone, report.end)})`);
  if (check.countedFrom) parts.push(`counted since ${formatClock(check.countedFrom, zone, report.end)}, older pings pruned`);
  return parts.join(' · ');
}

/** What the checks left out were like. */
const morePhrase = (project: ReportProject) =>
  project.moreAllClean
    ? `…and ${count(project.more, 'more check', 'more checks')}, all 100% up with no failed runs.`
    : `…and ${count(project.more, 'more check', 'more checks')}, none doing worse than those above.`;

export function reportText(report: Report): string {
  const lines = [reportSubject(report), period(report)];
  for (const project of report.projects) {
    lines.push('', project.name);
    if (project.total === 0) lines.push('  no checks');
    for (const check of project.checks) {
      lines.push(
        `  ${check.status.toUpperCase().padEnd(7)} ${check.name}`,
        `          ${uptimePhrase(check.uptime)}, ${downsPhrase(check)} · ${runsPhrase(check, report)}`,
      );
    }
    if (project.more > 0) lines.push(`  ${morePhrase(project)}`);
  }
  lines.push(
    '',
    `Open Cronbeat: ${report.url}`,
    '',
    '-- ',
    WHY(report),
    `Change how often you get it, your time zone, or stop it, on your account page: ${accountUrl(report)}`,
  );
  return lines.join('\n');
}

const CELL = 'padding:6px 8px 6px 0;border-top:1px solid #e4e7ec;';

/** A check's row: its status, its name with the run figures under it, and its uptime. */
const checkRow = (check: ReportCheck, report: Report) =>
  html`<tr><td valign="top" style="width:72px;${CELL}">${statusBadge(statusTone(check.status), check.status.toUpperCase())}</td><td style="${CELL}word-break:break-word;">${check.name}<div style="font-size:13px;color:#475467;">${downsPhrase(check)} · ${runsPhrase(check, report)}</div></td><td align="right" valign="top" style="padding:6px 0;border-top:1px solid #e4e7ec;font-weight:600;white-space:nowrap;">${uptimePhrase(check.uptime)}</td></tr>\n`;

export function reportHtml(report: Report): string {
  const { state, down } = reportState(report);
  const projects = report.projects.map((project) => {
    const rows = project.checks.map((check) => checkRow(check, report));
    const more = project.more > 0 ? paragraph(morePhrase(project)) : null;
    return html`${subheading(project.name)}${
      project.total > 0
        ? html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 8px;border-collapse:collapse;">\n${rows}</table>${more}`
        : paragraph('no checks')
    }`;
  });
  const tone = down ? 'down' : report.projects.some((p) => p.total > 0) ? 'up' : 'neutral';
  return emailHtml({
    title: reportSubject(report),
    preheader: `${state}, ${period(report)}`,
    body: html`${statusBar(tone, down ? 'DOWN' : 'OK', state)}
${paragraph(`Your ${report.period} report, ${period(report)}. Worst checks first.`)}
${projects}
${button(report.url, 'Open Cronbeat')}`,
    footer: html`${WHY(report)} Change how often you get it, your time zone, or stop it, on ${link(accountUrl(report), 'your account page')}.`,
  });
}
