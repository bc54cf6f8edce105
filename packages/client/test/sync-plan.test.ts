import { RUN_POLICY_LIMITS } from '@cronbeat/contract';
import { describe, expect, it } from 'vitest';
import { POLICY_LIMITS } from '../src/alert-policy';
import type { Channel, Check, MaintenanceWindow } from '../src/api';
import { parseMonitors, parseMonitorsFile } from '../src/monitors-file';
import { formatPlan, planSync } from '../src/sync';
import { planWindows } from '../src/sync-windows';

const existing = (fields: Partial<Check> & { id: string; slug: string }): Check => ({
  name: fields.slug,
  tags: [],
  description: '',
  period: 86_400,
  cron: null,
  onCalendar: null,
  tz: 'UTC',
  grace: 3600,
  maxRuntime: null,
  manualResume: false,
  methods: '',
  alertOnLate: false,
  remindEvery: null,
  channels: [],
  dependsOn: [],
  failureThreshold: 1,
  recoveryThreshold: 1,
  successKeywords: [],
  failureKeywords: [],
  startKeywords: [],
  earlyTolerance: null,
  maxConcurrentRuns: null,
  durationAnomaly: null,
  failures: 0,
  successes: 0,
  status: 'up',
  running: false,
  lastPing: null,
  nextPing: null,
  alertAfter: null,
  lastDuration: null,
  nPings: 0,
  maintenance: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...fields,
});

describe('monitors files', () => {
  it('reads YAML and JSON with durations, and rejects mistakes by check and field', () => {
    const yaml = parseMonitorsFile('checks:\n  - slug: a\n    period: 1d\n    grace: 30m\n    channels: "*"\n');
    expect(yaml).toEqual([{ slug: 'a', period: 86_400, grace: 1800, channels: '*' }]);
    expect(parseMonitorsFile('[{"slug": "b", "cron": "0 3 * * *", "tz": "UTC"}]', 'x.json')).toEqual([
      { slug: 'b', cron: '0 3 * * *', tz: 'UTC' },
    ]);
    expect(() => parseMonitorsFile('checks:\n  - name: no slug\n')).toThrow('checks[0]: "slug" is required');
    expect(() => parseMonitorsFile('- slug: a\n  graze: 1h\n')).toThrow('checks[0]: unknown field "graze"');
    expect(() => parseMonitorsFile('- slug: a\n  period: 1d\n  cron: "* * * * *"\n')).toThrow('give one of period, cron and on_calendar');
    expect(() => parseMonitorsFile('- slug: a\n- slug: a\n')).toThrow('slug "a" is declared twice');
    expect(() => parseMonitorsFile('- slug: a\n  grace: soon\n')).toThrow('checks[0] (a).grace: invalid duration');
  });

  it('reads reminders as a duration, or off for none, under either spelling', () => {
    expect(parseMonitorsFile('- slug: a\n  remindEvery: 6h\n')[0]).toMatchObject({ remindEvery: 21_600 });
    expect(parseMonitorsFile('- slug: a\n  remind_every: 30m\n')[0]).toMatchObject({ remindEvery: 1800 });
    expect(parseMonitorsFile('- slug: a\n  remindEvery: off\n')[0]).toMatchObject({ remindEvery: null });
    expect(parseMonitorsFile('- slug: a\n')[0]).not.toHaveProperty('remindEvery');
    expect(() => parseMonitorsFile('- slug: a\n  remindEvery: often\n')).toThrow('checks[0] (a).remindEvery: invalid duration');
    const plan = planSync([{ slug: 'a', name: 'a', remindEvery: null }], [existing({ id: '1', slug: 'a', remindEvery: 3600 })], [], false);
    expect(plan).toEqual([
      { action: 'update', slug: 'a', id: '1', patch: { remindEvery: null }, fields: [{ field: 'remindEvery', from: 3600, to: null }] },
    ]);
  });
});

describe('sync planning', () => {
  const channels: Channel[] = [
    { id: 'c1', name: 'ops email', kind: 'email' },
    { id: 'c2', name: 'slack', kind: 'slack' },
  ];

  it('keeps the name of a check whose entry leaves name out, and names a new one after its slug', () => {
    const declared = parseMonitorsFile('- slug: kept\n  grace: 10m\n- slug: fresh\n  period: 1h\n');
    const plan = planSync(declared, [existing({ id: '1', slug: 'kept', name: 'Nightly backup' })], [], false);
    expect(plan).toEqual([
      { action: 'update', slug: 'kept', id: '1', patch: { grace: 600 }, fields: [{ field: 'grace', from: 3600, to: 600 }] },
      { action: 'create', slug: 'fresh', input: { name: 'fresh', slug: 'fresh', period: 3600 } },
    ]);
  });

  it('creates new slugs, updates changed fields only, and leaves equal checks alone', () => {
    const plan = planSync(
      [
        { slug: 'new-job', name: 'New', period: 3600 },
        { slug: 'changed', name: 'changed', grace: 600, channels: ['slack'] },
        { slug: 'same', name: 'same', period: 86_400 },
      ],
      [existing({ id: '1', slug: 'changed' }), existing({ id: '2', slug: 'same' }), existing({ id: '3', slug: 'old' })],
      channels,
      false,
    );
    expect(plan).toEqual([
      { action: 'create', slug: 'new-job', input: { slug: 'new-job', name: 'New', period: 3600 } },
      {
        action: 'update',
        slug: 'changed',
        id: '1',
        patch: { grace: 600, channels: ['c2'] },
        fields: [
          { field: 'grace', from: 3600, to: 600 },
          { field: 'channels', from: [], to: ['c2'] },
        ],
      },
      { action: 'unchanged', slug: 'same', id: '2' },
    ]);
    expect(formatPlan(plan)).toBe(
      '+ create new-job\n    name: "New"\n    period: 3600\n~ update changed\n    grace: 3600 → 600\n    channels: [] → ["c2"]\n' +
        '1 to create, 1 to update, 0 to delete, 1 unchanged\n',
    );
  });

  it('deletes undeclared checks only with prune', () => {
    const plan = planSync([], [existing({ id: '3', slug: 'old', name: 'Old job' })], channels, true);
    expect(plan).toEqual([{ action: 'delete', slug: 'old', id: '3', name: 'Old job' }]);
  });

  it('switches a check from a period to cron', () => {
    const [change] = planSync([{ slug: 'x', name: 'x', cron: '0 3 * * *', tz: 'UTC' }], [existing({ id: '1', slug: 'x' })], [], false);
    expect(change).toMatchObject({ action: 'update', patch: { cron: '0 3 * * *' } });
  });

  it('reads OnCalendar schedules under either spelling, several lines as one value, and switches a cron check to one', () => {
    const [weekdays, twice] = parseMonitorsFile(
      '- slug: a\n  on_calendar: Mon..Fri *-*-* 09:00\n  tz: Europe/Riga\n- slug: b\n  onCalendar: |\n    *-*-* 06:00\n    *-*-* 18:00\n',
    );
    expect(weekdays).toEqual({ slug: 'a', onCalendar: 'Mon..Fri *-*-* 09:00', tz: 'Europe/Riga' });
    expect(twice?.onCalendar).toBe('*-*-* 06:00\n*-*-* 18:00\n');
    const stored = existing({ id: '1', slug: 'a', period: null, cron: '0 9 * * 1-5', tz: 'Europe/Riga' });
    const [change] = planSync([weekdays!], [stored], [], false);
    expect(change).toMatchObject({ action: 'update', patch: { onCalendar: 'Mon..Fri *-*-* 09:00' } });
    const same = existing({ id: '1', slug: 'a', period: null, onCalendar: 'Mon..Fri *-*-* 09:00', tz: 'Europe/Riga' });
    expect(planSync([weekdays!], [same], [], false)).toEqual([{ action: 'unchanged', slug: 'a', id: '1' }]);
  });

  it('refuses two schedules in one check, naming the check', () => {
    expect(() => parseMonitorsFile('- slug: a\n  cron: 0 3 * * *\n  on_calendar: daily\n')).toThrow(
      'give one of period, cron and on_calendar, not several',
    );
  });

  it('reads methods, "" or POST, sends it only when it differs, and refuses anything else at its line', () => {
    const [postOnly] = parseMonitorsFile('- slug: a\n  methods: POST\n');
    expect(postOnly).toEqual({ slug: 'a', methods: 'POST' });
    expect(planSync([postOnly!], [existing({ id: '1', slug: 'a' })], [], false)).toMatchObject([
      { action: 'update', patch: { methods: 'POST' } },
    ]);
    expect(planSync([postOnly!], [existing({ id: '1', slug: 'a', methods: 'POST' })], [], false)).toMatchObject([{ action: 'unchanged' }]);
    expect(parseMonitorsFile('- slug: a\n  methods: ""\n')[0]).toEqual({ slug: 'a', methods: '' });
    expect(() => parseMonitorsFile('- slug: a\n  methods: GET\n')).toThrow(
      'line 2, column 12: checks[0] (a).methods: "" (any method pings) or "POST" (GET and HEAD are ignored)',
    );
  });

  it('refuses a channel name the project does not have', () => {
    expect(() => planSync([{ slug: 'x', name: 'x', channels: ['pager'] }], [], channels, false)).toThrow('x: no channel named "pager"');
  });
});

describe('alert policies in monitors files', () => {
  it("checks the API's ranges", () => {
    expect(RUN_POLICY_LIMITS).toMatchObject(POLICY_LIMITS);
  });

  it('reads every policy key in camelCase and snake_case, durations as words or seconds', () => {
    const snake = parseMonitorsFile(`checks:
  - slug: backup
    cron: "0 3 * * *"
    failure_threshold: 3
    recovery_threshold: 2
    success_keywords: [backup complete]
    failure_keywords: [ERROR, "disk full"]
    early_tolerance: 10m
    max_concurrent_runs: 1
    duration_anomaly: auto
`);
    const camel = parseMonitorsFile(
      '[{"slug": "backup", "cron": "0 3 * * *", "failureThreshold": 3, "recoveryThreshold": 2, "successKeywords": ["backup complete"],' +
        ' "failureKeywords": ["ERROR", "disk full"], "earlyTolerance": 600, "maxConcurrentRuns": 1, "durationAnomaly": "auto"}]',
      'cronbeat.json',
    );
    const expected = {
      slug: 'backup',
      cron: '0 3 * * *',
      failureThreshold: 3,
      recoveryThreshold: 2,
      successKeywords: ['backup complete'],
      failureKeywords: ['ERROR', 'disk full'],
      earlyTolerance: 600,
      maxConcurrentRuns: 1,
      // The API's default factor is filled in, so the unchanged file plans no update.
      durationAnomaly: { mode: 'auto', factor: 3 },
    };
    expect(snake).toEqual([expected]);
    expect(camel).toEqual([expected]);
  });

  it('reads duration anomalies as auto with a factor, as bounds, or off', () => {
    const anomaly = (value: string) => parseMonitorsFile(`- slug: a\n  duration_anomaly: ${value}\n`)[0]!.durationAnomaly;
    expect(anomaly('{factor: 2.5}')).toEqual({ mode: 'auto', factor: 2.5 });
    expect(anomaly('{min: 30s, max: 2h}')).toEqual({ mode: 'bounds', minDuration: 30, maxDuration: 7200 });
    expect(anomaly('{max: 90}')).toEqual({ mode: 'bounds', minDuration: null, maxDuration: 90 });
    expect(anomaly('off')).toBeNull();
    expect(parseMonitorsFile('- slug: a\n  early_tolerance: off\n  max_concurrent_runs: off\n')[0]).toEqual({
      slug: 'a',
      earlyTolerance: null,
      maxConcurrentRuns: null,
    });
  });

  it('leaves out every policy key the file leaves out', () => {
    const [declared] = parseMonitorsFile('- slug: a\n  period: 1h\n');
    expect(declared).toEqual({ slug: 'a', period: 3600 });
  });

  it.each([
    ['failure_threshold: 0', 'line 3, column 24: checks[0] (a).failure_threshold: expected a whole number from 1 to 100, got 0'],
    ['failureThreshold: 2.5', 'line 3, column 23: checks[0] (a).failureThreshold: expected a whole number from 1 to 100, got 2.5'],
    ['recovery_threshold: many', 'line 3, column 25: checks[0] (a).recovery_threshold: expected a whole number from 1 to 100, got "many"'],
    ['success_keywords: done', 'line 3, column 23: checks[0] (a).success_keywords: expected a list of keywords, got "done"'],
    ['failure_keywords: [ERROR, "  "]', 'checks[0] (a).failure_keywords: keyword 2: a keyword may not be empty or only spaces'],
    [`failure_keywords: [${'x'.repeat(201)}]`, 'failure_keywords: keyword 1: a keyword has at most 200 characters, got 201'],
    [`failure_keywords: [${Array.from({ length: 21 }, (_, i) => `k${i}`).join(', ')}]`, 'at most 20 keywords, got 21'],
    ['early_tolerance: soon', 'line 3, column 22: checks[0] (a).early_tolerance: invalid duration "soon"'],
    ['early_tolerance: 2d', 'early_tolerance: expected a duration from 1 to 86400 seconds, got "2d" (172800 s)'],
    ['max_concurrent_runs: 0', 'max_concurrent_runs: expected a whole number from 1 to 100, got 0'],
    ['duration_anomaly: sometimes', 'duration_anomaly: expected auto, off, {factor: 3} or {min: 30s, max: 2h}, got "sometimes"'],
    ['duration_anomaly: {factor: 1}', 'duration_anomaly: factor: expected a number from 1.5 to 100, got 1'],
    ['duration_anomaly: {factor: 3, max: 1h}', 'duration_anomaly: give factor (auto) or min and max (bounds), not both'],
    ['duration_anomaly: {min: 2h, max: 30m}', 'duration_anomaly: min (7200 s) must be below max (1800 s)'],
    ['duration_anomaly: {max: 8d}', 'duration_anomaly: max: expected a duration from 0 to 604800 seconds'],
    ['duration_anomaly: {}', 'duration_anomaly: give min, max or both'],
    ['duration_anomaly: {median: 3}', 'duration_anomaly: unknown field "median" (use factor, or min and max)'],
  ])('refuses %s, naming the key and its line', (line, message) => {
    expect(() => parseMonitorsFile(`checks:\n  - slug: a\n    ${line}\n`)).toThrow(message);
  });

  it('refuses an early tolerance on a check with a period, at the line of the key', () => {
    expect(() => parseMonitorsFile('- slug: a\n  period: 1h\n  earlyTolerance: 5m\n')).toThrow(
      'line 3, column 19: checks[0] (a).earlyTolerance: applies to cron and OnCalendar schedules only, and this check has a period',
    );
  });

  it('gives the line of mistakes in JSON files and in other keys too', () => {
    expect(() => parseMonitorsFile('[\n  {"slug": "a"},\n  {"slug": "b",\n   "maxConcurrentRuns": -1}\n]', 'cronbeat.json')).toThrow(
      'line 4, column 25: checks[1] (b).maxConcurrentRuns: expected a whole number from 1 to 100, got -1',
    );
    expect(() => parseMonitorsFile('- slug: a\n  grace: soon\n')).toThrow('line 2, column 10: checks[0] (a).grace: invalid duration');
    // A key merged in from an anchor is written elsewhere: the check's own line is given.
    expect(() => parseMonitorsFile('defaults: &d\n  failure_threshold: 0\nchecks:\n  - <<: *d\n    slug: a\n')).toThrow(
      /^line 4, column 5: checks\[0\] \(a\)\.failure_threshold: expected a whole number/,
    );
  });
});

describe('planning alert policies', () => {
  const cron = { cron: '0 3 * * *', period: null };

  it('updates the policies that differ and sends only those', () => {
    const declared = parseMonitorsFile(`- slug: a
  failure_threshold: 3
  failure_keywords: [ERROR]
  duration_anomaly: {min: 30s}
  max_concurrent_runs: off
`);
    const plan = planSync(declared, [existing({ id: '1', slug: 'a', ...cron, maxConcurrentRuns: 2 })], [], false);
    expect(plan).toEqual([
      {
        action: 'update',
        slug: 'a',
        id: '1',
        patch: {
          failureThreshold: 3,
          failureKeywords: ['ERROR'],
          maxConcurrentRuns: null,
          durationAnomaly: { mode: 'bounds', minDuration: 30, maxDuration: null },
        },
        fields: [
          { field: 'failureThreshold', from: 1, to: 3 },
          { field: 'failureKeywords', from: [], to: ['ERROR'] },
          { field: 'maxConcurrentRuns', from: 2, to: null },
          { field: 'durationAnomaly', from: null, to: { mode: 'bounds', minDuration: 30, maxDuration: null } },
        ],
      },
    ]);
    expect(formatPlan(plan)).toContain('    durationAnomaly: (none) → {"mode":"bounds","minDuration":30,"maxDuration":null}\n');
  });

  it('leaves a check alone when its policies already match, whatever the order of their fields', () => {
    const declared = parseMonitorsFile('- slug: a\n  duration_anomaly: auto\n  early_tolerance: 10m\n  recovery_threshold: 2\n');
    const stored = existing({
      id: '1',
      slug: 'a',
      ...cron,
      durationAnomaly: { factor: 3, mode: 'auto' },
      earlyTolerance: 600,
      recoveryThreshold: 2,
    });
    expect(planSync(declared, [stored], [], false)).toEqual([{ action: 'unchanged', slug: 'a', id: '1' }]);
  });

  it('leaves the policies a file leaves out as they are on the server', () => {
    const stored = existing({ id: '1', slug: 'a', failureThreshold: 5, failureKeywords: ['FATAL'], maxConcurrentRuns: 1 });
    expect(planSync(parseMonitorsFile('- slug: a\n  grace: 1h\n'), [stored], [], false)).toEqual([
      { action: 'unchanged', slug: 'a', id: '1' },
    ]);
  });

  it('creates a check with its policies', () => {
    const [change] = planSync(parseMonitorsFile('- slug: new\n  period: 1h\n  failure_threshold: 2\n'), [], [], false);
    expect(change).toEqual({ action: 'create', slug: 'new', input: { name: 'new', slug: 'new', period: 3600, failureThreshold: 2 } });
  });

  it('drops the early tolerance of a cron check the file switches to a period', () => {
    const stored = existing({ id: '1', slug: 'a', ...cron, earlyTolerance: 600 });
    const [change] = planSync(parseMonitorsFile('- slug: a\n  period: 1h\n'), [stored], [], false);
    expect(change).toMatchObject({ action: 'update', patch: { period: 3600, earlyTolerance: null } });
  });
});

describe('dependencies in sync planning', () => {
  it('reads depends_on and dependsOn as slugs, refusing a check depending on itself and what is no slug, with the line', () => {
    expect(parseMonitorsFile('- slug: a\n  depends_on: [b, c]\n')[0]).toMatchObject({ dependsOn: ['b', 'c'] });
    expect(parseMonitorsFile('- slug: a\n  dependsOn: []\n')[0]).toMatchObject({ dependsOn: [] });
    expect(() => parseMonitorsFile('- slug: a\n  depends_on: [b, a]\n')).toThrow(
      'line 2, column 19: checks[0] (a).depends_on[1]: a check cannot depend on itself',
    );
    expect(() => parseMonitorsFile('- slug: a\n  depends_on: [B]\n')).toThrow('checks[0] (a).depends_on[0]: expected the slug of a check');
    expect(() => parseMonitorsFile('- slug: a\n  depends_on: b\n')).toThrow('checks[0] (a).depends_on: expected a list of check slugs');
  });

  it("sets a new check's parents after every check exists, and compares parents by slug whatever their order", () => {
    const declared = parseMonitorsFile('- slug: b\n  depends_on: [a, c]\n- slug: c\n- slug: d\n  depends_on: [c, a]\n');
    const stored = [existing({ id: '1', slug: 'a' }), existing({ id: '4', slug: 'd', dependsOn: ['1'] })];
    const plan = planSync(declared, stored, [], false);
    expect(plan[0]).toEqual({ action: 'create', slug: 'b', input: { name: 'b', slug: 'b' }, dependsOn: ['a', 'c'] });
    expect(plan[2]).toMatchObject({
      action: 'update',
      patch: {},
      fields: [{ field: 'dependsOn', from: ['a'], to: ['a', 'c'] }],
      dependsOn: ['c', 'a'],
    });
    expect(plan[2]).not.toHaveProperty('parentsKept');
    expect(formatPlan(plan)).toContain('    dependsOn: ["a","c"]');
    const same = planSync(parseMonitorsFile('- slug: d\n  depends_on: [a]\n'), stored, [], false);
    expect(same).toEqual([{ action: 'unchanged', slug: 'd', id: '4' }]);
  });

  it('drops the parents that go in the first request, so reversing a dependency never makes a cycle on the way', () => {
    const stored = [existing({ id: '1', slug: 'a', dependsOn: ['2'] }), existing({ id: '2', slug: 'b' }), existing({ id: '3', slug: 'c' })];
    const plan = planSync(parseMonitorsFile('- slug: a\n  depends_on: [c]\n- slug: b\n  depends_on: [a]\n'), stored, [], false);
    expect(plan[0]).toMatchObject({ action: 'update', id: '1', patch: {}, parentsKept: [], dependsOn: ['c'] });
    expect(plan[1]).toMatchObject({ action: 'update', id: '2', patch: {}, dependsOn: ['a'] });
    // Only dropping: one request.
    const dropped = planSync(parseMonitorsFile('- slug: a\n  depends_on: []\n'), stored, [], false);
    expect(dropped[0]).toMatchObject({ action: 'update', patch: { dependsOn: [] } });
    expect(dropped[0]).not.toHaveProperty('dependsOn');
  });

  it('refuses a slug of no check, and one --prune deletes, naming check, key and line', () => {
    const source = '- slug: a\n  depends_on:\n    - b\n    - zz\n';
    expect(() => planSync(parseMonitorsFile(source), [existing({ id: '2', slug: 'b' })], [], false)).toThrow(
      'line 4, column 7: checks[0] (a).depends_on[1]: no check "zz" in this file or on the server',
    );
    expect(() => planSync(parseMonitorsFile('- slug: a\n  depends_on: [b]\n'), [existing({ id: '2', slug: 'b' })], [], true)).toThrow(
      'checks[0] (a).depends_on[0]: check "b" is not in this file, so --prune deletes it',
    );
  });

  it("refuses a cycle through the file and the server, starting at the file's check", () => {
    const stored = [existing({ id: '1', slug: 'a', dependsOn: ['2'] }), existing({ id: '2', slug: 'b' })];
    expect(() => planSync(parseMonitorsFile('- slug: b\n  depends_on: [c]\n- slug: c\n  depends_on: [a]\n'), stored, [], false)).toThrow(
      /line 2, column \d+: checks\[0\] \(b\)\.depends_on: makes a cycle: b → c → a → b/,
    );
  });
});

describe('maintenance windows in sync planning', () => {
  const stored = (fields: Partial<MaintenanceWindow> & { id: string; name: string }): MaintenanceWindow => ({
    kind: 'recurring',
    cron: '0 2 * * SUN',
    tz: 'Europe/Berlin',
    duration: 7200,
    covers: 'project',
    tags: [],
    checks: [],
    endedAt: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    current: null,
    next: null,
    ...fields,
  });
  const file = (windows: string) => parseMonitors(`checks:\n  - slug: a\nmaintenance:\n${windows}`);

  it('reads once and recurring windows with what they cover; no maintenance list, no windows to manage', () => {
    const read = file(
      '  - name: Upgrade\n    once: {starts: "2030-01-10T22:00:00+01:00", ends: "2030-01-11T02:00:00+01:00"}\n    covers: {checks: [a]}\n' +
        '  - name: Nightly\n    recurring: {cron: "  @DAILY ", tz: europe/berlin, duration: 90m}\n    tags: [db]\n',
    );
    expect(read.maintenance).toEqual([
      {
        name: 'Upgrade',
        schedule: { kind: 'once', startsAt: '2030-01-10T21:00:00.000Z', endsAt: '2030-01-11T01:00:00.000Z' },
        covers: { kind: 'checks', slugs: ['a'] },
      },
      {
        name: 'Nightly',
        schedule: { kind: 'recurring', cron: '0 0 * * *', tz: 'Europe/Berlin', duration: 5400 },
        covers: { kind: 'tags', tags: ['db'] },
      },
    ]);
    expect(parseMonitors('checks: []\n')).toEqual({ checks: [] });
    expect(() => file('  - name: X\n    recurring: {cron: "0 2 * * *", duration: 1h}\n    covers: everything\n')).toThrow(
      'line 6, column 13: maintenance[0] (X).covers: expected project, {tags: [...]} or {checks: [...]}',
    );
  });

  it('matches windows by name, compares instants, zones and check slugs, and sends only what changed', () => {
    const checks = [existing({ id: '1', slug: 'a' })];
    const windows = [
      stored({ id: 'w1', name: 'Nightly', covers: 'checks', checks: ['1'] }),
      stored({
        id: 'w2',
        name: 'Upgrade',
        kind: 'once',
        startsAt: '2030-01-10T21:00:00Z',
        endsAt: '2030-01-11T01:00:00Z',
        cron: undefined,
        tz: undefined,
        duration: undefined,
      }),
      stored({ id: 'w3', name: 'Old' }),
    ];
    const declared = file(
      '  - name: Nightly\n    recurring: {cron: "0 2 * * SUN", tz: Europe/Berlin, duration: 2h}\n    checks: [a]\n' +
        '  - name: Upgrade\n    once: {starts: "2030-01-10T22:00:00+01:00", ends: "2030-01-11T03:00:00+01:00"}\n' +
        '  - name: New\n    recurring: {cron: "0 3 * * *", duration: 1h}\n',
    );
    const plan = planWindows(declared, checks, windows, false);
    expect(plan.map((change) => [change.action, change.name])).toEqual([
      ['unchanged', 'Nightly'],
      ['update', 'Upgrade'],
      ['create', 'New'],
    ]);
    expect(plan[1]).toMatchObject({ fields: [{ field: 'endsAt', from: '2030-01-11T01:00:00.000Z', to: '2030-01-11T02:00:00.000Z' }] });
    expect(planWindows(declared, checks, windows, true).filter((change) => change.action === 'delete')).toEqual([
      { action: 'delete', name: 'Old', id: 'w3' },
    ]);
  });
});
