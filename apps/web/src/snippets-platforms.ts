import type { Snippet } from './snippets';

/** What the platform snippets need to know of the check and the server. */
export interface PlatformInput {
  /** The check's ping URL. */
  url: string;
  /** The Cronbeat server's own address, which serves /client/cronbeat.sh. */
  serverUrl: string;
  /** The check's name made safe for file, unit and resource names (a-z, 0-9, -). */
  name: string;
  /** The check's name as people read it. */
  title: string;
  /** Five-field crontab lines that run when the check expects a ping. */
  schedules: string[];
  /** Seconds between pings for a period check, else null. */
  period: number | null;
  tz: string;
  /** OnCalendar expressions, zoned, for a check that has them. */
  onCalendar: string[];
}

/** A double-quoted YAML (and JavaScript) string: JSON's escapes are both languages'. */
const quoted = (text: string) => JSON.stringify(text);

/** Where the snippets keep the runner once it is downloaded. */
const RUNNER = '/usr/local/bin/cronbeat.sh';

/**
 * The environment variable (and GitHub secret) the platform snippets read the
 * ping URL from: their code is committed, and whoever holds the URL can ping
 * the check, so the URL lives where the platform keeps settings.
 */
const PING_URL_VARIABLE = 'CRONBEAT_PING_URL';

/**
 * A Node function body that reports a job to Cronbeat as `cronbeat run`
 * does: a start ping with a run id, then success or fail (with the error) for
 * the same run. A ping that fails never fails the job; a missing URL is said
 * once, at start.
 */
function nodeWrapper(): string[] {
  return [
    `const PING_URL = process.env.${PING_URL_VARIABLE};`,
    `if (!PING_URL) console.warn("${PING_URL_VARIABLE} is not set: this job's runs are not reported to Cronbeat");`,
    'const ping = (suffix, body) =>',
    '  fetch(PING_URL + suffix, { method: body === undefined ? "GET" : "POST", body, signal: AbortSignal.timeout(10_000) }).catch(() => {});',
    '',
    'async function monitored(job) {',
    '  const rid = crypto.randomUUID();',
    '  await ping("/start?rid=" + rid);',
    '  try {',
    '    const result = await job();',
    '    await ping("?rid=" + rid);',
    '    return result;',
    '  } catch (error) {',
    '    await ping("/fail?rid=" + rid, String(error?.stack ?? error));',
    '    throw error;',
    '  }',
    '}',
  ];
}

/**
 * A name for each schedule line: the name alone for one line, numbered for
 * several (a period cron cannot say in one line, 90 minutes: two lines, each
 * its own scheduler job or timer, which together run every period).
 */
function namesPerLine(name: string, schedules: readonly string[]): string[] {
  return schedules.length === 1 ? [name] : schedules.map((_, i) => `${name}-${i + 1}`);
}

/** EventBridge's rate(): whole minutes, never longer than the period (90 s: 1 minute), and a singular unit for 1. */
function rateExpression(period: number): string {
  const minutes = Math.max(1, Math.floor(period / 60));
  return `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`;
}

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

/** A day of the week as cron writes it (0–7, 0 and 7 Sunday, or a name) as 0–6; null when it is neither. */
function dayIndex(text: string): number | null {
  if (/^[0-7]$/.test(text)) return Number(text) % 7;
  const named = DAY_NAMES.indexOf(text.toUpperCase() as (typeof DAY_NAMES)[number]);
  return named === -1 ? null : named;
}

/**
 * A crontab day-of-week field as AWS's day names (AWS numbers days 1–7 from
 * Sunday, crontab 0–7, so numbers would shift): each day listed, runs of
 * three or more as a range. Null for what it cannot read (L, #).
 */
function awsDays(field: string): string | null {
  const days = new Set<number>();
  for (const token of field.split(',')) {
    const parts = /^(\*|\w+)(?:-(\w+))?(?:\/(\d+))?$/.exec(token);
    if (!parts) return null;
    const [, from = '', to, step = '1'] = parts;
    const first = from === '*' ? 0 : dayIndex(from);
    // A range ending at 7 ends on Sunday, the week's last day.
    const last = from === '*' ? 6 : to === undefined ? (step === '1' ? first : 6) : to === '7' ? 7 : dayIndex(to);
    if (first === null || last === null || Number(step) < 1) return null;
    for (let day = first; day <= last; day += Number(step)) days.add(day % 7);
  }
  const sorted = [...days].sort((a, b) => a - b);
  const runs: number[][] = [];
  for (const day of sorted) {
    const run = runs.at(-1);
    if (run && run.at(-1) === day - 1) run.push(day);
    else runs.push([day]);
  }
  return runs
    .flatMap((run) => (run.length >= 3 ? [`${DAY_NAMES[run[0]!]}-${DAY_NAMES[run.at(-1)!]}`] : run.map((day) => DAY_NAMES[day]!)))
    .join(',');
}

/**
 * A five-field crontab line as EventBridge's six-field cron() (minute hour
 * day-of-month month day-of-week year), whose day fields cannot both be set:
 * one of them is `?`. A line with both runs on either day (crontab's rule),
 * so it becomes two schedules. Null for what cannot be said so: a nickname,
 * or syntax beyond lists, ranges and steps.
 */
export function eventBridgeCron(line: string): string[] | null {
  const fields = line.trim().split(/\s+/);
  if (fields.length !== 5) return null;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  if (![minute, hour, dayOfMonth].every((field) => /^[\d*,/-]+$/.test(field)) || !/^[\w*,/-]+$/.test(month)) return null;
  // AWS documents steps from a start (0/15); a crontab step from * starts at the field's first value.
  const from = (field: string, first: number) => field.replace(/^\*\//, `${first}/`);
  const weekdays = dayOfWeek === '*' ? '?' : awsDays(dayOfWeek);
  if (weekdays === null) return null;
  const time = `${from(minute, 0)} ${from(hour, 0)}`;
  const byDay = `cron(${time} ${from(dayOfMonth, 1)} ${from(month, 1)} ? *)`;
  const byWeekday = `cron(${time} ? ${from(month, 1)} ${weekdays} *)`;
  if (dayOfWeek === '*') return [byDay];
  return dayOfMonth === '*' ? [byWeekday] : [byDay, byWeekday];
}

function lambda({ name, period, schedules, tz }: PlatformInput): Snippet {
  const expressions = period ? [rateExpression(period)] : schedules.flatMap((line) => eventBridgeCron(line) ?? ['cron(…)']);
  const names = namesPerLine(name, expressions);
  const unsaid = period ? [] : schedules.filter((line) => eventBridgeCron(line) === null);
  return {
    id: 'lambda',
    label: 'AWS Lambda',
    code: [
      `// index.mjs (Node.js 20 or later). Schedule: EventBridge Scheduler${period ? '' : `, in the check's zone ${tz}`}:`,
      ...unsaid.map((line) => `//   EventBridge cron() cannot say "${line}": write its cron(…) by hand.`),
      ...expressions.flatMap((expression, i) => [
        `//   aws scheduler create-schedule --name ${names[i]} --schedule-expression "${expression}" \\`,
        `//     ${period ? '' : `--schedule-expression-timezone ${tz} `}--flexible-time-window Mode=OFF --target Arn=<function ARN>,RoleArn=<role ARN>`,
      ]),
      `// The function's environment variable ${PING_URL_VARIABLE} holds this check's ping URL (Configuration › Environment variables).`,
      ...nodeWrapper(),
      '',
      'export const handler = (event) => monitored(() => runJob(event)); // runJob: your job',
    ].join('\n'),
  };
}

function cloudRun({ serverUrl, name, schedules, tz }: PlatformInput): Snippet {
  const jobs = namesPerLine(name, schedules);
  return {
    id: 'cloud-run',
    label: 'Cloud Run job',
    code: [
      '# Dockerfile of the job: the sh runner baked in, no Node needed (the image needs sh and curl or wget)',
      `ADD --chmod=755 ${serverUrl}/client/cronbeat.sh ${RUNNER}`,
      `# The ping URL comes from the job's environment (${PING_URL_VARIABLE}), not the image; CMD is the job.`,
      `ENTRYPOINT ["sh", "-c", ${quoted(`exec sh ${RUNNER} run "$${PING_URL_VARIABLE}" -- "$@"`)}, "cronbeat"]`,
      'CMD ["/path/to/job.sh"]',
      '',
      "# Once: this check's ping URL into the job's environment",
      `gcloud run jobs update ${name} --region=REGION --update-env-vars=${PING_URL_VARIABLE}=<ping URL>`,
      '',
      jobs.length === 1
        ? "# Run it on the check's schedule with Cloud Scheduler:"
        : `# Run it on the check's schedule with Cloud Scheduler: ${jobs.length} jobs, as one crontab line cannot say it:`,
      ...schedules.flatMap((schedule, i) => [
        `gcloud scheduler jobs create http ${jobs[i]} --location=REGION \\`,
        `  --schedule=${quoted(schedule)} --time-zone=${quoted(tz)} \\`,
        `  --uri="https://run.googleapis.com/v2/projects/PROJECT/locations/REGION/jobs/${name}:run" --http-method=POST \\`,
        '  --oauth-service-account-email=SCHEDULER_ACCOUNT@PROJECT.iam.gserviceaccount.com',
      ]),
    ].join('\n'),
  };
}

function azureFunctions({ name, schedules, tz }: PlatformInput): Snippet {
  const timers = namesPerLine(name, schedules);
  return {
    id: 'azure',
    label: 'Azure Functions',
    code: [
      `// src/functions/${name}.js (Node.js programming model v4). The schedule is NCRONTAB, seconds first;`,
      `// the app setting WEBSITE_TIME_ZONE=${tz} makes it the check's zone, and ${PING_URL_VARIABLE} holds this check's ping URL`,
      `// (Settings › Environment variables, or az functionapp config appsettings set --settings ${PING_URL_VARIABLE}=…).`,
      "const { app } = require('@azure/functions');",
      ...nodeWrapper(),
      '',
      ...(timers.length === 1 ? [] : [`// ${timers.length} timers, as one schedule line cannot say the check's period:`]),
      ...schedules.flatMap((schedule, i) => [
        `app.timer(${quoted(timers[i]!)}, {`,
        `  schedule: ${quoted(`0 ${schedule}`)},`,
        '  handler: (timer, context) => monitored(() => runJob(context)), // runJob: your job',
        '});',
      ]),
    ].join('\n'),
  };
}

function githubActions({ serverUrl, title, schedules, tz }: PlatformInput): Snippet {
  const utc = tz === 'UTC' || tz === 'Etc/UTC';
  return {
    id: 'github-actions',
    label: 'GitHub Actions',
    code: [
      `# .github/workflows/cronbeat-job.yml. The runner is committed with the workflow, so a run never waits on a download:`,
      `#   curl -fsS -o .github/cronbeat.sh ${serverUrl}/client/cronbeat.sh`,
      `# This check's ping URL is the repository secret ${PING_URL_VARIABLE} (Settings › Secrets and variables › Actions,`,
      `# or: gh secret set ${PING_URL_VARIABLE}), so the workflow holds none.`,
      ...(utc ? [] : [`# GitHub runs schedules in UTC: this check expects them in ${tz}; shift the hours below to match.`]),
      `name: ${quoted(title)}`,
      'on:',
      '  schedule:',
      ...schedules.map((schedule) => `    - cron: ${quoted(schedule)}`),
      '  workflow_dispatch:',
      'jobs:',
      '  job:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      `      - run: sh .github/cronbeat.sh run "$${PING_URL_VARIABLE}" -- ./path/to/job.sh`,
      '        env:',
      `          ${PING_URL_VARIABLE}: \${{ secrets.${PING_URL_VARIABLE} }}`,
    ].join('\n'),
  };
}

/**
 * systemd units that run the job through the sh runner, on the check's
 * OnCalendar times or every period (none for a cron check: its crontab lines
 * say it). `OnFailure=` reports what the runner cannot: the unit killed or
 * timed out under it. `$` is doubled, as systemd expands `$NAME`.
 */
function systemdWithRunner({ url, name, period, onCalendar }: PlatformInput): Snippet | null {
  if (onCalendar.length === 0 && !period) return null;
  const timer =
    onCalendar.length > 0 ? onCalendar.map((line) => `OnCalendar=${line}`) : [`OnActiveSec=${period}s`, `OnUnitActiveSec=${period}s`];
  const unitUrl = url.replaceAll('$', '$$$$').replaceAll('%', '%%');
  return {
    id: 'systemd-runner',
    label: 'systemd + OnFailure',
    code: [
      `# /etc/systemd/system/${name}.service (the runner once: curl -fsS -o ${RUNNER} <this server>/client/cronbeat.sh)`,
      '[Unit]',
      `OnFailure=${name}-failed.service`,
      '',
      '[Service]',
      'Type=oneshot',
      `ExecStart=/bin/sh ${RUNNER} run ${unitUrl} -- /path/to/job.sh`,
      '',
      `# /etc/systemd/system/${name}-failed.service (reports what the runner could not: the unit killed or timed out)`,
      '[Service]',
      'Type=oneshot',
      `ExecStart=/bin/sh ${RUNNER} ping ${unitUrl} fail`,
      '',
      `# /etc/systemd/system/${name}.timer (then: systemctl enable --now ${name}.timer)`,
      '[Timer]',
      ...timer,
      'Persistent=true',
      '',
      '[Install]',
      'WantedBy=timers.target',
    ].join('\n'),
  };
}

/**
 * The new platforms and systemd with OnFailure=, for the check page's tabs. A check on an OnCalendar schedule
 * gets systemd's only: the other platforms take crontab lines or rates, which cannot say every OnCalendar
 * schedule, and a guessed one would run the job at times the check does not expect.
 */
export function platformSnippets(input: PlatformInput): Snippet[] {
  const systemd = systemdWithRunner(input);
  const byCrontab = input.onCalendar.length > 0 ? [] : [lambda(input), cloudRun(input), azureFunctions(input), githubActions(input)];
  return [...byCrontab, ...(systemd ? [systemd] : [])];
}

export { RUNNER as RUNNER_PATH };
