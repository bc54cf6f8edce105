import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CronbeatServer, checkRow, checksOfProject, cli, envFor, startCronbeat } from './cronbeat-server';

let server: CronbeatServer;
beforeAll(async () => {
  server = await startCronbeat();
});
afterAll(() => server.close());

const directory = mkdtempSync(join(tmpdir(), 'cronbeat-policies-'));
function monitorsFile(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

const run = (args: string[]) => cli(args, { env: envFor(server) });

/** The policy columns of a stored check, as the API names them. */
const storedPolicy = async (id: string) => {
  const row = await checkRow(server, id);
  return {
    failureThreshold: row.failureThreshold,
    recoveryThreshold: row.recoveryThreshold,
    successKeywords: row.successKeywords,
    failureKeywords: row.failureKeywords,
    startKeywords: row.startKeywords,
    earlyTolerance: row.earlyTolerance,
    maxConcurrentRuns: row.maxConcurrentRuns,
    durationAnomaly: row.durationAnomaly,
  };
};

const bySlug = async (slug: string) => (await checksOfProject(server)).find((check) => check.slug === slug);

describe('alert policies through cronbeat sync', () => {
  const POLICIES = `checks:
  - slug: nightly-backup
    cron: "0 3 * * *"
    tz: Europe/Berlin
    failure_threshold: 3
    recovery_threshold: 2
    success_keywords: [backup complete]
    failure_keywords: [ERROR, disk full]
    start_keywords: [backup started]
    early_tolerance: 10m
    max_concurrent_runs: 1
    duration_anomaly: auto
  - slug: invoices
    period: 1h
    durationAnomaly: {min: 30s, max: 2h}
    failureThreshold: 2
`;

  it('creates checks with their policies, then finds nothing to change', async () => {
    const created = await run(['sync', monitorsFile('policies.yaml', POLICIES)]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('2 to create, 0 to update, 0 to delete, 0 unchanged');

    const backup = (await bySlug('nightly-backup'))!;
    await expect(storedPolicy(backup.id)).resolves.toEqual({
      failureThreshold: 3,
      recoveryThreshold: 2,
      successKeywords: ['backup complete'],
      failureKeywords: ['ERROR', 'disk full'],
      startKeywords: ['backup started'],
      earlyTolerance: 600,
      maxConcurrentRuns: 1,
      durationAnomaly: { mode: 'auto', factor: 3 },
    });
    const invoices = (await bySlug('invoices'))!;
    await expect(storedPolicy(invoices.id)).resolves.toMatchObject({
      failureThreshold: 2,
      recoveryThreshold: 1,
      successKeywords: [],
      earlyTolerance: null,
      maxConcurrentRuns: null,
      durationAnomaly: { mode: 'bounds', minDuration: 30, maxDuration: 7200 },
    });

    const again = await run(['sync', monitorsFile('policies.yaml', POLICIES), '--dry-run']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 to create, 0 to update, 0 to delete, 2 unchanged');
  });

  it('changes only the policies the file changes, and leaves those it leaves out', async () => {
    const edited = `checks:
  - slug: nightly-backup
    failure_threshold: 5
    duration_anomaly: off
    max_concurrent_runs: off
`;
    const result = await run(['sync', monitorsFile('edited.yaml', edited)]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      '~ update nightly-backup\n' +
        '    failureThreshold: 3 → 5\n' +
        '    maxConcurrentRuns: 1 → (none)\n' +
        '    durationAnomaly: {"mode":"auto","factor":3} → (none)\n' +
        '0 to create, 1 to update, 0 to delete, 0 unchanged\n',
    );
  });

  it('passes on the server refusing a policy, naming the field', async () => {
    // The file gives no schedule, so only the server knows invoices runs on a period.
    const result = await run(['sync', monitorsFile('early.yaml', '- slug: invoices\n  early_tolerance: 5m\n')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^cronbeat: PATCH \/checks\/[0-9a-f-]+: 400 .*earlyTolerance/);
    await expect(storedPolicy((await bySlug('invoices'))!.id)).resolves.toMatchObject({ earlyTolerance: null });
  });

  it('refuses a bad policy in the file before asking the server, with its key and line', async () => {
    const before = (await checksOfProject(server)).length;
    const result = await run(['sync', monitorsFile('bad.yaml', '- slug: fresh\n  period: 1h\n  failure_threshold: 101\n')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'cronbeat: ' +
        join(directory, 'bad.yaml') +
        ': line 3, column 22: checks[0] (fresh).failure_threshold: expected a whole number from 1 to 100, got 101\n',
    );
    expect(await checksOfProject(server)).toHaveLength(before);
  });
});

describe('alert policies through cronbeat checks create', () => {
  it('sets every policy from its flag and shows them with checks get', async () => {
    const created = await run([
      'checks',
      'create',
      '--name',
      'Reports',
      '--slug',
      'reports',
      '--cron',
      '0 6 * * 1-5',
      '--tz',
      'Europe/Berlin',
      '--alert-on-late',
      '--failure-threshold',
      '3',
      '--recovery-threshold',
      '2',
      '--success-keyword',
      'sent',
      '--failure-keyword',
      'ERROR',
      '--failure-keyword',
      'Traceback',
      '--start-keyword',
      'sending',
      '--early-tolerance',
      '10m',
      '--max-concurrent-runs',
      '1',
      '--duration-anomaly',
      'auto:4',
      '--json',
    ]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const check = JSON.parse(created.stdout);
    const expected = {
      failureThreshold: 3,
      recoveryThreshold: 2,
      successKeywords: ['sent'],
      failureKeywords: ['ERROR', 'Traceback'],
      startKeywords: ['sending'],
      earlyTolerance: 600,
      maxConcurrentRuns: 1,
      durationAnomaly: { mode: 'auto', factor: 4 },
    };
    expect(check).toMatchObject({ alertOnLate: true, failures: 0, successes: 0, ...expected });
    await expect(storedPolicy(check.id)).resolves.toEqual(expected);

    const shown = await run(['checks', 'get', 'reports']);
    expect(shown.stdout).toContain('late:      alerts as soon as a ping is overdue\n');
    expect(shown.stdout).toContain('down after:3 failed runs in a row\n');
    expect(shown.stdout).toContain('up after:  2 successful runs in a row\n');
    expect(shown.stdout).toContain('failure if:body contains "ERROR", "Traceback"\n');
    expect(shown.stdout).toContain('too early: more than 10m before schedule\n');
    expect(shown.stdout).toContain('durations: 4 × slower or faster than the median\n');
  });

  it('sets duration bounds with --min-duration and --max-duration', async () => {
    const created = await run([
      'checks',
      'create',
      '--name',
      'Sync',
      '--period',
      '1h',
      '--min-duration',
      '30s',
      '--max-duration',
      '2h',
      '--json',
    ]);
    expect(created.stderr).toBe('');
    const check = JSON.parse(created.stdout);
    expect(check.durationAnomaly).toEqual({ mode: 'bounds', minDuration: 30, maxDuration: 7200 });
    expect(check).toMatchObject({ failureThreshold: 1, recoveryThreshold: 1, earlyTolerance: null, maxConcurrentRuns: null });
  });

  it.each([
    [['--failure-threshold', '0'], '--failure-threshold: expected a whole number from 1 to 100, got "0"'],
    [['--recovery-threshold', 'two'], '--recovery-threshold: expected a whole number from 1 to 100, got "two"'],
    [['--success-keyword', '   '], '--success-keyword: a keyword may not be empty or only spaces'],
    [
      ['--early-tolerance', '2d', '--cron', '0 3 * * *'],
      '--early-tolerance: expected a duration from 1 to 86400 seconds, got "2d" (172800 s)',
    ],
    [['--early-tolerance', '10m'], '--early-tolerance: applies to --cron schedules only'],
    [['--max-concurrent-runs', '1.5'], '--max-concurrent-runs: expected a whole number from 1 to 100, got "1.5"'],
    [['--duration-anomaly', 'auto:1'], '--duration-anomaly: factor: expected a number from 1.5 to 100, got "1"'],
    [['--duration-anomaly', 'sometimes'], '--duration-anomaly: expected auto, auto:<factor> or off, got "sometimes"'],
    [
      ['--duration-anomaly', 'auto', '--max-duration', '1h'],
      '--duration-anomaly: give auto[:F], or --min-duration / --max-duration, not both',
    ],
    [['--min-duration', '2h', '--max-duration', '1h'], '--min-duration: min (7200 s) must be below max (3600 s)'],
    [['--max-duration', 'later'], '--max-duration: invalid duration "later"'],
  ])('refuses %j as a usage error naming the flag', async (flags, message) => {
    const before = (await checksOfProject(server)).length;
    const schedule = flags.includes('--cron') ? [] : ['--period', '1h'];
    const result = await run(['checks', 'create', '--name', 'Refused', ...schedule, ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cronbeat: ${message}`);
    expect(await checksOfProject(server)).toHaveLength(before);
  });

  it('explains every policy flag in checks create --help', async () => {
    const help = await run(['checks', 'create', '--help']);
    expect(help.code).toBe(0);
    for (const flag of [
      '--alert-on-late',
      '--failure-threshold <N>',
      '--recovery-threshold <N>',
      '--success-keyword <K>',
      '--failure-keyword <K>',
      '--start-keyword <K>',
      '--early-tolerance <dur>',
      '--max-concurrent-runs <N>',
      '--duration-anomaly auto[:F]',
      '--min-duration <dur>',
      '--max-duration <dur>',
    ]) {
      expect(help.stdout).toContain(`  ${flag}`);
    }
  });
});
