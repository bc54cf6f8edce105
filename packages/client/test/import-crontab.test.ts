import { realpathSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CronbeatServer, checksOfProject, cli, cliBin, envFor, startCronbeat } from './cronbeat-server';

/** The client that ran, as the rewritten crontab starts it: node and the script by absolute path, as cron's PATH has neither. */
const CLIENT = `${process.execPath} ${realpathSync(cliBin())}`;

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
  it('prints the crontab rewritten with cronbeat run (by absolute path) and proposes a check per job in the machine time zone', async () => {
    const result = await cli(['import-crontab', '-', '--tz', 'Europe/Berlin'], { env: envFor(server), stdin: CRONTAB });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`CRONBEAT_URL=${server.url}
CRONBEAT_PING_KEY=${server.pingKey}
# backups and reports
MAILTO=ops@example.com
SHELL=/bin/bash

30 2 * * * ${CLIENT} run backup -- /bin/bash -c '/usr/local/bin/backup.sh --full > /var/log/backup.log 2>&1'
@daily ${CLIENT} run find-tmp -- find /tmp -mtime +7 -delete
*/15 9-17 * * 1-5 ${CLIENT} run artisan-schedule-run -- /bin/bash -c 'cd /srv/app && php artisan schedule:run'
CRON_TZ=America/New_York
0 6 * * mon-fri ${CLIENT} run report -- /opt/report.sh
@reboot /usr/bin/start-agent
`);
    expect(result.stderr).toMatch(/^SLUG\s+NAME\s+SCHEDULE\s+TZ\s+COMMAND\n/);
    expect(result.stderr).toMatch(/report\s+report\s+0 6 \* \* mon-fri\s+America\/New_York\s+\/opt\/report.sh/);
    expect(result.stderr).toContain('skipped: @reboot /usr/bin/start-agent (@reboot has no schedule to watch)');
    expect(await checksOfProject(server)).toEqual([]);
  });

  it('uses the machine’s time zone when none is given', async () => {
    const result = await cli(['import-crontab', '--json'], {
      env: { ...envFor(server), TZ: 'Asia/Tokyo' },
      stdin: '0 1 * * * /bin/true\n',
    });
    expect(JSON.parse(result.stdout).checks).toEqual([{ slug: 'true', name: 'true', cron: '0 1 * * *', tz: 'Asia/Tokyo' }]);
  });

  it('refuses a crontab with a schedule cron would refuse, naming the line, and creates nothing', async () => {
    const result = await cli(['import-crontab', '--apply'], {
      env: envFor(server),
      stdin: '# jobs\n0 1 * * * /bin/true\n61 * * * * /bin/false\n',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'cronbeat: line 3: minute 61 is out of range 0-59 in "61 * * * *"\nfix the crontab and run import-crontab again\n',
    );
    expect(result.stdout).toBe('');
    expect(await checksOfProject(server)).toEqual([]);
  });

  it('writes the client as given with --bin', async () => {
    const result = await cli(['import-crontab', '--bin', '/opt/cronbeat'], { env: envFor(server), stdin: '0 1 * * * /bin/true\n' });
    expect(result.stdout).toContain('0 1 * * * /opt/cronbeat run true -- /bin/true');
  });

  it('creates the checks through the API with --apply, and a second --apply creates nothing more', async () => {
    for (let run = 0; run < 2; run++) {
      const result = await cli(['import-crontab', '--apply', '--tz', 'Europe/Berlin'], { env: envFor(server), stdin: CRONTAB });
      expect(result.stderr).toContain('created or found 4 checks');
      expect(result.code).toBe(0);
    }
    expect((await checksOfProject(server)).map(({ slug, name, cron, tz }) => ({ slug, name, cron, tz }))).toEqual([
      { slug: 'artisan-schedule-run', name: 'artisan schedule:run', cron: '*/15 9-17 * * 1-5', tz: 'Europe/Berlin' },
      { slug: 'backup', name: 'backup', cron: '30 2 * * *', tz: 'Europe/Berlin' },
      { slug: 'find-tmp', name: 'find tmp', cron: '0 0 * * *', tz: 'Europe/Berlin' },
      { slug: 'report', name: 'report', cron: '0 6 * * mon-fri', tz: 'America/New_York' },
    ]);
  });

  it('runs a rewritten line for real: the wrapped job pings its imported check', async () => {
    const wrapped = await cli(['run', 'find-tmp', '--', 'sh', '-c', 'echo cleaned'], { env: envFor(server) });
    expect(wrapped.code).toBe(0);
    const [check] = (await checksOfProject(server)).filter((row) => row.slug === 'find-tmp');
    expect(check!.nPings).toBe(2);
  });
});
