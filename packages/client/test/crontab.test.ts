import { describe, expect, it } from 'vitest';
import { parseCrontab, rewriteCrontab } from '../src/crontab';
import { shellWords, slugForCommand } from '../src/slug';

const SAMPLE = `# m h  dom mon dow   command
SHELL=/bin/bash
MAILTO=ops@example.com
PATH=/usr/local/bin:/usr/bin:/bin

# nightly database backup
30 2 * * * /usr/local/bin/backup.sh --full > /var/log/backup.log 2>&1
@daily    find /tmp -mtime +7 -delete
*/15 9-17 * * 1-5 cd /srv/app && php artisan schedule:run >> /dev/null 2>&1
0 0 1,15 * * python3 -m app.jobs.invoices
CRON_TZ=America/New_York
0 6 * * mon-fri /opt/report.sh % first line%second line
@reboot /usr/bin/start-agent
5 4 * * * cronbeat run already -- ./already.sh
0 * * * * /usr/local/bin/backup.sh --incremental
`;

describe('crontab import', () => {
  const lines = parseCrontab(SAMPLE, { tz: 'Europe/Berlin' });
  const jobs = lines.flatMap((line) => (line.kind === 'job' ? [line.job] : []));

  it('proposes one check per job, with nicknames expanded, ranges kept and CRON_TZ honoured', () => {
    expect(jobs.map(({ slug, cron, tz }) => ({ slug, cron, tz }))).toEqual([
      { slug: 'backup', cron: '30 2 * * *', tz: 'Europe/Berlin' },
      { slug: 'find-tmp', cron: '0 0 * * *', tz: 'Europe/Berlin' },
      { slug: 'artisan-schedule-run', cron: '*/15 9-17 * * 1-5', tz: 'Europe/Berlin' },
      { slug: 'app-jobs-invoices', cron: '0 0 1,15 * *', tz: 'Europe/Berlin' },
      { slug: 'report', cron: '0 6 * * mon-fri', tz: 'America/New_York' },
      { slug: 'backup-2', cron: '0 * * * *', tz: 'America/New_York' },
    ]);
  });

  it('names each check after what its job runs, not the raw line', () => {
    expect(jobs.map((job) => job.name)).toEqual([
      'backup',
      'find tmp',
      'artisan schedule:run',
      'app.jobs.invoices',
      'report',
      'backup (2)',
    ]);
  });

  it('refuses schedules cron would refuse, by line number', () => {
    const parsed = parseCrontab(
      '# top\n61 * * * * /bin/true\n0 24 * * * a\n0 0 0 * * b\n0 0 * 13 * c\n0 0 * * 8 d\n5-1 * * * * e\n*/0 * * * * f\n0 0 * foo * g\n',
      {
        tz: 'UTC',
      },
    );
    expect(parsed.flatMap((line) => (line.kind === 'invalid' ? [`${line.line}: ${line.reason}`] : []))).toEqual([
      '2: minute 61 is out of range 0-59 in "61 * * * *"',
      '3: hour 24 is out of range 0-23 in "0 24 * * *"',
      '4: day of month 0 is out of range 1-31 in "0 0 0 * *"',
      '5: month 13 is out of range 1-12 in "0 0 * 13 *"',
      '6: day of week 8 is out of range 0-7 in "0 0 * * 8"',
      '7: minute range "5-1" runs backwards in "5-1 * * * *"',
      '8: minute step "0" must be a number from 1 to 60 in "*/0 * * * *"',
      '9: month "foo" is not a number or a name in "0 0 * foo *"',
    ]);
    const fine = parseCrontab('*/5 9-17 * jan-jun mon-fri a\n0 0 1,15 * 7 b\n30 2 * * SUN c\n0 0 * * 1-5/2 d\n', { tz: 'UTC' });
    expect(fine.map((line) => line.kind)).toEqual(['job', 'job', 'job', 'job']);
  });

  it('skips @reboot and lines already wrapped, saying why', () => {
    expect(lines.flatMap((line) => (line.kind === 'skipped' ? [line.reason] : []))).toEqual([
      '@reboot has no schedule to watch',
      'already monitored by cronbeat',
    ]);
  });

  it('rewrites job lines with cronbeat run and leaves every other line as it was', () => {
    const rewritten = rewriteCrontab(lines, { header: ['CRONBEAT_PING_KEY=k'] }).split('\n');
    expect(rewritten[0]).toBe('CRONBEAT_PING_KEY=k');
    expect(rewritten.slice(1, 6)).toEqual(SAMPLE.split('\n').slice(0, 5));
    expect(rewritten).toContain(
      `30 2 * * * cronbeat run backup -- /bin/bash -c '/usr/local/bin/backup.sh --full > /var/log/backup.log 2>&1'`,
    );
    expect(rewritten).toContain('@daily cronbeat run find-tmp -- find /tmp -mtime +7 -delete');
    expect(rewritten).toContain(
      `*/15 9-17 * * 1-5 cronbeat run artisan-schedule-run -- /bin/bash -c 'cd /srv/app && php artisan schedule:run >> /dev/null 2>&1'`,
    );
    // Cron feeds what follows % to stdin: it must stay outside the quoted command.
    expect(rewritten).toContain('0 6 * * mon-fri cronbeat run report -- /opt/report.sh % first line%second line');
    expect(rewritten).toContain('@reboot /usr/bin/start-agent');
    expect(rewritten).toContain('5 4 * * * cronbeat run already -- ./already.sh');
  });

  it('quotes single quotes in commands so the shell sees the original', () => {
    const [line] = parseCrontab(`0 1 * * * echo 'it''s' | logger`, { tz: 'UTC' });
    expect(line?.kind === 'job' && rewriteCrontab([line])).toBe(
      `0 1 * * * cronbeat run echo-it-s -- /bin/sh -c 'echo '\\''it'\\'''\\''s'\\'' | logger'\n`,
    );
  });

  it('reads the user column of a system crontab', () => {
    const [line] = parseCrontab('17 * * * * root cd / && run-parts --report /etc/cron.hourly', { system: true, tz: 'UTC' });
    expect(line?.kind).toBe('job');
    if (line?.kind !== 'job') return;
    expect(line.job).toMatchObject({ user: 'root', command: 'cd / && run-parts --report /etc/cron.hourly', slug: 'run-parts-cron-hourly' });
    expect(rewriteCrontab([line])).toBe(
      `17 * * * * root cronbeat run run-parts-cron-hourly -- /bin/sh -c 'cd / && run-parts --report /etc/cron.hourly'\n`,
    );
  });

  it('reports lines that are not cron lines', () => {
    expect(parseCrontab('61 2 x\n@every 5m foo', { tz: 'UTC' }).map((line) => line.kind === 'skipped' && line.reason)).toEqual([
      'not a cron line',
      'unknown schedule @every',
    ]);
  });
});

describe('slugs from commands', () => {
  it.each([
    ['/usr/local/bin/backup.sh --full > /var/log/backup.log 2>&1', 'backup'],
    ['cd /srv && ./manage.py clearsessions', 'manage-clearsessions'],
    ['flock -n /tmp/sync.lock /opt/sync-files.sh', 'sync-files'],
    ['nice -n 19 ionice -c3 tar czf /backups/home.tgz /home', 'tar-czf-home-tgz'],
    ['NODE_ENV=production node /srv/jobs/digest.js --daily', 'digest'],
    ['timeout 300 curl -fsS https://example.com/hook', 'curl-hook'],
    ['bash -c "do things"', 'bash'],
  ])('%s → %s', (command, slug) => {
    expect(slugForCommand(command)).toBe(slug);
  });

  it('splits shell words with quotes and escapes', () => {
    expect(shellWords(`a "b c" 'd e' f\\ g`)).toEqual(['a', 'b c', 'd e', 'f g']);
  });
});
