/**
 * The alert email: one HTML part in the shared layout and one plain-text
 * part, saying the same facts. Pure: a function of the alert alone.
 */
import {
  button,
  emailHtml,
  factsTable,
  heading,
  html,
  link,
  numberedList,
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
  quotedOutput,
} from './message';
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
  const { check } = alert;
  const lines = [alertSubject(alert), '', ...alertFacts(alert).map(([label, value]) => `${label}: ${value}`)];
  const runs = failedRunLines(alert);
  if (runs.length > 0) lines.push('', `${FAILED_RUNS_TITLE}:`, ...runs.map((run, i) => `${i + 1}. ${run}`));
  const output = quotedOutput(alert);
  if (output) lines.push('', 'Last output:', output);
  lines.push(
    '',
    `Open the check: ${check.url}`,
    '',
    '-- ',
    `${WHY} "${check.projectName}" in Cronbeat.`,
    `To change which channels alert for "${check.name}", edit it on its page: ${check.url}`,
  );
  return lines.join('\n');
}

export function alertHtml(alert: Alert): string {
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
${factsTable([...tags, ...alertDetails(alert)])}
${runs.length > 0 ? numberedList(FAILED_RUNS_TITLE, runs) : null}
${output ? preformatted('Last output', output) : null}
${button(check.url, 'Open the check in Cronbeat')}`,
    footer: html`${WHY} ${strong(check.projectName)} in Cronbeat. To change which channels alert for ${strong(check.name)}, edit it on ${link(check.url, 'its page')}.`,
  });
}
