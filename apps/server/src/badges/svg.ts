import type { CheckBadgeState } from '@cronbeat/core';

/** Colours of the flat badge style most READMEs already show. */
export const BADGE_COLORS: Record<CheckBadgeState, string> = {
  up: '#4c1',
  late: '#dfb317',
  down: '#e05d44',
  maintenance: '#007ec6',
  none: '#9f9f9f',
  paused: '#9f9f9f',
  new: '#9f9f9f',
};

/** What the right half says. */
export const BADGE_MESSAGES: Record<CheckBadgeState, string> = {
  up: 'up',
  late: 'late',
  down: 'down',
  maintenance: 'maintenance',
  none: 'no checks',
  paused: 'paused',
  new: 'new',
};

/**
 * Width of `text` in 11px Verdana, near enough to size a badge: a browser
 * draws the text itself, so a pixel or two of slack is all an error costs.
 */
function textWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    if ("iljt.,:;'|!()[] ".includes(char)) width += 3.9;
    else if ('mwMW@%'.includes(char)) width += 10.5;
    else if (char >= 'A' && char <= 'Z') width += 7.5;
    else width += 6.6;
  }
  return Math.ceil(width);
}

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[char]!);

/** The longest label drawn; longer project names are cut with an ellipsis. */
const MAX_LABEL = 40;

/** A two-part badge: `label` on grey, the state's word on its colour. */
export function badgeSvg(label: string, state: CheckBadgeState): string {
  const shown = label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
  const message = BADGE_MESSAGES[state];
  const left = textWidth(shown) + 10;
  const right = textWidth(message) + 10;
  const total = left + right;
  const [labelText, messageText] = [escapeXml(shown), escapeXml(message)];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="20" role="img" aria-label="${labelText}: ${messageText}">
<title>${labelText}: ${messageText}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="${total}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="${left}" height="20" fill="#555"/><rect x="${left}" width="${right}" height="20" fill="${BADGE_COLORS[state]}"/><rect width="${total}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="${left / 2}" y="15" fill="#010101" fill-opacity=".3">${labelText}</text><text x="${left / 2}" y="14">${labelText}</text>
<text x="${left + right / 2}" y="15" fill="#010101" fill-opacity=".3">${messageText}</text><text x="${left + right / 2}" y="14">${messageText}</text>
</g>
</svg>
`;
}
