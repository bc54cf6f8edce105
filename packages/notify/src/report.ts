/**
 * What a summary report says, as a subject, plain text and HTML. Pure: a
 * function of the report alone.
 */
import type { ReportPeriod, Status } from '@cronbeat/core';
import { escapeHtml } from './message';

export interface Report {
  period: ReportPeriod;
  start: Date;
  end: Date;
  /** The recipient's projects, each with its checks. */
  projects: Array<{ name: string; checks: Array<{ name: string; status: Status; downs: number }> }>;
  /** The dashboard, to link to. */
  url: string;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const day = (date: Date) => date.toISOString().slice(0, 10);

/** `Cronbeat weekly report: 2 of 14 checks down`, or `…: all 14 checks fine`. */
export function reportSubject(report: Report): string {
  const checks = report.projects.flatMap((project) => project.checks);
  const down = checks.filter((check) => check.status === 'down').length;
  const state =
    checks.length === 0
      ? 'no checks yet'
      : down > 0
        ? `${down} of ${count(checks.length, 'check', 'checks')} down`
        : `all ${count(checks.length, 'check', 'checks')} fine`;
  return `Cronbeat ${report.period} report: ${state}`;
}

type ReportCheck = Report['projects'][number]['checks'][number];

/** How often a check went down in the period, in words. */
const downsPhrase = (check: ReportCheck) => (check.downs === 0 ? 'never down' : `down ${count(check.downs, 'time', 'times')}`);

/** One line per check: its status now, and how often it went down in the period. */
const checkLine = (check: ReportCheck) => `${check.status.toUpperCase().padEnd(7)} ${check.name} (${downsPhrase(check)})`;

export function reportText(report: Report): string {
  const lines = [reportSubject(report), `${day(report.start)} to ${day(report.end)}`];
  for (const project of report.projects) {
    lines.push('', project.name);
    if (project.checks.length === 0) lines.push('  no checks');
    for (const check of project.checks) lines.push(`  ${checkLine(check)}`);
  }
  lines.push('', report.url, '', 'Change how often you get this on your account page in Cronbeat.');
  return lines.join('\n');
}

export function reportHtml(report: Report): string {
  const projects = report.projects.map((project) => {
    const rows = project.checks
      .map(
        (check) =>
          `<tr><td>${escapeHtml(check.status.toUpperCase())}</td><td>${escapeHtml(check.name)}</td><td>${downsPhrase(check)}</td></tr>`,
      )
      .join('');
    return `<h3>${escapeHtml(project.name)}</h3>${rows ? `<table>${rows}</table>` : '<p>no checks</p>'}`;
  });
  return [
    `<h2>${escapeHtml(reportSubject(report))}</h2>`,
    `<p>${day(report.start)} to ${day(report.end)}</p>`,
    ...projects,
    `<p><a href="${escapeHtml(report.url)}">Open Cronbeat</a>. Change how often you get this on your account page.</p>`,
  ].join('\n');
}
