/** The dashboard's ready-to-paste snippets: crontab lines that run when the check expects a ping, and report failures. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CronExpressionParser } from 'cron-parser';
import { parseYaml } from 'cronbeat';
import { describe, expect, it } from 'vitest';
import { crontabSchedules, snippetsFor, systemdTimer } from '../src/snippets';
import { eventBridgeCron } from '../src/snippets-platforms';

const run = promisify(execFile);
const START = Date.UTC(2026, 0, 1);

/** Every firing of the schedules (UTC) from START over `days`, in order. */
function firings(schedules: string[], days: number): number[] {
  const end = START + days * 86_400_000;
  const times = new Set<number>();
  for (const schedule of schedules) {
    const expression = CronExpressionParser.parse(schedule, { tz: 'UTC', currentDate: new Date(START - 1), endDate: new Date(end) });
    while (expression.hasNext()) times.add(expression.next().getTime());
  }
  return [...times].sort((a, b) => a - b);
}

const gaps = (times: number[]) => times.slice(1).map((time, i) => (time - times[i]!) / 1000);

describe('crontab schedules for a period check', () => {
  const minutes = (n: number) => n * 60;
  const days = (n: number) => n * 86_400;

  it.each([minutes(1), minutes(5), minutes(15), minutes(90), minutes(80), minutes(120), minutes(480), days(1), days(7)])(
    'runs exactly every %i seconds where cron can say it',
    (period) => {
      const times = firings(crontabSchedules({ cron: null, period }), Math.max(3, (period / 86_400) * 6));
      expect(new Set(gaps(times))).toEqual(new Set([period]));
    },
  );

  it.each([
    minutes(7),
    minutes(45),
    minutes(100),
    minutes(150),
    minutes(61),
    days(1) + 3600,
    days(2),
    days(3),
    days(10),
    days(14),
    days(30),
    days(45),
    days(400),
  ])('never leaves more than %i seconds between runs otherwise', (period) => {
    const times = firings(crontabSchedules({ cron: null, period }), Math.max(3, (period / 86_400) * 6));
    expect(times.length).toBeGreaterThan(2);
    expect(Math.max(...gaps(times))).toBeLessThanOrEqual(period);
  });

  it('writes 90 minutes as a line per minute of the hour', () => {
    expect(crontabSchedules({ cron: null, period: 5400 })).toEqual(['0 */3 * * *', '30 1,4,7,10,13,16,19,22 * * *']);
  });
});

describe('snippets', () => {
  const url = 'https://cronbeat.example.com/ping/0e4c5a2e-8a84-4a8d-9d33-1e0d6c1c2b3a';

  it('report the exit status, so a failed run alerts as failed', () => {
    const [crontab] = snippetsFor(url, { cron: null, period: 3600, tz: 'UTC', slug: null, name: 'Backup' });
    expect(crontab?.code).toBe(`0 * * * * /path/to/job.sh; curl -fsS -m 10 --retry 5 -o /dev/null ${url}/$?`);
  });

  it("put a cron check's zone in a CRON_TZ line above its schedule", () => {
    const snippets = snippetsFor(url, { cron: '30 2 * * *', period: null, tz: 'Europe/Berlin', slug: 'backup', name: 'Backup' });
    expect(snippets.find((snippet) => snippet.id === 'crontab')?.code).toBe(
      `CRON_TZ=Europe/Berlin\n30 2 * * * /path/to/job.sh; curl -fsS -m 10 --retry 5 -o /dev/null ${url}/$?`,
    );
    expect(snippets.find((snippet) => snippet.id === 'cronbeat')?.code).toBe(
      '# Once: npm install -g https://cronbeat.example.com/client/cronbeat.tgz\nCRON_TZ=Europe/Berlin\n30 2 * * * CRONBEAT_URL=https://cronbeat.example.com cronbeat run 0e4c5a2e-8a84-4a8d-9d33-1e0d6c1c2b3a -- /path/to/job.sh',
    );
  });

  it('point cronbeat run at the ping host of a URL on one (PING_BASE_URL), which serves /ping/ too', () => {
    const onPingHost = 'https://ping.example.com/0e4c5a2e-8a84-4a8d-9d33-1e0d6c1c2b3a';
    const snippets = snippetsFor(onPingHost, { cron: null, period: 3600, tz: 'UTC', slug: null, name: 'Backup' });
    expect(snippets.find((snippet) => snippet.id === 'crontab')?.code).toContain(`${onPingHost}/$?`);
    expect(snippets.find((snippet) => snippet.id === 'cronbeat')?.code).toBe(
      '# Once: npm install -g https://ping.example.com/client/cronbeat.tgz\n0 * * * * CRONBEAT_URL=https://ping.example.com cronbeat run 0e4c5a2e-8a84-4a8d-9d33-1e0d6c1c2b3a -- /path/to/job.sh',
    );
  });
});

describe('snippets for an OnCalendar check', () => {
  const url = 'https://cronbeat.example/ping/0b8c7c7e-1d0f-4b4e-9c4e-3f3f0b6a2f10';
  const check = {
    cron: null,
    period: null,
    onCalendar: 'Mon..Fri *-*-* 09:00\n*-*~01 18:00 UTC',
    tz: 'Europe/Riga',
    slug: 'report',
    name: 'Report',
  };

  it('offers a systemd timer, not crontab lines, with the check’s zone on expressions that name none', () => {
    const snippets = snippetsFor(url, check);
    expect(snippets.map((snippet) => snippet.id)).not.toContain('crontab');
    const timer = snippets.find((snippet) => snippet.id === 'systemd')!.code;
    expect(timer).toContain('OnCalendar=Mon..Fri *-*-* 09:00 Europe/Riga\nOnCalendar=*-*~01 18:00 UTC\n');
    expect(timer).toContain('# /etc/systemd/system/report.timer');
    // systemd expands $NAME in ExecStart; the shell must get the exit status, $?.
    expect(timer).toContain(`ExecStart=/bin/sh -c '/path/to/job.sh; curl -fsS -m 10 --retry 5 -o /dev/null ${url}/$$?'`);
    expect(snippets.find((snippet) => snippet.id === 'cronbeat')!.code).toContain('OnCalendar=Mon..Fri *-*-* 09:00 Europe/Riga');
  });

  it('keeps a zone an expression names itself', () => {
    expect(systemdTimer('job', 'true', { onCalendar: 'daily America/New_York', tz: 'Europe/Riga' })).toContain(
      'OnCalendar=daily America/New_York\n',
    );
  });
});

describe('snippets that run jobs anywhere', () => {
  const url = 'https://cronbeat.example.com/ping/0e4c5a2e-8a84-4a8d-9d33-1e0d6c1c2b3a';
  const server = 'https://cronbeat.example.com';
  const hourly = { cron: null, period: 3600, tz: 'UTC', slug: null, name: 'Backup "nightly": db\nand files' };
  const byId = (snippets: { id: string; code: string }[], id: string) => snippets.find((snippet) => snippet.id === id)!.code;

  it('offer the sh runner from this server, downloaded once and run on the check’s schedule', () => {
    const code = byId(snippetsFor(url, hourly, server), 'sh');
    expect(code).toContain(`curl -fsS -o /usr/local/bin/cronbeat.sh ${server}/client/cronbeat.sh\n`);
    expect(code).toContain(`\n0 * * * * sh /usr/local/bin/cronbeat.sh run ${url} -- /path/to/job.sh`);
  });

  it('take the sh runner from the dashboard’s server, not a ping host of its own', () => {
    const onPingHost = 'https://ping.example.com/0e4c5a2e-8a84-4a8d-9d33-1e0d6c1c2b3a';
    const snippets = snippetsFor(onPingHost, hourly, server);
    expect(byId(snippets, 'sh')).toContain(`${server}/client/cronbeat.sh`);
    expect(byId(snippets, 'sh')).toContain(`run ${onPingHost} --`);
    expect(byId(snippets, 'cronbeat')).toContain(`npm install -g ${server}/client/cronbeat.tgz`);
  });

  it('run a Kubernetes container through the runner from a ConfigMap, with no Node in the image and the ping URL from a Secret', () => {
    const code = byId(snippetsFor(url, hourly, server), 'kubernetes');
    const manifest = parseYaml(code) as {
      containers: {
        name: string;
        command: string[];
        env: { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } }[];
      }[];
      volumes: { configMap: { name: string } }[];
    };
    const [container] = manifest.containers;
    expect(container!.name).toBe('backup-nightly-db-and-files');
    // Kubernetes expands $(NAME) in a command from the container's environment.
    expect(container!.command).toEqual(['sh', '/opt/cronbeat/cronbeat.sh', 'run', '$(CRONBEAT_PING_URL)', '--', '/path/to/job.sh']);
    expect(container!.env).toEqual([
      { name: 'CRONBEAT_PING_URL', valueFrom: { secretKeyRef: { name: 'backup-nightly-db-and-files-ping', key: 'url' } } },
    ]);
    // The URL is only in the one-off command that makes the Secret, a comment of the manifest.
    expect(code.split('\n').filter((line) => line.includes(url))).toEqual([
      `#   kubectl create secret generic backup-nightly-db-and-files-ping --from-literal=url=${url}`,
    ]);
    expect(manifest.volumes[0]!.configMap.name).toBe('cronbeat-sh');
  });

  it('write a GitHub Actions workflow that parses, with the check’s name escaped, its schedules, and the ping URL from a secret', () => {
    const cron = { cron: '30 2 * * *', period: null, tz: 'Europe/Berlin', slug: null, name: hourly.name };
    const code = byId(snippetsFor(url, cron, server), 'github-actions');
    expect(code).toContain('# GitHub runs schedules in UTC: this check expects them in Europe/Berlin');
    const workflow = parseYaml(code) as {
      name: string;
      on: { schedule: { cron: string }[] };
      jobs: { job: { steps: { run?: string; env?: Record<string, string> }[] } };
    };
    expect(workflow.name).toBe(hourly.name);
    expect(workflow.on.schedule).toEqual([{ cron: '30 2 * * *' }]);
    expect(workflow.jobs.job.steps[1]).toEqual({
      run: 'sh .github/cronbeat.sh run "$CRONBEAT_PING_URL" -- ./path/to/job.sh',
      // GitHub's expression syntax, not JavaScript's.
      env: { CRONBEAT_PING_URL: `\${{ secrets.CRONBEAT_PING_URL }}` },
    });
    expect(code).toContain('repository secret CRONBEAT_PING_URL (Settings › Secrets and variables › Actions');
    expect(code).not.toContain(url);
  });

  it('wrap a Lambda and an Azure Functions timer in start and end pings of one run, the URL from the environment', () => {
    const snippets = snippetsFor(url, hourly, server);
    for (const id of ['lambda', 'azure']) {
      const code = byId(snippets, id);
      expect(code).toContain('const PING_URL = process.env.CRONBEAT_PING_URL;');
      expect(code).not.toContain(url);
      expect(code).toContain('await ping("/start?rid=" + rid);');
      expect(code).toContain('await ping("/fail?rid=" + rid, String(error?.stack ?? error));');
    }
    expect(byId(snippets, 'lambda')).toContain('--schedule-expression "rate(60 minutes)"');
    expect(byId(snippets, 'azure')).toContain('schedule: "0 0 * * * *",');
  });

  it.each([5400, 4800, 9600])(
    'schedule a %i-second period that needs several crontab lines with every line, on Cloud Run and Azure, never running too rarely',
    (period) => {
      const check = { cron: null, period, tz: 'UTC', slug: 'sync', name: 'Sync' };
      const snippets = snippetsFor(url, check, server);
      const cloudRun = [...byId(snippets, 'cloud-run').matchAll(/--schedule="([^"]+)"/g)].map((match) => match[1]!);
      const cloudJobs = [...byId(snippets, 'cloud-run').matchAll(/jobs create http (\S+)/g)].map((match) => match[1]!);
      // NCRONTAB puts seconds first; the rest is the crontab line.
      const azure = [...byId(snippets, 'azure').matchAll(/schedule: "0 ([^"]+)"/g)].map((match) => match[1]!);
      const azureTimers = [...byId(snippets, 'azure').matchAll(/app\.timer\("([^"]+)"/g)].map((match) => match[1]!);
      for (const [schedules, names] of [
        [cloudRun, cloudJobs],
        [azure, azureTimers],
      ]) {
        expect(schedules).toEqual(crontabSchedules(check));
        expect(new Set(names).size).toBe(schedules!.length);
        expect(Math.max(...gaps(firings(schedules!, 3)))).toBeLessThanOrEqual(period);
      }
    },
  );

  it.each([
    [90, 'rate(1 minute)'],
    [150, 'rate(2 minutes)'],
    [5400, 'rate(90 minutes)'],
    [5430, 'rate(90 minutes)'],
  ])('schedule a Lambda for a %i-second period no less often than the period, the unit singular for one: %s', (period, rate) => {
    const code = byId(snippetsFor(url, { ...hourly, period }, server), 'lambda');
    expect([...code.matchAll(/--schedule-expression "([^"]+)"/g)].map((match) => match[1])).toEqual([rate]);
  });

  it('schedule a Lambda for a cron check with EventBridge’s six-field cron() in the check’s zone', () => {
    const cron = { cron: '30 2 * * 1-5', period: null, tz: 'Europe/Berlin', slug: 'report', name: 'Report' };
    const code = byId(snippetsFor(url, cron, server), 'lambda');
    expect(code).toContain('--schedule-expression "cron(30 2 ? * MON-FRI *)"');
    expect(code).toContain('--schedule-expression-timezone Europe/Berlin ');
  });

  it.each([
    ['0 0 1 * *', ['cron(0 0 1 * ? *)']],
    ['*/15 * * * 0,6', ['cron(0/15 * ? * SUN,SAT *)']],
    ['0 */3 * * *', ['cron(0 0/3 * * ? *)']],
    // Sunday is 0 and 7 in crontab, 1 in AWS: names say it without renumbering.
    ['0 9 * * 5-7', ['cron(0 9 ? * SUN,FRI,SAT *)']],
    ['0 9 * * */2', ['cron(0 9 ? * SUN,TUE,THU,SAT *)']],
    ['0 9 * * mon-fri', ['cron(0 9 ? * MON-FRI *)']],
    // Both day fields: crontab runs on either, AWS takes one per expression.
    ['0 9 1 * 1', ['cron(0 9 1 * ? *)', 'cron(0 9 ? * MON *)']],
    ['0 9 * * 5#3', null],
  ])('write the crontab line %s as EventBridge cron() %j', (line, expected) => {
    expect(eventBridgeCron(line)).toEqual(expected);
  });

  it('bake the runner into a Cloud Run job’s image and schedule it in the check’s zone', () => {
    const cron = { cron: '30 2 * * 1-5', period: null, tz: 'Europe/Berlin', slug: 'report', name: 'Report' };
    const code = byId(snippetsFor(url, cron, server), 'cloud-run');
    expect(code).toContain(`ADD --chmod=755 ${server}/client/cronbeat.sh /usr/local/bin/cronbeat.sh\n`);
    expect(code).not.toContain(url);
    expect(code).toContain('--update-env-vars=CRONBEAT_PING_URL=<ping URL>');
    expect(code).toContain('--schedule="30 2 * * 1-5" --time-zone="Europe/Berlin"');
  });

  it('offers an OnCalendar check no platform that takes crontab lines or rates, which would run its job at other times', () => {
    const onCalendar = { cron: null, period: null, onCalendar: 'Mon..Fri *-*-* 09:00', tz: 'Europe/Riga', slug: 'report', name: 'Report' };
    const ids = snippetsFor(url, onCalendar, server).map((snippet) => snippet.id);
    expect(ids).toContain('systemd-runner');
    for (const crontabOnly of ['lambda', 'cloud-run', 'azure', 'github-actions']) expect(ids).not.toContain(crontabOnly);
    const periodIds = snippetsFor(url, hourly, server).map((snippet) => snippet.id);
    for (const crontabOnly of ['lambda', 'cloud-run', 'azure', 'github-actions']) expect(periodIds).toContain(crontabOnly);
  });

  it.each([
    ['a period check', hourly, 'backup-nightly-db-and-files'],
    [
      'an OnCalendar check',
      { cron: null, period: null, onCalendar: 'Mon..Fri *-*-* 09:00', tz: 'Europe/Riga', slug: 'report', name: 'Report' },
      'report',
    ],
  ])('write systemd units with OnFailure= that systemd-analyze verifies, for %s', async (_name, check, unit) => {
    const code = byId(snippetsFor(url, check, server), 'systemd-runner');
    const dir = mkdtempSync(join(tmpdir(), 'cronbeat-units-'));
    try {
      // The snippet is three files, each after a "# /etc/systemd/system/<file>" line.
      const files = code.split(/^# \/etc\/systemd\/system\/(\S+).*$/m).slice(1);
      const names: string[] = [];
      for (let i = 0; i < files.length; i += 2) {
        names.push(files[i]!);
        writeFileSync(join(dir, files[i]!), files[i + 1]!);
      }
      expect(names).toEqual([`${unit}.service`, `${unit}-failed.service`, `${unit}.timer`]);
      expect(code).toContain(`\nOnFailure=${unit}-failed.service\n`);
      const verified = await run('systemd-analyze', ['verify', '--man=no', ...names.map((name) => join(dir, name))]).catch(
        (error: { stderr: string; code: number }) => error,
      );
      expect(verified.stderr).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
