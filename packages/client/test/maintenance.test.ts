import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CronbeatApi } from '../src/api';
import { addCheck, type CronbeatServer, cli, envFor, startCronbeat } from './cronbeat-server';

let server: CronbeatServer;
let api: CronbeatApi;
beforeAll(async () => {
  server = await startCronbeat();
  api = new CronbeatApi({ url: server.url, apiKey: server.apiKey, pingKey: server.pingKey });
  await addCheck(server, { name: 'Database', slug: 'database' });
});
afterAll(() => server.close());

const directory = mkdtempSync(join(tmpdir(), 'cronbeat-maintenance-'));
function monitorsFile(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}
const run = (args: string[]) => cli(args, { env: envFor(server) });

/** Each check's parents by slug, as the server keeps them. */
async function parentsBySlug(): Promise<Record<string, string[]>> {
  const checks = await api.listChecks();
  const slugOf = new Map(checks.map((check) => [check.id, check.slug]));
  return Object.fromEntries(
    checks.filter((check) => check.slug).map((check) => [check.slug, check.dependsOn.map((id) => slugOf.get(id)).sort()]),
  );
}

const windowsByName = async () => Object.fromEntries((await api.listMaintenanceWindows()).map((window) => [window.name, window]));

const FIRST = `checks:
  - slug: backup
    cron: "0 3 * * *"
    depends_on: [database]        # on the server already
  - slug: upload
    period: 1d
    dependsOn: [backup, database] # declared above, created by this sync
maintenance:
  - name: Database upgrade
    once: {starts: "2030-01-10T22:00:00+01:00", ends: "2030-01-11T02:00:00+01:00"}
    tags: [db]
  - name: Sunday backups
    recurring: {cron: "0 2 * * SUN", tz: Europe/Berlin, duration: 2h}
    checks: [backup, upload]
  - name: Everything
    recurring: {cron: "@daily", duration: 30m}
    covers: project
`;

describe('dependencies and maintenance windows through cronbeat sync', () => {
  it('creates checks that depend on checks of the file and of the server, and the windows, then finds nothing to change', async () => {
    const created = await run(['sync', monitorsFile('first.yaml', FIRST)]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('2 to create, 0 to update, 0 to delete, 0 unchanged');
    expect(created.stdout).toContain('maintenance windows: 3 to create, 0 to update, 0 to delete, 0 unchanged');
    expect(await parentsBySlug()).toMatchObject({ backup: ['database'], upload: ['backup', 'database'], database: [] });

    const windows = await windowsByName();
    expect(windows['Database upgrade']).toMatchObject({
      kind: 'once',
      startsAt: '2030-01-10T21:00:00.000Z',
      endsAt: '2030-01-11T01:00:00.000Z',
      covers: 'tags',
      tags: ['db'],
    });
    const ids = Object.fromEntries((await api.listChecks()).map((check) => [check.slug, check.id]));
    expect(windows['Sunday backups']).toMatchObject({
      kind: 'recurring',
      cron: '0 2 * * SUN',
      tz: 'Europe/Berlin',
      duration: 7200,
      covers: 'checks',
    });
    expect([...windows['Sunday backups']!.checks].sort()).toEqual([ids.backup, ids.upload].sort());
    expect(windows.Everything).toMatchObject({ cron: '0 0 * * *', tz: 'UTC', duration: 1800, covers: 'project' });

    const again = await run(['sync', monitorsFile('first.yaml', FIRST)]);
    expect(again.stdout).toBe(
      '0 to create, 0 to update, 0 to delete, 2 unchanged\nmaintenance windows: 0 to create, 0 to update, 0 to delete, 3 unchanged\n',
    );
  });

  it('reverses a dependency without the server ever seeing a cycle, and updates a window by name, keeping the others', async () => {
    const reversed = `checks:
  - slug: backup
    cron: "0 3 * * *"
    depends_on: [upload]
  - slug: upload
    period: 1d
    depends_on: [database]
maintenance:
  - name: Sunday backups
    recurring: {cron: "0 2 * * SUN", tz: Europe/Berlin, duration: 3h}
    covers: {tags: [backup]}
`;
    const path = monitorsFile('reversed.yaml', reversed);
    const dry = await run(['sync', path, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dependsOn: ["database"] → ["upload"]');
    expect(dry.stdout).toContain('dependsOn: ["backup","database"] → ["database"]');
    expect(dry.stdout).toContain('~ update maintenance window "Sunday backups"');
    expect(dry.stdout).toContain('duration: 7200 → 10800');
    expect(await parentsBySlug()).toMatchObject({ backup: ['database'] });

    const applied = await run(['sync', path]);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(await parentsBySlug()).toMatchObject({ backup: ['upload'], upload: ['database'] });
    const windows = await windowsByName();
    expect(windows['Sunday backups']).toMatchObject({ duration: 10_800, covers: 'tags', tags: ['backup'], checks: [] });
    // Not in the file, no --prune: left as they are.
    expect(Object.keys(windows).sort()).toEqual(['Database upgrade', 'Everything', 'Sunday backups']);
    expect((await run(['sync', path])).stdout).toContain('maintenance windows: 0 to create, 0 to update, 0 to delete, 1 unchanged');
  });

  it('keeps an early end when only what a window covers changes', async () => {
    const ends = new Date(Date.now() + 3_600_000).toISOString();
    const starts = new Date(Date.now() - 3_600_000).toISOString();
    const file = (covers: string) => `checks: []
maintenance:
  - name: Right now
    once: {starts: "${starts}", ends: "${ends}"}
    ${covers}
`;
    expect((await run(['sync', monitorsFile('now.yaml', file('tags: [db]'))])).code).toBe(0);
    expect((await run(['maintenance', 'end', 'Right now'])).code).toBe(0);
    const recovered = await run(['sync', monitorsFile('now.yaml', file('tags: [db, web]'))]);
    expect(recovered.stdout).toContain('tags: ["db"] → ["db","web"]');
    expect((await windowsByName())['Right now']).toMatchObject({ tags: ['db', 'web'], current: null, endedAt: expect.any(String) });
  });

  it('deletes the windows the file does not list only with --prune, and leaves windows alone when it has no maintenance list', async () => {
    const onlyChecks = monitorsFile('only-checks.yaml', 'checks:\n  - slug: backup\n    cron: "0 3 * * *"\n');
    const untouched = await run(['sync', onlyChecks, '--dry-run', '--prune']);
    expect(untouched.stdout).not.toContain('maintenance');
    const pruning = monitorsFile(
      'prune.yaml',
      `checks:
  - slug: backup
  - slug: upload
  - slug: database
maintenance:
  - name: Everything
    recurring: {cron: "@daily", duration: 30m}
`,
    );
    const pruned = await run(['sync', pruning, '--prune', '--json']);
    expect(pruned.code).toBe(0);
    const plan = JSON.parse(pruned.stdout);
    expect(
      plan.maintenance
        .filter((change: { action: string }) => change.action === 'delete')
        .map((change: { name: string }) => change.name)
        .sort(),
    ).toEqual(['Database upgrade', 'Right now', 'Sunday backups']);
    expect(Object.keys(await windowsByName())).toEqual(['Everything']);
  });

  it('refuses a slug that names no check, naming the check, the key and its line, and changes nothing', async () => {
    const before = await parentsBySlug();
    const unknown = await run([
      'sync',
      monitorsFile('unknown.yaml', 'checks:\n  - slug: backup\n    depends_on:\n      - database\n      - databse\n'),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'line 5, column 9: checks[0] (backup).depends_on[1]: no check "databse" in this file or on the server',
    );
    expect(await parentsBySlug()).toEqual(before);

    const window = await run([
      'sync',
      monitorsFile(
        'unknown-window.yaml',
        'checks: []\nmaintenance:\n  - name: Nightly\n    recurring: {cron: "0 2 * * *", duration: 1h}\n    checks: [nope]\n',
      ),
    ]);
    expect(window.code).toBe(2);
    expect(window.stderr).toContain('line 5, column 14: maintenance[0] (Nightly).checks.0: no check "nope" in this file or on the server');

    const pruned = await run(['sync', monitorsFile('pruned.yaml', 'checks:\n  - slug: upload\n    depends_on: [backup]\n'), '--prune']);
    expect(pruned.code).toBe(2);
    expect(pruned.stderr).toContain('checks[0] (upload).depends_on[0]: check "backup" is not in this file, so --prune deletes it');
  });

  it('refuses a cycle before sending anything, naming it', async () => {
    const cycle = await run([
      'sync',
      monitorsFile('cycle.yaml', 'checks:\n  - slug: database\n    depends_on: [upload]\n  - slug: backup\n  - slug: upload\n'),
    ]);
    expect(cycle.code).toBe(2);
    expect(cycle.stderr).toMatch(/line 3, column \d+: checks\[0\] \(database\)\.depends_on: makes a cycle: database → upload → database/);
    expect((await parentsBySlug()).database).toEqual([]);
  });

  it('names the window and key of a mistake in the maintenance list', async () => {
    const cases: Array<[string, string]> = [
      [
        '  - name: A\n    recurring: {cron: "0 2 * * *", duration: 10s}\n',
        'maintenance[0] (A).recurring.duration: expected whole seconds from 1m to 7d',
      ],
      ['  - name: B\n    recurring: {cron: "0 2 * * *", tz: Mars/Olympus, duration: 1h}\n', 'maintenance[0] (B).recurring.tz'],
      [
        '  - name: C\n    once: {starts: "2030-01-01T10:00:00", ends: "2030-01-01T12:00:00Z"}\n',
        'maintenance[0] (C).once.starts: expected a date and time with its offset',
      ],
      [
        '  - name: D\n    once: {starts: "2030-01-01T10:00:00Z", ends: "2030-01-01T09:00:00Z"}\n',
        'maintenance[0] (D).once.ends: must be after starts',
      ],
      ['  - name: E\n', 'maintenance[0] (E): give either once: {starts, ends} or recurring: {cron, tz, duration}'],
      [
        '  - name: F\n    recurring: {cron: "0 2 * * *", duration: 1h}\n    tags: [a]\n    checks: [b]\n',
        'maintenance[0] (F).checks: a window covers',
      ],
      [
        '  - name: G\n    recurring: {cron: "0 2 * * *", duration: 1h}\n  - name: G\n    recurring: {cron: "0 3 * * *", duration: 1h}\n',
        'line 5, column 11: maintenance[1]: name "G" is declared twice',
      ],
    ];
    for (const [windows, message] of cases) {
      const result = await run(['sync', monitorsFile('bad.yaml', `checks: []\nmaintenance:\n${windows}`), '--dry-run']);
      expect(result.code, windows).toBe(2);
      expect(result.stderr, windows).toContain(message);
    }
  });
});

describe('cronbeat checks create --depends-on and cronbeat maintenance', () => {
  it('creates a check depending on others by slug or id, and shows them', async () => {
    const database = await api.findCheck('database');
    const created = await run([
      'checks',
      'create',
      '--name',
      'Report',
      '--slug',
      'report',
      '--depends-on',
      'backup',
      '--depends-on',
      database.id,
      '--json',
    ]);
    expect(created.stderr).toBe('');
    const check = JSON.parse(created.stdout);
    expect([...check.dependsOn].sort()).toEqual([(await api.findCheck('backup')).id, database.id].sort());
    expect((await run(['checks', 'get', 'report'])).stdout).toMatch(/depends on:\S+, \S+/);
  });

  it('refuses bad --depends-on values as usage errors naming the flag, and a cycle as the API does', async () => {
    const unknown = await run(['checks', 'create', '--name', 'X', '--depends-on', 'no-such-check']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--depends-on: no check with slug "no-such-check"');
    const malformed = await run(['checks', 'create', '--name', 'X', '--depends-on', 'Not A Slug']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--depends-on: "Not A Slug" is neither a check id nor a slug');
    const many = Array.from({ length: 21 }, () => ['--depends-on', 'backup']).flat();
    expect((await run(['checks', 'create', '--name', 'X', ...many])).stderr).toContain('--depends-on: at most 20 checks, got 21');
    expect((await run(['checks', 'create', '--help'])).stdout).toContain('--depends-on <slug|id>');
  });

  it('creates one-off and recurring windows, lists them and ends one by name', async () => {
    const once = await run(['maintenance', 'create', '--name', 'Deploy', '--starts', 'now', '--ends', '+2h', '--tag', 'web', '--json']);
    expect(once.stderr).toBe('');
    expect(once.code).toBe(0);
    const deploy = JSON.parse(once.stdout);
    expect(deploy).toMatchObject({ kind: 'once', covers: 'tags', tags: ['web'], current: { end: deploy.endsAt } });
    expect(Date.parse(deploy.endsAt) - Date.parse(deploy.startsAt)).toBe(7_200_000);

    const weekly = await run([
      'maintenance',
      'create',
      '--name',
      'Weekly',
      '--cron',
      '0 4 * * 1',
      '--tz',
      'America/New_York',
      '--duration',
      '90m',
      '--check',
      'backup',
    ]);
    expect(weekly.stderr).toBe('');
    expect(weekly.stdout).toContain('0 4 * * 1 (America/New_York) for 90m');

    const listed = await run(['maintenance', 'list']);
    expect(listed.stdout).toMatch(/^NAME\s+WHEN\s+COVERS\s+NOW\s+ID$/m);
    expect(listed.stdout).toMatch(/Deploy .* tags web\s+in force until /);
    expect(listed.stdout).toMatch(/Weekly .* 1 check\s+next /);

    const ended = await run(['maintenance', 'end', 'Deploy']);
    expect(ended.stderr).toBe('');
    expect(ended.stdout).toBe('ended "Deploy"\n');
    const again = await run(['maintenance', 'end', deploy.id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('409 the maintenance window is not in force now');
    expect((await run(['maintenance', 'end', 'No such window'])).stderr).toContain('no maintenance window named "No such window"');
  });

  it('refuses bad values as usage errors naming the flag, before sending anything', async () => {
    const cases: Array<[string[], string]> = [
      [['--starts', 'now', '--ends', '+2h'], '--name:'],
      [['--name', 'A', '--starts', 'tomorrow', '--ends', '+1h'], '--starts: expected a date and time with its offset'],
      [['--name', 'A', '--ends', '2030-01-01T10:00:00'], '--ends: expected a date and time with its offset'],
      [['--name', 'A', '--ends', '+soon'], '--ends: invalid duration'],
      [['--name', 'A', '--ends', '+40d'], '--ends: at most 31 days'],
      [['--name', 'A', '--cron', '0 2 * * *', '--duration', '10s'], '--duration: expected 1m to 7d'],
      [['--name', 'A', '--cron', '0 2 * * *', '--duration', '1h', '--tz', 'Mars/Olympus'], '--tz: unknown time zone'],
      [['--name', 'A', '--cron', '0 2 * * *'], '--duration: a recurring window needs a duration'],
      [['--name', 'A', '--cron', '0 2 * * *', '--duration', '1h', '--ends', '+1h'], '--cron: give --starts/--ends'],
      [['--name', 'A', '--ends', '+1h', '--tag', 'a', '--check', 'backup'], '--check: a window covers tags or checks, not both'],
      [['--name', 'A', '--ends', '+1h', '--check', 'nope'], '--check: no check with slug "nope"'],
      [['--name', 'A', '--ends', '+1h', '--tag', 'two words'], '--tag: "two words": a tag has no spaces'],
    ];
    const before = (await api.listMaintenanceWindows()).length;
    for (const [flags, message] of cases) {
      const result = await run(['maintenance', 'create', ...flags]);
      expect(result.code, flags.join(' ')).toBe(2);
      expect(result.stderr, flags.join(' ')).toContain(message);
    }
    expect((await api.listMaintenanceWindows()).length).toBe(before);
    // What only the server knows is its 400, naming the field.
    const badCron = await run(['maintenance', 'create', '--name', 'A', '--cron', '61 2 * * *', '--duration', '1h']);
    expect(badCron.code).toBe(1);
    expect(badCron.stderr).toContain('cron');
  });

  it('explains itself with --help', async () => {
    const help = await run(['maintenance', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('cronbeat maintenance create --name <name>');
    expect(help.stdout).toContain('--duration <duration>');
    expect((await run(['maintenance', 'create', '--help'])).stdout).toBe(help.stdout);
    expect((await run(['--help'])).stdout).toContain('cronbeat maintenance end <name|id>');
  });
});
