/**
 * The one HTML layout of every Cronbeat email, and the pieces its bodies are
 * made of. Mail clients drop `<style>` in places and ignore most of CSS, so
 * everything that matters is inline on a table ~600 px wide; the one
 * `<style>` only tightens it on narrow screens where it is honoured.
 *
 * Markup is `Html`; anything else put into it through `html` is escaped, so
 * a check name, a project name or a job's output cannot become markup.
 */
import { Status } from '@cronbeat/core';

/** Text made safe to put into HTML, in element content and in quoted attributes. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Markup that is already safe: made only by `html` and the pieces below. */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

type Piece = Html | string | number | null | undefined | false | readonly Piece[];

const render = (piece: Piece): string => {
  if (piece === null || piece === undefined || piece === false) return '';
  if (piece instanceof Html) return piece.markup;
  if (Array.isArray(piece)) return piece.map(render).join('');
  return escapeHtml(String(piece));
};

/** A template whose every interpolated value is escaped unless it is `Html`; arrays are joined, null and false are left out. */
export function html(strings: TemplateStringsArray, ...pieces: Piece[]): Html {
  let markup = strings[0] ?? '';
  pieces.forEach((piece, i) => {
    markup += render(piece) + (strings[i + 1] ?? '');
  });
  return new Html(markup);
}

/** Colours of a status; the status word is always written beside them, so colour is never the only signal. */
export const TONES = {
  down: { strong: '#b42318', tint: '#fef3f2' },
  up: { strong: '#067647', tint: '#ecfdf3' },
  late: { strong: '#b54708', tint: '#fffaeb' },
  neutral: { strong: '#475467', tint: '#f2f4f7' },
} as const;
export type Tone = keyof typeof TONES;

/** The colour of a check's status. */
export function statusTone(status: Status): Tone {
  if (status === Status.down) return 'down';
  if (status === Status.up) return 'up';
  if (status === Status.late) return 'late';
  return 'neutral';
}

// Unquoted family names: these land inside double-quoted style attributes, escaped like any other value.
const FONT = '-apple-system, BlinkMacSystemFont, Segoe UI, Roboto, Helvetica, Arial, sans-serif';
const MONO = 'ui-monospace, SFMono-Regular, Menlo, Consolas, Liberation Mono, monospace';
const TEXT = '#101828';
const MUTED = '#475467';
const LINE = '#e4e7ec';
const LINK = '#175cd3';

const NARROW_SCREENS = `@media only screen and (max-width: 620px) {
  .cb-card { width: 100% !important; border-radius: 0 !important; }
  .cb-pad { padding: 16px !important; }
  .cb-facts th, .cb-facts td { display: block !important; width: auto !important; padding: 0 0 2px !important; }
  .cb-facts td { padding-bottom: 10px !important; border-top: 0 !important; }
}`;

export interface EmailDocument {
  /** The document's title: the subject. */
  title: string;
  /** The line mail clients show beside the subject in the inbox; plain text. */
  preheader: string;
  body: Html;
  /** Why they got this email and where to change that. */
  footer: Html;
}

/** The whole HTML part: header with the product name, the body, the footer. */
export function emailHtml(email: EmailDocument): string {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="x-apple-disable-message-reformatting">
<title>${email.title}</title>
<style>${new Html(NARROW_SCREENS)}</style>
</head>
<body style="margin:0;padding:0;background:#f2f4f7;">
<div style="display:none;max-height:0;overflow:hidden;opacity:0;">${email.preheader}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f2f4f7;">
<tr><td align="center" style="padding:24px 8px;">
<table role="presentation" class="cb-card" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background:#ffffff;border:1px solid ${LINE};border-radius:8px;font-family:${FONT};font-size:15px;line-height:1.5;color:${TEXT};">
<tr><td class="cb-pad" style="padding:16px 24px;border-bottom:1px solid ${LINE};font-size:17px;font-weight:700;letter-spacing:0.2px;color:${TEXT};">Cronbeat</td></tr>
<tr><td class="cb-pad" style="padding:24px;">
${email.body}
</td></tr>
<tr><td class="cb-pad" style="padding:16px 24px;border-top:1px solid ${LINE};font-size:12px;line-height:1.5;color:${MUTED};">${email.footer}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`.markup;
}

/** The status word on its colour, e.g. DOWN in white on red. */
export const statusBadge = (tone: Tone, word: string): Html =>
  html`<span style="display:inline-block;padding:2px 8px;border-radius:4px;background:${TONES[tone].strong};color:#ffffff;font-size:12px;font-weight:700;letter-spacing:0.5px;">${word}</span>`;

/** The first thing a reader sees: the status word and what happened, on the status's tint. */
export const statusBar = (tone: Tone, word: string, detail: string): Html =>
  html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px;background:${TONES[tone].tint};border-left:4px solid ${TONES[tone].strong};">
<tr><td style="padding:12px 16px;">${statusBadge(tone, word)}<span style="padding-left:8px;font-weight:600;color:${TONES[tone].strong};">${detail}</span></td></tr>
</table>`;

/** A title and, under it, a muted line. */
export const heading = (title: string, subtitle?: Html | string): Html =>
  html`<h1 style="margin:0 0 4px;font-size:20px;line-height:1.3;font-weight:700;color:${TEXT};word-break:break-word;">${title}</h1>${subtitle ? html`<p style="margin:0 0 16px;color:${MUTED};">${subtitle}</p>` : null}`;

export const subheading = (title: string): Html =>
  html`<h2 style="margin:20px 0 8px;font-size:16px;line-height:1.3;font-weight:700;color:${TEXT};word-break:break-word;">${title}</h2>`;

export const paragraph = (content: Html | string): Html => html`<p style="margin:0 0 12px;">${content}</p>`;

export const strong = (text: string): Html => html`<strong>${text}</strong>`;

export const link = (url: string, text: string): Html =>
  isWebUrl(url) ? html`<a href="${url}" style="color:${LINK};">${text}</a>` : html`${text}`;

/** Label and value rows; on narrow screens each label sits above its value. */
export const factsTable = (facts: ReadonlyArray<readonly [label: string, value: string]>): Html =>
  html`<table role="presentation" class="cb-facts" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px;border-collapse:collapse;">
${facts.map(
  ([label, value]) =>
    html`<tr><th align="left" valign="top" style="width:140px;padding:6px 12px 6px 0;border-top:1px solid ${LINE};font-weight:600;color:${MUTED};">${label}</th><td style="padding:6px 0;border-top:1px solid ${LINE};word-break:break-word;">${value}</td></tr>\n`,
)}</table>`;

/** Text as written (a job's output), in a box that scrolls rather than widening the email. */
export const preformatted = (label: string, text: string): Html =>
  html`<p style="margin:0 0 4px;font-weight:600;color:${MUTED};">${label}</p>
<pre style="margin:0 0 16px;padding:12px;background:#f9fafb;border:1px solid ${LINE};border-radius:4px;font-family:${MONO};font-size:13px;line-height:1.4;white-space:pre-wrap;word-break:break-word;overflow-x:auto;">${text}</pre>`;

/** A titled list of lines in order, e.g. the failed runs that took a check down. */
export const numberedList = (label: string, items: readonly string[]): Html =>
  html`<p style="margin:0 0 4px;font-weight:600;color:${MUTED};">${label}</p>
<ol style="margin:0 0 16px;padding-left:24px;">
${items.map((item) => html`<li style="margin:0 0 4px;word-break:break-word;">${item}</li>\n`)}</ol>`;

/** A link that looks like a button, in table cells because Outlook ignores padding on links. */
export const button = (url: string, label: string): Html =>
  isWebUrl(url)
    ? html`<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:12px 0 16px;">
<tr><td style="border-radius:6px;background:${LINK};"><a href="${url}" style="display:inline-block;padding:10px 20px;border-radius:6px;color:#ffffff;font-weight:700;text-decoration:none;">${label}</a></td></tr>
</table>`
    : html``;

/** Only http(s) links are made clickable: no other scheme belongs in our emails. */
const isWebUrl = (url: string) => /^https?:\/\//i.test(url);
