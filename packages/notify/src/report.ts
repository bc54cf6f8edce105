/**
 * What a summary report says, as a subject, plain text and HTML. Pure: a
 * function of the report alone.
 */
import type { ReportPeriod, Status } from '@cronbeat/core';
import { button, emailHtml, html, link, paragraph, statusBadge, statusBar, statusTone, subheading } from './email-layout';

export interface Report {
  period: ReportPeriod;
  start: Date;
  end: Date;
  /** The recipient's projects, each with its checks. */
  projects: Array<{ name: string; checks: Array<{ name: string; status: Status; downs: number }> }>;
  /** The dashboard, to link to; its account page is `<url>/account`. */
  url: string;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
// Periods run from 09:00 UTC to 09:00 UTC; a day of the calendar names each end.
const day = (date: Date) => date.toISOString().slice(0, 10);
const period = (report: Report) => `${day(report.start)} to ${day(report.end)}`;
const accountUrl = (report: Report) => `${report.url.replace(/\/+$/, '')}/account`;
const WHY = (report: Report) => `You get this email because you asked for a ${report.period} report on your Cronbeat account.`;

/** `2 of 14 checks down`, `all 14 checks fine` or `no checks yet`, and whether any is down. */
function reportState(report: Report): { state: string; down: boolean } {
  const checks = report.projects.flatMap((project) => project.checks);
  const down = checks.filter((check) => check.status === 'down').length;
  if (checks.length === 0) return { state: 'no checks yet', down: false };
  if (down > 0) return { state: `${down} of ${count(checks.length, 'check', 'checks')} down`, down: true };
  return { state: `all ${count(checks.length, 'check', 'checks')} fine`, down: false };
}

/** `Cronbeat weekly report: 2 of 14 checks down`, or `…: all 14 checks fine`. */
export const reportSubject = (report: Report): string => `Cronbeat ${report.period} report: ${reportState(report).state}`;

type ReportCheck = Report['projects'][number]['checks'][number];

/** How often a check went down in the period, in words. */
const downsPhrase = (check: ReportCheck) => (check.downs === 0 ? 'never down' : `down ${count(check.downs, 'time', 'times')}`);

/** One line per check: its status now, and how often it went down in the period. */
const checkLine = (check: ReportCheck) => `${check.status.toUpperCase().padEnd(7)} ${check.name} (${downsPhrase(check)})`;

export function reportText(report: Report): string {
  const lines = [reportSubject(report), period(report)];
  for (const project of report.projects) {
    lines.push('', project.name);
    if (project.checks.length === 0) lines.push('  no checks');
    for (const check of project.checks) lines.push(`  ${checkLine(check)}`);
  }
  lines.push(
    '',
    `Open Cronbeat: ${report.url}`,
    '',
    '-- ',
    WHY(report),
    `Change how often you get it, or stop it, on your account page: ${accountUrl(report)}`,
  );
  return lines.join('\n');
}

export function reportHtml(report: Report): string {
  const { state, down } = reportState(report);
  const projects = report.projects.map((project) => {
    const rows = project.checks.map(
      (check) =>
        html`<tr><td valign="top" style="width:72px;padding:6px 8px 6px 0;border-top:1px solid #e4e7ec;">${statusBadge(statusTone(check.status), check.status.toUpperCase())}</td><td style="padding:6px 8px 6px 0;border-top:1px solid #e4e7ec;word-break:break-word;">${check.name}</td><td align="right" style="padding:6px 0;border-top:1px solid #e4e7ec;color:#475467;white-space:nowrap;">${downsPhrase(check)}</td></tr>\n`,
    );
    return html`${subheading(project.name)}${
      rows.length
        ? html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 8px;border-collapse:collapse;">\n${rows}</table>`
        : paragraph('no checks')
    }`;
  });
  return emailHtml({
    title: reportSubject(report),
    preheader: `${state}, ${period(report)}`,
    body: html`${statusBar(down ? 'down' : report.projects.some((p) => p.checks.length) ? 'up' : 'neutral', down ? 'DOWN' : 'OK', state)}
${paragraph(`Your ${report.period} report, ${period(report)}.`)}
${projects}
${button(report.url, 'Open Cronbeat')}`,
    footer: html`${WHY(report)} Change how often you get it, or stop it, on ${link(accountUrl(report), 'your account page')}.`,
  });
}
