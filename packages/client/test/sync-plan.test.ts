import { describe, expect, it } from 'vitest';
import type { Channel, Check } from '../src/api';
import { parseMonitorsFile } from '../src/monitors-file';
import { formatPlan, planSync } from '../src/sync';

const existing = (fields: Partial<Check> & { id: string; slug: string }): Check => ({
  name: fields.slug,
  tags: [],
  description: '',
  period: 86_400,
  cron: null,
  tz: 'UTC',
  grace: 3600,
  maxRuntime: null,
  manualResume: false,
  alertOnLate: false,
  remindEvery: null,
  channels: [],
  status: 'up',
  running: false,
  lastPing: null,
  nextPing: null,
  alertAfter: null,
  lastDuration: null,
  nPings: 0,
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
    expect(() => parseMonitorsFile('- slug: a\n  period: 1d\n  cron: "* * * * *"\n')).toThrow('either period or cron');
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

  it('refuses a channel name the project does not have', () => {
    expect(() => planSync([{ slug: 'x', name: 'x', channels: ['pager'] }], [], channels, false)).toThrow('x: no channel named "pager"');
  });
});
