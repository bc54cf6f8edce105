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
 * A Node function body that reports a job to Cronbeat as `cronbeat run`
 * does: a start ping with a run id, then success or fail (with the error) for
 * the same run. A ping that fails never fails the job.
 */
function nodeWrapper(url: string): string[] {
  return [
    `const PING_URL = ${quoted(url)};`,
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

function lambda({ url, name, period, schedules, tz }: PlatformInput): Snippet {
  const expression = period ? `rate(${Math.max(1, Math.round(period / 60))} minutes)` : `cron(…) for "${schedules[0]}"`;
  return {
    id: 'lambda',
    label: 'AWS Lambda',
    code: [
      `// index.mjs (Node.js 20 or later). Schedule: EventBridge Scheduler, ${expression}, time zone ${tz}:`,
      `//   aws scheduler create-schedule --name ${name} --schedule-expression "${period ? expression : 'cron(…)'}" \\`,
      `//     --schedule-expression-timezone ${tz} --flexible-time-window Mode=OFF --target Arn=<function ARN>,RoleArn=<role ARN>`,
      ...nodeWrapper(url),
      '',
      'export const handler = (event) => monitored(() => runJob(event)); // runJob: your job',
    ].join('\n'),
  };
}

/**
 * A name for each schedule line: the name alone for one line, numbered for
 * several (a period cron cannot say in one line, 90 minutes: two lines, each
 * its own scheduler job or timer, which together run every period).
 */
function namesPerLine(name: string, schedules: readonly string[]): string[] {
  return schedules.length === 1 ? [name] : schedules.map((_, i) => `${name}-${i + 1}`);
}

function cloudRun({ url, serverUrl, name, schedules, tz }: PlatformInput): Snippet {
  const jobs = namesPerLine(name, schedules);
  return {
    id: 'cloud-run',
    label: 'Cloud Run job',
    code: [
      '# Dockerfile of the job: the sh runner baked in, no Node needed (the image needs sh and curl or wget)',
      `ADD --chmod=755 ${serverUrl}/client/cronbeat.sh ${RUNNER}`,
      `ENTRYPOINT ["sh", "${RUNNER}", "run", ${quoted(url)}, "--"]`,
      'CMD ["/path/to/job.sh"]',
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

function azureFunctions({ url, name, schedules, tz }: PlatformInput): Snippet {
  const timers = namesPerLine(name, schedules);
  return {
    id: 'azure',
    label: 'Azure Functions',
    code: [
      `// src/functions/${name}.js (Node.js programming model v4). The schedule is NCRONTAB, seconds first;`,
      `// the app setting WEBSITE_TIME_ZONE=${tz} makes it the check's zone.`,
      "const { app } = require('@azure/functions');",
      ...nodeWrapper(url),
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

function githubActions({ url, serverUrl, title, schedules, tz }: PlatformInput): Snippet {
  const utc = tz === 'UTC' || tz === 'Etc/UTC';
  return {
    id: 'github-actions',
    label: 'GitHub Actions',
    code: [
      `# .github/workflows/cronbeat-job.yml. The runner is committed with the workflow, so a run never waits on a download:`,
      `#   curl -fsS -o .github/cronbeat.sh ${serverUrl}/client/cronbeat.sh`,
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
      `      - run: sh .github/cronbeat.sh run ${url} -- ./path/to/job.sh`,
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

/** The sh runner, the new platforms, and systemd with OnFailure=, for the check page's tabs. */
export function platformSnippets(input: PlatformInput): Snippet[] {
  const systemd = systemdWithRunner(input);
  return [lambda(input), cloudRun(input), azureFunctions(input), githubActions(input), ...(systemd ? [systemd] : [])];
}

export { RUNNER as RUNNER_PATH };
