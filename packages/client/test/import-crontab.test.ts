import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CronbeatServer, checksOfProject, cli, envFor, startCronbeat } from './cronbeat-server';

let server: CronbeatServer;
beforeAll(async () => {
  server = await startCronbeat();
});
afterAll(() => server.close());

const CRONTAB = `# backups and reports
MAILTO=ops@example.com
SHELL=/bin/bash

30 2 * * * /usr/local/bin/backup.sh --full > /var/log/backup.log 2>&1
@daily find /tmp -mtime +7 -delete
*/15 9-17 * * 1-5 cd /srv/app && php artisan schedule:run
CRON_TZ=America/New_York
0 6 * * mon-fri /opt/report.sh
@reboot /usr/bin/start-agent
`;

describe('cronbeat import-crontab', () => {
  it('prints the crontab rewritten with cronbeat run and proposes a check per job in the machine time zone', async () => {
    const result = await cli(['import-crontab', '-', '--tz', 'Europe/Berlin'], { env: envFor(server), stdin: CRONTAB });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`CRONBEAT_URL=${server.url}
CRONBEAT_PING_KEY=${server.pingKey}
# backups and reports
MAILTO=ops@example.com
SHELL=/bin/bash

30 2 * * * cronbeat run backup -- /bin/bash -c '/usr/local/bin/backup.sh --full > /var/log/backup.log 2>&1'
@daily cronbeat run find-tmp -- find /tmp -mtime +7 -delete
*/15 9-17 * * 1-5 cronbeat run artisan-schedule-run -- /bin/bash -c 'cd /srv/app && php artisan schedule:run'
CRON_TZ=America/New_York
0 6 * * mon-fri cronbeat run report -- /opt/report.sh
@reboot /usr/bin/start-agent
`);
    expect(result.stderr).toMatch(/^SLUG\s+SCHEDULE\s+TZ\s+COMMAND\n/);
    expect(result.stderr).toMatch(/report\s+0 6 \* \* mon-fri\s+America\/New_York\s+\/opt\/report.sh/);
    expect(result.stderr).toContain('skipped: @reboot /usr/bin/start-agent (@reboot has no schedule to watch)');
    expect(await checksOfProject(server)).toEqual([]);
  });

  it('uses the machine’s time zone when none is given', async () => {
    const result = await cli(['import-crontab', '--json'], {
      env: { ...envFor(server), TZ: 'Asia/Tokyo' },
      stdin: '0 1 * * * /bin/true\n',
    });
    expect(JSON.parse(result.stdout).checks).toEqual([{ slug: 'true', name: '/bin/true', cron: '0 1 * * *', tz: 'Asia/Tokyo' }]);
  });

  it('creates the checks through the API with --apply, and a second --apply creates nothing more', async () => {
    for (let run = 0; run < 2; run++) {
      const result = await cli(['import-crontab', '--apply', '--tz', 'Europe/Berlin'], { env: envFor(server), stdin: CRONTAB });
      expect(result.stderr).toContain('created or found 4 checks');
      expect(result.code).toBe(0);
    }
    expect((await checksOfProject(server)).map(({ slug, cron, tz }) => ({ slug, cron, tz }))).toEqual([
      { slug: 'artisan-schedule-run', cron: '*/15 9-17 * * 1-5', tz: 'Europe/Berlin' },
      { slug: 'backup', cron: '30 2 * * *', tz: 'Europe/Berlin' },
      { slug: 'find-tmp', cron: '0 0 * * *', tz: 'Europe/Berlin' },
      { slug: 'report', cron: '0 6 * * mon-fri', tz: 'America/New_York' },
    ]);
  });

  it('runs a rewritten line for real: the wrapped job pings its imported check', async () => {
    const wrapped = await cli(['run', 'find-tmp', '--', 'sh', '-c', 'echo cleaned'], { env: envFor(server) });
    expect(wrapped.code).toBe(0);
    const [check] = (await checksOfProject(server)).filter((row) => row.slug === 'find-tmp');
    expect(check!.nPings).toBe(2);
  });
});
