import type { Check } from './types';

/** A crontab schedule matching the check, so the pasted line runs when Cronbeat expects it. */
export function crontabSchedule(check: Pick<Check, 'cron' | 'period'>): string {
  if (check.cron) return check.cron;
  const minutes = (check.period ?? 0) / 60;
  if (minutes === 1) return '* * * * *';
  if (Number.isInteger(minutes) && minutes < 60 && 60 % minutes === 0) return `*/${minutes} * * * *`;
  const hours = minutes / 60;
  if (hours === 1) return '0 * * * *';
  if (Number.isInteger(hours) && hours < 24 && 24 % hours === 0) return `0 */${hours} * * *`;
  if (hours === 24) return '0 0 * * *';
  if (hours === 168) return '0 0 * * 0';
  return '* * * * *';
}

export interface Snippet {
  id: string;
  label: string;
  code: string;
}

/** Ready-to-paste ways to ping `url`, one per tool people run jobs with. */
export function snippetsFor(url: string, check: Pick<Check, 'cron' | 'period' | 'slug' | 'name'>): Snippet[] {
  // `cronbeat run` takes the server and the part of the ping URL after /ping/.
  const [base, target] = url.includes('/ping/') ? (url.split('/ping/', 2) as [string, string]) : [url, check.slug ?? ''];
  const name =
    (check.slug || check.name || 'job')
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'job';
  return [
    {
      id: 'crontab',
      label: 'crontab',
      code: `${crontabSchedule(check)} /path/to/job.sh && curl -fsS -m 10 --retry 5 -o /dev/null ${url}`,
    },
    { id: 'wget', label: 'wget', code: `wget -q -T 10 -t 5 -O /dev/null ${url}` },
    {
      id: 'kubernetes',
      label: 'Kubernetes',
      code: [
        'containers:',
        `  - name: ${name}`,
        '    image: your-image',
        '    command: ["/bin/sh", "-c"]',
        `    args: ["/path/to/job.sh && curl -fsS -m 10 --retry 5 -o /dev/null ${url}"]`,
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
      code: `${crontabSchedule(check)} CRONBEAT_URL=${base} cronbeat run ${target} -- /path/to/job.sh`,
    },
  ];
}
