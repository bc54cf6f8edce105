import type { PublicStatusPage } from '@cronbeat/contract';
import { escapeHtml } from '@cronbeat/notify';
import Mustache from 'mustache';

/** HTML's five special characters, as the emails escape them; Mustache's own escape also rewrites `/`, `=` and backticks, which text needs no escaping of. */
const escapeValue = (value: unknown) => escapeHtml(String(value));

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
 * The public page, a Mustache template: `{{…}}` escapes for HTML, so no
 * string a user typed (title, description, public names) can become markup.
 * No script at all, styles from one file (`/status/assets/page.css`). Day
 * cells carry their numbers in `title` and in text for screen readers.
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} — status</title>
<link rel="stylesheet" href="/status/assets/page.css">
<link rel="alternate" type="application/json" href="/status/{{slug}}.json">
</head>
<body>
<main>
<h1>{{title}}</h1>
{{#description}}<p class="description">{{description}}</p>{{/description}}
<p class="overall state-{{state}}" role="status">{{headline}}</p>
<h2>Checks</h2>
<ul class="checks">{{#checks}}<li class="check">
  <div class="check-head"><span class="check-name">{{name}}</span><span class="state state-{{state}}">{{stateWord}}</span></div>
  <ol class="bar" aria-label="Uptime per day, last {{dayCount}} days">{{#days}}<li class="cell cell-{{cell}}" title="{{date}}: {{percent}}"><span class="sr">{{date}}: {{percent}}</span></li>{{/days}}</ol>
  <div class="check-foot"><span>{{dayCount}} days</span><span>{{uptime}}</span><span>Today</span></div>
</li>{{/checks}}</ul>
<h2>Recent incidents</h2>
{{^incidents.length}}<p>No incidents in the last 90 days.</p>{{/incidents.length}}
{{#incidents.length}}<ul class="incidents">{{#incidents}}<li><strong>{{check}}</strong> down from <time datetime="{{start}}">{{startShown}}</time> {{#end}}to <time datetime="{{end}}">{{endShown}}</time>{{/end}}{{^end}}— <em>ongoing</em>{{/end}} ({{duration}})</li>{{/incidents}}</ul>{{/incidents.length}}
<footer>Updated <time datetime="{{generatedAt}}">{{generatedShown}}</time> · Powered by Cronbeat</footer>
</main>
</body>
</html>
`;

export function statusPageHtml(page: PublicStatusPage, slug: string): string {
  return Mustache.render(
    PAGE,
    {
      slug,
      title: page.title,
      description: page.description,
      state: page.state,
      headline: HEADLINES[page.state],
      checks: page.checks.map((check) => ({
        name: check.name,
        state: check.state,
        stateWord: STATE_WORDS[check.state],
        dayCount: check.days.length,
        days: check.days.map((day) => ({ date: day.date, cell: cellClass(day.uptime), percent: percent(day.uptime) })),
        uptime: check.uptime === null ? 'No data yet' : `${percent(check.uptime)} uptime`,
      })),
      incidents: page.incidents.map((incident) => ({
        check: incident.check,
        start: incident.start,
        startShown: utc(incident.start),
        end: incident.end,
        endShown: incident.end === null ? null : utc(incident.end),
        duration: duration(incident.durationSeconds),
      })),
      generatedAt: page.generatedAt,
      generatedShown: utc(page.generatedAt),
    },
    {},
    { escape: escapeValue },
  );
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
