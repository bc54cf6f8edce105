import { platformSnippets, RUNNER_PATH } from './snippets-platforms';
import type { Check } from './types';

const MINUTES_PER_DAY = 1440;

/**
 * Crontab schedules that together run a job at least once every period of
 * the check (a cron check: its own expression). Exactly every period where
 * cron can say it: minutes that divide the hour, any period that divides the
 * day (in a line per minute of the hour: 90 minutes is `0 0,3,…` and
 * `30 1,4,…`), a day, a week. Otherwise as often as cron can without a gap
 * longer than the period (2 days: every second day of the month, whose
 * month ends come sooner): an early ping restarts the check's timer, a late
 * one alerts.
 */
export function crontabSchedules(check: Pick<Check, 'cron' | 'period'>): string[] {
  if (check.cron) return [check.cron];
  const seconds = check.period ?? 60;
  const minutes = Math.max(1, Math.floor(seconds / 60));
  const exact = seconds % 60 === 0;
  if (minutes < 60) return [minutes === 1 ? '* * * * *' : `*/${minutes} * * * *`];
  if (exact && MINUTES_PER_DAY % minutes === 0) return timesOfDay(minutes);
  if (minutes < MINUTES_PER_DAY) {
    const hours = Math.floor(minutes / 60);
    return [hours === 1 ? '0 * * * *' : `0 */${hours} * * *`];
  }
  const days = Math.floor(minutes / MINUTES_PER_DAY);
  if (exact && minutes === 7 * MINUTES_PER_DAY) return ['0 0 * * 0'];
  // Day-of-month steps start again on the 1st, so the gap at a month's end is never longer than the step.
  if (days <= 31) return [days === 1 ? '0 0 * * *' : `0 0 */${days} * *`];
  return days < 365 ? ['0 0 1 * *'] : ['0 0 1 1 *'];
}

/** Every `minutes` through the day from midnight, as a line per minute of the hour. */
function timesOfDay(minutes: number): string[] {
  const hoursByMinute = new Map<number, number[]>();
  for (let at = 0; at < MINUTES_PER_DAY; at += minutes) {
    const minute = at % 60;
    hoursByMinute.set(minute, [...(hoursByMinute.get(minute) ?? []), Math.floor(at / 60)]);
  }
  return [...hoursByMinute].map(([minute, hours]) => `${minute} ${hoursField(hours)} * * *`);
}

function hoursField(hours: number[]): string {
  if (hours.length === 24) return '*';
  const step = (hours[1] ?? 24) - hours[0]!;
  if (hours[0] === 0 && hours.every((hour, i) => hour === i * step)) return `*/${step}`;
  return hours.join(',');
}

export interface Snippet {
  id: string;
  label: string;
  code: string;
}

/**
 * An OnCalendar check's expressions, one per line, each ending in a zone:
 * its own (UTC or an IANA name), else the check's, since systemd would read
 * it in the machine's zone.
 */
function zonedOnCalendar(check: Pick<Check, 'tz'> & Partial<Pick<Check, 'onCalendar'>>): string[] {
  const expressions = (check.onCalendar ?? '').split('\n').filter((line) => line.trim() !== '');
  return expressions.map((line) => (/ (UTC|\S+\/\S+)$/i.test(line) ? line : `${line} ${check.tz}`));
}

/**
 * A systemd service and timer running `command` at an OnCalendar check's
 * times, in its zone; `$` is doubled, as systemd expands `$NAME` in ExecStart.
 */
export function systemdTimer(name: string, command: string, check: Pick<Check, 'tz'> & Partial<Pick<Check, 'onCalendar'>>): string {
  const zoned = zonedOnCalendar(check);
  return [
    `# /etc/systemd/system/${name}.service`,
    '[Service]',
    'Type=oneshot',
    `ExecStart=/bin/sh -c '${command.replaceAll('$', '$$$$')}'`,
    '',
    `# /etc/systemd/system/${name}.timer (then: systemctl enable --now ${name}.timer)`,
    '[Timer]',
    ...zoned.map((line) => `OnCalendar=${line}`),
    '',
    '[Install]',
    'WantedBy=timers.target',
  ].join('\n');
}

/**
 * Ready-to-paste ways to ping `url`, one per tool people run jobs with. Shell
 * snippets end with the job's exit status (`/$?`), so a failed run is
 * reported as failed, not as missing; a cron check's lines carry its zone,
 * and an OnCalendar check gets a systemd timer instead of crontab lines.
 */
export function snippetsFor(
  url: string,
  check: Pick<Check, 'cron' | 'period' | 'tz' | 'slug' | 'name' | 'pingCode'> & Partial<Pick<Check, 'onCalendar'>>,
  /** The Cronbeat server's own address (the dashboard's origin), which serves the sh runner. Default: the ping URL's. */
  serverUrl?: string,
): Snippet[] {
  // `cronbeat run` takes the server and the check's ping code (the part of the ping URL after /ping/).
  // A URL on a ping host of its own (PING_BASE_URL) has no /ping/: that host serves /ping/ too.
  const [base, inUrl] = url.includes('/ping/')
    ? (url.split('/ping/', 2) as [string, string])
    : [new URL(url).origin, new URL(url).pathname.slice(1)];
  const target = check.pingCode ?? inUrl;
  const name =
    (check.slug || check.name || 'job')
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'job';
  const zone = check.cron && check.tz ? [`CRON_TZ=${check.tz}`] : [];
  const crontab = (command: string) => [...zone, ...crontabSchedules(check).map((schedule) => `${schedule} ${command}`)].join('\n');
  const scheduled = (command: string) => (check.onCalendar ? systemdTimer(name, command, check) : crontab(command));
  const curl = `curl -fsS -m 10 --retry 5 -o /dev/null ${url}/$?`;
  const server = serverUrl ?? base;
  const runner = `sh ${RUNNER_PATH} run ${url} -- /path/to/job.sh`;
  const zoned = zonedOnCalendar(check);
  return [
    check.onCalendar
      ? { id: 'systemd', label: 'systemd timer', code: scheduled(`/path/to/job.sh; ${curl}`) }
      : { id: 'crontab', label: 'crontab', code: crontab(`/path/to/job.sh; ${curl}`) },
    { id: 'wget', label: 'wget', code: `/path/to/job.sh; wget -q -T 10 -t 5 -O /dev/null ${url}/$?` },
    {
      id: 'sh',
      label: 'sh runner',
      code: [
        "# Once, on the job's host (POSIX sh with curl or wget; no Node needed):",
        `curl -fsS -o ${RUNNER_PATH} ${server}/client/cronbeat.sh`,
        '# Then it runs the job and reports start, exit status, duration and output:',
        scheduled(runner),
      ].join('\n'),
    },
    {
      id: 'kubernetes',
      label: 'Kubernetes',
      code: [
        '# The sh runner in a ConfigMap, once (the image needs sh and curl or wget; no Node):',
        `#   curl -fsS ${server}/client/cronbeat.sh > cronbeat.sh && kubectl create configmap cronbeat-sh --from-file=cronbeat.sh`,
        '# The ping URL in a Secret, once, so the manifest you commit does not hold it (whoever has it can ping the check):',
        `#   kubectl create secret generic ${name}-ping --from-literal=url=${url}`,
        'containers:',
        `  - name: ${name}`,
        '    image: your-image',
        `    env: [{ name: CRONBEAT_PING_URL, valueFrom: { secretKeyRef: { name: ${name}-ping, key: url } } }]`,
        '    command: ["sh", "/opt/cronbeat/cronbeat.sh", "run", "$(CRONBEAT_PING_URL)", "--", "/path/to/job.sh"]',
        '    volumeMounts:',
        '      - { name: cronbeat-sh, mountPath: /opt/cronbeat, readOnly: true }',
        'volumes:',
        '  - name: cronbeat-sh',
        '    configMap: { name: cronbeat-sh }',
      ].join('\n'),
    },
    { id: 'powershell', label: 'PowerShell', code: `Invoke-RestMethod -Uri "${url}" -TimeoutSec 10` },
    {
      id: 'node',
      label: 'Node',
      code: `await fetch('${url}', { signal: AbortSignal.timeout(10_000) });`,
    },
    {
      id: 'python',
      label: 'Python',
      code: ['import urllib.request', '', `urllib.request.urlopen("${url}", timeout=10)`].join('\n'),
    },
    {
      id: 'cronbeat',
      label: 'cronbeat run',
      code: [
        `# Once: npm install -g ${server}/client/cronbeat.tgz`,
        scheduled(`CRONBEAT_URL=${base} cronbeat run ${target} -- /path/to/job.sh`),
      ].join('\n'),
    },
    ...platformSnippets({
      url,
      serverUrl: server,
      name,
      title: check.name || check.slug || 'job',
      schedules: crontabSchedules(check),
      period: check.cron || zoned.length > 0 ? null : (check.period ?? null),
      tz: check.tz,
      onCalendar: zoned,
    }),
  ];
}
