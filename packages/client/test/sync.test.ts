import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addChannel, type CronbeatServer, checksOfProject, cli, envFor, startCronbeat } from './cronbeat-server';

let server: CronbeatServer;
let channelId: string;
beforeAll(async () => {
  server = await startCronbeat();
  channelId = (await addChannel(server, 'ops hook')).id;
});
afterAll(() => server.close());

const directory = mkdtempSync(join(tmpdir(), 'cronbeat-sync-'));
function monitorsFile(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

const FIRST = `# monitors as code
checks:
  - name: Nightly backup
    slug: nightly-backup
    cron: "0 3 * * *"
    tz: Europe/Paris
    grace: 1h
    tags: [backup]
    channels: [ops hook]
  - slug: queue-drain
    period: 5m
    grace: 10m
    remind_every: 1h
    alert_on_late: true
`;

const SECOND = `checks:
  - name: Nightly backup
    slug: nightly-backup
    cron: "30 3 * * *"   # moved
    tz: Europe/Paris
    grace: 1h
    tags: [backup]
    channels: [ops hook]
`;

const sync = (args: string[]) => cli(['sync', ...args], { env: envFor(server) });

describe('cronbeat sync against a real server', () => {
  it('creates the declared checks, with their channels by name', async () => {
    const result = await sync([monitorsFile('first.yaml', FIRST)]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2 to create, 0 to update, 0 to delete, 0 unchanged');
    const stored = await checksOfProject(server);
    expect(
      stored.map(({ slug, cron, tz, period, grace, remindEvery, alertOnLate }) => ({
        slug,
        cron,
        tz,
        period,
        grace,
        remindEvery,
        alertOnLate,
      })),
    ).toEqual([
      { slug: 'nightly-backup', cron: '0 3 * * *', tz: 'Europe/Paris', period: null, grace: 3600, remindEvery: null, alertOnLate: false },
      { slug: 'queue-drain', cron: null, tz: 'UTC', period: 300, grace: 600, remindEvery: 3600, alertOnLate: true },
    ]);
    const listed = JSON.parse((await cli(['checks', 'get', 'nightly-backup', '--json'], { env: envFor(server) })).stdout);
    expect(listed.channels).toEqual([channelId]);
  });

  it('is idempotent: a second run changes nothing', async () => {
    const result = await sync([monitorsFile('first.yaml', FIRST)]);
    expect(result.stdout).toBe('0 to create, 0 to update, 0 to delete, 2 unchanged\n');
  });

  it('prints the diff on --dry-run and changes nothing', async () => {
    const result = await sync([monitorsFile('second.yaml', SECOND), '--dry-run', '--prune']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      '(dry run: nothing changed)\n~ update nightly-backup\n    cron: "0 3 * * *" → "30 3 * * *"\n- delete queue-drain (queue-drain)\n' +
        '0 to create, 1 to update, 1 to delete, 0 unchanged\n',
    );
    expect((await checksOfProject(server)).map((check) => check.cron)).toEqual(['0 3 * * *', null]);
  });

  it('updates changed checks and keeps undeclared ones without --prune', async () => {
    const result = await sync([monitorsFile('second.yaml', SECOND)]);
    expect(result.stdout).toContain('0 to create, 1 to update, 0 to delete, 0 unchanged');
    expect((await checksOfProject(server)).map((check) => [check.slug, check.cron])).toEqual([
      ['nightly-backup', '30 3 * * *'],
      ['queue-drain', null],
    ]);
  });

  it('deletes undeclared checks with --prune', async () => {
    const result = await sync([monitorsFile('second.yaml', SECOND), '--prune']);
    expect(result.stdout).toContain('- delete queue-drain');
    expect((await checksOfProject(server)).map((check) => check.slug)).toEqual(['nightly-backup']);
  });

  it('accepts JSON and rejects a broken file with its line, exit 2', async () => {
    const json = await sync([monitorsFile('m.json', JSON.stringify({ checks: [{ slug: 'from-json', period: 3600 }] })), '--dry-run']);
    expect(json.stdout).toContain('+ create from-json');
    const broken = await sync([monitorsFile('broken.yaml', 'checks:\n  - slug: x\n    cron: * * * * *\n')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.yaml: line 3, column 11: .*put it in quotes/);
  });

  it('moves a cron check to an OnCalendar schedule and POST-only pings, then leaves it alone', async () => {
    const calendar = SECOND.replace('cron: "30 3 * * *"   # moved', 'on_calendar: Mon..Fri *-*-* 03:30\n    methods: POST');
    const moved = await sync([monitorsFile('calendar.yaml', calendar)]);
    expect(moved.stderr).toBe('');
    expect(moved.stdout).toContain('1 to update');
    const [stored] = await checksOfProject(server);
    expect(stored).toMatchObject({ slug: 'nightly-backup', cron: null, period: null, onCalendar: 'Mon..Fri *-*-* 03:30', methods: 'POST' });
    expect((await sync([monitorsFile('calendar.yaml', calendar)])).stdout).toContain('0 to update, 0 to delete, 1 unchanged');
    const refused = await sync([monitorsFile('bad-calendar.yaml', calendar.replace('03:30', '25:00'))]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('hour 25 is out of range');
  });
});
