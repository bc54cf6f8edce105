/**
 * The alert email: one HTML part in the shared layout and one plain-text
 * part, saying the same facts. Pure: a function of the alert alone.
 */
import {
  button,
  emailHtml,
  factsTable,
  type Html,
  heading,
  html,
  link,
  numberedList,
  paragraph,
  preformatted,
  statusBar,
  statusTone,
  strong,
} from './email-layout';
import {
  alertDetail,
  alertDetails,
  alertEvent,
  alertFacts,
  alertSubject,
  alertTime,
  alertWord,
  FAILED_RUNS_TITLE,
  failedRunLines,
  isGrouped,
  quotedOutput,
} from './message';
import { alertNotes, dependentsNote, groupIntro, groupLines, groupLineText, HELD_TITLE, heldPhrase } from './notes';
import type { Alert } from './types';

/** `Failed, exit status 3`, `Back up after being down for 3 h`: the status line's words. */
function headline(alert: Alert): string {
  const detail = alertDetail(alert) ?? '';
  if (alertEvent(alert) === 'up') return detail ? `Back up after being ${detail}` : 'Back up';
  return `${detail.charAt(0).toUpperCase()}${detail.slice(1)}`;
}

/** What the plain-text footer and the HTML footer both say. */
const WHY = 'You get this email because this address is on an email channel of the project';

export function alertText(alert: Alert): string {
  if (isGrouped(alert)) return groupText(alert);
  const { check } = alert;
  const notes = alertNotes(alert);
  const lines = [
    alertSubject(alert),
    '',
    ...(notes.length > 0 ? [...notes, ''] : []),
    ...alertFacts(alert).map(([label, value]) => `${label}: ${value}`),
  ];
  const runs = failedRunLines(alert);
  if (runs.length > 0) lines.push('', `${FAILED_RUNS_TITLE}:`, ...runs.map((run, i) => `${i + 1}. ${run}`));
  const output = quotedOutput(alert);
  if (output) lines.push('', 'Last output:', output);
  lines.push('', `Open the check: ${check.url}`, '', ...footerText(alert));
  lines.push(`To change which channels alert for "${check.name}", edit it on its page: ${check.url}`);
  return lines.join('\n');
}

const footerText = (alert: Alert) => ['-- ', `${WHY} "${alert.check.projectName}" in Cronbeat.`];

/** A grouped alert: each check of the group with why and when it went down, and its link. */
function groupText(alert: Alert): string {
  const items = groupLines(alert).flatMap((line, i) => [`${i + 1}. ${groupLineText(line)}`, `   ${line.url}`]);
  const lines = [alertSubject(alert), '', groupIntro(alert), '', ...items];
  lines.push('', ...footerText(alert), 'To change which channels alert for a check, edit it on its page.');
  return lines.join('\n');
}

/** Why the alert comes late, and the dependents down, each dependent linked to its page. */
function notesHtml(alert: Alert): Html | null {
  const held = heldPhrase(alert);
  const dependents = dependentsNote(alert);
  if (!held && !dependents) return null;
  const names = dependents?.dependents.map((dependent, i) => html`${i > 0 ? ', ' : ''}${link(dependent.url, dependent.name)}`);
  return html`${held ? paragraph(html`${strong(HELD_TITLE)}: ${held}`) : null}${dependents ? paragraph(html`${strong(dependents.title)}: ${names}`) : null}`;
}

export function alertHtml(alert: Alert): string {
  if (isGrouped(alert)) return groupHtml(alert);
  const { check, flip } = alert;
  const output = quotedOutput(alert);
  const runs = failedRunLines(alert);
  const since = html`Project ${strong(check.projectName)} · ${flip.to} since ${alertTime(alert, flip.at)}`;
  const tags: Array<[string, string]> = check.tags?.length ? [['Tags', check.tags.join(', ')]] : [];
  return emailHtml({
    title: alertSubject(alert),
    preheader: `${check.name} (${check.projectName}): ${alertWord(alert)}, ${headline(alert)}`,
    body: html`${statusBar(statusTone(flip.to), alertWord(alert), headline(alert))}
${heading(check.name, since)}
${notesHtml(alert)}
${factsTable([...tags, ...alertDetails(alert)])}
${runs.length > 0 ? numberedList(FAILED_RUNS_TITLE, runs) : null}
${output ? preformatted('Last output', output) : null}
${button(check.url, 'Open the check in Cronbeat')}`,
    footer: html`${WHY} ${strong(check.projectName)} in Cronbeat. To change which channels alert for ${strong(check.name)}, edit it on ${link(check.url, 'its page')}.`,
  });
}

/** A grouped alert in HTML: one numbered item per check, its name linked to its page. */
function groupHtml(alert: Alert): string {
  const { check } = alert;
  const lines = groupLines(alert);
  const items = lines.map(
    (line) =>
      html`<li style="margin:0 0 8px;word-break:break-word;">${link(line.url, line.name)}: ${line.reason}<br>down since ${line.at}${line.dependents ? html`<br>${line.dependents}` : null}</li>\n`,
  );
  return emailHtml({
    title: alertSubject(alert),
    preheader: groupIntro(alert),
    body: html`${statusBar('down', 'DOWN', `${lines.length} checks went down together`)}
${heading(`${lines.length} checks in ${check.projectName}`)}
<ol style="margin:0 0 16px;padding-left:24px;">
${items}</ol>`,
    footer: html`${WHY} ${strong(check.projectName)} in Cronbeat. To change which channels alert for a check, edit it on its page.`,
  });
}
