import type { PublicStatusPage } from '@cronbeat/contract';

/** Markup built by `html`; only it is inserted unescaped. */
class SafeHtml {
  constructor(readonly text: string) {}
  toString() {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);

type Part = SafeHtml | string | number | readonly SafeHtml[];

/** A template whose every interpolated value is escaped, unless it is itself `html` (or a list of it): nothing typed by a user can become markup. */
function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const text = value instanceof SafeHtml ? value.text : Array.isArray(value) ? value.map(String).join('') : escapeHtml(String(value));
    out += text + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

const STATE_WORDS = {
  up: 'Operational',
  degraded: 'Degraded',
  down: 'Down',
  maintenance: 'Maintenance',
  paused: 'Paused',
  pending: 'Pending',
} as const;
const HEADLINES = {
  up: 'All systems operational',
  degraded: 'Some systems degraded',
  down: 'Some systems down',
  maintenance: 'Maintenance in progress',
} as const;

const percent = (share: number | null) => (share === null ? 'no data' : `${(Math.floor(share * 10_000) / 100).toFixed(2)} %`);

/** A bar cell's colour class (the CSP allows no inline styles, so shades are classes): full, a little down, much down, no data. */
function cellClass(share: number | null): string {
  if (share === null) return 'none';
  if (share >= 1) return 'full';
  if (share >= 0.95) return 'minor';
  return 'major';
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days ${hours % 24} h`;
}

const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/**
 * The public page as HTML: no script at all, styles from one file
 * (`/status/assets/page.css`), every user string escaped. Day cells carry
 * their numbers in `title` and in text for screen readers.
 */
export function statusPageHtml(page: PublicStatusPage, slug: string): string {
  const checks = page.checks.map(
    (check) => html`<li class="check">
  <div class="check-head"><span class="check-name">${check.name}</span><span class="state state-${check.state}">${STATE_WORDS[check.state]}</span></div>
  <ol class="bar" aria-label="${`Uptime per day, last ${check.days.length} days`}">${check.days.map(
    (day) =>
      html`<li class="cell cell-${cellClass(day.uptime)}" title="${`${day.date}: ${percent(day.uptime)}`}"><span class="sr">${day.date}: ${percent(day.uptime)}</span></li>`,
  )}</ol>
  <div class="check-foot"><span>${check.days.length} days</span><span>${check.uptime === null ? 'No data yet' : `${percent(check.uptime)} uptime`}</span><span>Today</span></div>
</li>`,
  );
  const incidents =
    page.incidents.length === 0
      ? html`<p>No incidents in the last 90 days.</p>`
      : html`<ul class="incidents">${page.incidents.map(
          (incident) =>
            html`<li><strong>${incident.check}</strong> down from <time datetime="${incident.start}">${utc(incident.start)}</time> ${
              incident.end === null ? html`— <em>ongoing</em>` : html`to <time datetime="${incident.end}">${utc(incident.end)}</time>`
            } (${duration(incident.durationSeconds)})</li>`,
        )}</ul>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} — status</title>
<link rel="stylesheet" href="/status/assets/page.css">
<link rel="alternate" type="application/json" href="${`/status/${slug}.json`}">
</head>
<body>
<main>
<h1>${page.title}</h1>
${page.description === '' ? '' : html`<p class="description">${page.description}</p>`}
<p class="overall state-${page.state}" role="status">${HEADLINES[page.state]}</p>
<h2>Checks</h2>
<ul class="checks">${checks}</ul>
<h2>Recent incidents</h2>
${incidents}
<footer>Updated <time datetime="${page.generatedAt}">${utc(page.generatedAt)}</time> · Powered by Cronbeat</footer>
</main>
</body>
</html>
`.text;
}

/** What a visitor of an unknown or deleted page's address sees: a page, not the API's JSON error. */
export const STATUS_PAGE_NOT_FOUND_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Status page not found</title>
<link rel="stylesheet" href="/status/assets/page.css">
</head>
<body>
<main>
<h1>Status page not found</h1>
<p>There is no status page at this address. It may have moved or been deleted.</p>
</main>
</body>
</html>
`;

/** The page's stylesheet, a file of its own because the Content-Security-Policy refuses inline styles. */
export const STATUS_PAGE_CSS = `*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1f2328;background:#f6f8fa}
main{max-width:56rem;margin:0 auto;padding:2rem 1rem}
h1{margin:0 0 .5rem}
h2{font-size:1.1rem;margin:2rem 0 .75rem}
.description{color:#4b535c}
.overall{padding:1rem;border-radius:.5rem;font-weight:600;color:#fff}
.overall.state-up{background:#1a7f37}.overall.state-degraded{background:#9a6700}
.overall.state-down{background:#cf222e}.overall.state-maintenance{background:#0550ae}
ul,ol{list-style:none;margin:0;padding:0}
.check{background:#fff;border:1px solid #d0d7de;border-radius:.5rem;padding:1rem;margin-bottom:.75rem}
.check-head,.check-foot{display:flex;justify-content:space-between;gap:1rem}
.check-name{font-weight:600}
.check-foot{font-size:.8rem;color:#4b535c}
.state{font-weight:600}
.check .state-up{color:#1a7f37}.check .state-degraded{color:#9a6700}.check .state-down{color:#cf222e}
.check .state-maintenance{color:#0550ae}.check .state-paused,.check .state-pending{color:#4b535c}
.bar{display:flex;gap:2px;height:2rem;margin:.5rem 0}
.cell{flex:1;border-radius:1px}
.cell-full{background:#2da44e}.cell-minor{background:#bf8700}.cell-major{background:#cf222e}.cell-none{background:#d0d7de}
.incidents li{padding:.5rem 0;border-bottom:1px solid #d0d7de}
footer{margin-top:2rem;font-size:.8rem;color:#4b535c}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
