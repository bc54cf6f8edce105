import { describe, expect, it } from 'vitest';
import {
  applyPings,
  type CheckState,
  newCheckState,
  type PingedCheck,
  type PingInput,
  runClosedBy,
  sweepAtAfterPing,
  withDeadlines,
  withRunStart,
} from '../src';

const T0 = new Date('2026-06-01T12:00:00Z');
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const upAt = (at: Date, overrides: Partial<CheckState> = {}): CheckState =>
  withDeadlines({
    ...newCheckState({ schedule: { kind: 'period', period: 3600 }, grace: 600 }),
    status: 'up',
    lastPing: at,
    ...overrides,
  });

const aCheck = (overrides: Partial<PingedCheck> = {}): PingedCheck => ({
  state: upAt(T0),
  nPings: 7,
  sweepAt: later(3600),
  runStarts: new Map(),
  ...overrides,
});

const ping = (kind: PingInput['kind'], at: Date, rid: string | null = null): PingInput => ({
  kind,
  at,
  rid,
  exitStatus: kind === 'fail' ? 1 : kind === 'success' ? 0 : null,
});

describe('which run an end ping closes', () => {
  const running = { lastStartRid: 'b' };
  it.each([
    ['a success without run id', ping('success', T0), { latest: true }],
    ['a fail without run id', ping('fail', T0), { latest: true }],
    ["a success with the latest start's run id", ping('success', T0, 'b'), { latest: true }],
    ['a success with an earlier run id', ping('success', T0, 'a'), { latest: false, rid: 'a' }],
    ['a fail with an earlier run id', ping('fail', T0, 'a'), { latest: false, rid: 'a' }],
    ['a start', ping('start', T0, 'a'), null],
    ['a log', ping('log', T0, 'a'), null],
  ])('%s closes %j', (_name, input, closed) => {
    expect(runClosedBy(running, input)).toEqual(closed);
  });

  it('closes the latest run for any run id when the check remembers none', () => {
    expect(runClosedBy({ lastStartRid: null }, ping('success', T0))).toEqual({ latest: true });
    expect(runClosedBy({ lastStartRid: null }, ping('success', T0, 'a'))).toEqual({ latest: false, rid: 'a' });
  });
});

describe('applying a check’s pings in arrival order', () => {
  it('numbers the pings after those stored and counts them on the check', () => {
    const applied = applyPings(aCheck(), [ping('start', later(10)), ping('log', later(11)), ping('success', later(12))]);
    expect(applied.ok && applied.stored.map((s) => s.n)).toEqual([8, 9, 10]);
    expect(applied.ok && applied.check.nPings).toBe(10);
  });

  it.each([
    // name, pings, how each is stored (kind, duration in s), the run left in progress
    ['a start then its end', [ping('start', later(10)), ping('success', later(40))], ['start', null, 'success', 30], null],
    [
      'an end by run id of a start in the same batch',
      [ping('start', later(10), 'r1'), ping('fail', later(25), 'r1')],
      ['start', null, 'fail', 15],
      null,
    ],
    [
      'overlapping runs ending in start order',
      [ping('start', later(10), 'a'), ping('start', later(20), 'b'), ping('success', later(50), 'a'), ping('success', later(80), 'b')],
      ['start', null, 'start', null, 'success', 40, 'success', 60],
      null,
    ],
    [
      'an earlier run ending while the latest goes on',
      [ping('start', later(10), 'a'), ping('start', later(20), 'b'), ping('success', later(50), 'a')],
      ['start', null, 'start', null, 'success', 40],
      'b',
    ],
    [
      'a run id started twice: its end closes the newer start',
      [ping('start', later(10), 'a'), ping('start', later(20), 'b'), ping('start', later(30), 'a'), ping('success', later(90), 'b')],
      ['start', null, 'start', null, 'start', null, 'success', 70],
      'a',
    ],
    ['a log inside a run', [ping('start', later(10)), ping('log', later(15))], ['start', null, 'log', null], null],
  ] as const)('%s', (_name, pings, stored, runningRid) => {
    const applied = applyPings(aCheck(), pings);
    if (!applied.ok) throw new Error(`unexpected unknown run ${applied.unknownRun}`);
    expect(applied.stored.flatMap((s) => [s.kind, s.duration === null ? null : s.duration / 1000])).toEqual(stored);
    expect(applied.check.state.lastStartRid).toBe(runningRid);
  });

  it('asks for the start of a run it does not know, and uses it once given', () => {
    const check = aCheck({ state: upAt(T0, { lastStart: later(100), lastStartRid: 'b' }) });
    const pings = [ping('success', later(200), 'a')];
    expect(applyPings(check, pings)).toEqual({ ok: false, unknownRun: 'a' });

    const given = applyPings({ ...check, runStarts: withRunStart(check.runStarts, 'a', later(50)) }, pings);
    expect(given.ok && given.stored[0]).toEqual({ n: 8, kind: 'success', duration: 150_000, keyword: null });
    // The latest run is still in progress.
    expect(given.ok && given.check.state).toMatchObject({ lastStart: later(100), lastStartRid: 'b' });
  });

  it('records no duration for a run whose start was looked up and not found', () => {
    const check = aCheck({ runStarts: new Map([['a', null]]) });
    const applied = applyPings(check, [ping('success', later(20), 'a')]);
    expect(applied.ok && applied.stored[0]!.duration).toBeNull();
  });

  it('remembers run starts newest last, a restarted run id moved to the end', () => {
    const applied = applyPings(aCheck({ runStarts: new Map([['old', later(1)]]) }), [
      ping('start', later(10), 'a'),
      ping('start', later(20), 'b'),
      ping('start', later(30), 'a'),
    ]);
    expect(applied.ok && [...applied.check.runStarts]).toEqual([
      ['old', later(1)],
      ['b', later(20)],
      ['a', later(30)],
    ]);
  });

  it('leaves the run starts it was given untouched', () => {
    const runStarts = new Map([['old', later(1)]]);
    applyPings(aCheck({ runStarts }), [ping('start', later(10), 'a')]);
    expect([...runStarts.keys()]).toEqual(['old']);
  });

  it('remembers no start of a ping a paused check set to manual resume ignores', () => {
    const check = aCheck({ state: upAt(T0, { status: 'paused', manualResume: true }) });
    const applied = applyPings(check, [ping('start', later(10), 'a'), ping('success', later(20), 'a')]);
    expect(applied.ok && applied.stored.map((s) => s.kind)).toEqual(['ignored', 'ignored']);
    expect(applied.ok && applied.check.runStarts.size).toBe(0);
    expect(applied.ok && applied.flips).toEqual([]);
  });

  it('collects every status change in order', () => {
    const applied = applyPings(aCheck(), [ping('fail', later(10)), ping('fail', later(11)), ping('success', later(20))]);
    expect(applied.ok && applied.flips.map((f) => [f.from, f.to, f.reason, f.at])).toEqual([
      ['up', 'down', 'failed', later(10)],
      ['down', 'up', 'success', later(20)],
    ]);
  });

  it('sets when the sweep looks next from the last ping', () => {
    const near = applyPings(aCheck(), [ping('success', later(1000)), ping('success', later(2000))]);
    if (!near.ok) throw new Error('unexpected unknown run');
    expect(near.check.sweepAt).toEqual(sweepAtAfterPing(later(3600), near.check.state, later(2000)));
    expect(near.check.sweepAt).toEqual(later(2000 + 3600));
    // The stored moment still at least half as far off as the new one: it stays, so the row can be updated in place.
    const far = applyPings(aCheck(), [ping('success', later(1000)), ping('success', later(1500))]);
    expect(far.ok && far.check.sweepAt).toEqual(later(3600));
  });

  it('changes nothing without pings, and keeps the fields it does not know', () => {
    const check = { ...aCheck(), id: 'c1', version: '42' };
    expect(applyPings(check, [])).toEqual({ ok: true, check, stored: [], flips: [] });
    const applied = applyPings(check, [ping('success', later(5))]);
    expect(applied.ok && applied.check).toMatchObject({ id: 'c1', version: '42' });
  });
});

describe('a check that takes pings by POST only (Healthchecks’ methods)', () => {
  const by = (method: string, input: PingInput): PingInput => ({ ...input, method });

  it.each(['GET', 'HEAD'])('stores a %s as ignored and changes nothing else but the ping count', (method) => {
    const check = aCheck({ methods: 'POST', state: upAt(T0, { lastStart: later(5) }) });
    const applied = applyPings(check, [by(method, ping('success', later(10))), by(method, ping('start', later(20)))]);
    if (!applied.ok) throw new Error('unexpected unknown run');
    expect(applied.stored).toEqual([
      { n: 8, kind: 'ignored', duration: null, keyword: null },
      { n: 9, kind: 'ignored', duration: null, keyword: null },
    ]);
    expect(applied.check.state).toEqual(check.state);
    expect(applied.flips).toEqual([]);
    expect(applied.check.nPings).toBe(9);
  });

  it('records a POST as usual, around ignored GETs', () => {
    const check = aCheck({ methods: 'POST' });
    const applied = applyPings(check, [
      by('POST', ping('start', later(10))),
      by('GET', ping('fail', later(15))),
      by('POST', ping('success', later(40))),
    ]);
    if (!applied.ok) throw new Error('unexpected unknown run');
    expect(applied.stored.map((s) => [s.kind, s.duration])).toEqual([
      ['start', null],
      ['ignored', null],
      ['success', 30_000],
    ]);
    expect(applied.check.state).toMatchObject({ status: 'up', lastPing: later(40), lastStart: null });
  });

  it('takes every method when set to any, and when the method is not known', () => {
    for (const check of [aCheck({ methods: '' }), aCheck()]) {
      const applied = applyPings(check, [by('GET', ping('fail', later(10))), ping('success', later(20))]);
      expect(applied.ok && applied.stored.map((s) => s.kind)).toEqual(['fail', 'success']);
    }
  });

  it('ignores a GET that would end an unknown run without asking for its start', () => {
    const applied = applyPings(aCheck({ methods: 'POST' }), [by('GET', ping('success', later(10), 'unseen'))]);
    expect(applied.ok && applied.stored[0]!.kind).toBe('ignored');
  });
});

describe('a duration the client reports (Cronitor’s metric=duration)', () => {
  const reported = (input: PingInput, seconds: number): PingInput => ({ ...input, reportedDuration: seconds * 1000 });

  it('is the run’s duration when no start pairs with the end', () => {
    const applied = applyPings(aCheck(), [reported(ping('success', later(10)), 42.5)]);
    expect(applied.ok && applied.stored[0]!.duration).toBe(42_500);
    expect(applied.ok && applied.check.state.lastDuration).toBe(42_500);
  });

  it('loses to the duration measured from a start ping', () => {
    const applied = applyPings(aCheck(), [ping('start', later(10)), reported(ping('success', later(40)), 5)]);
    expect(applied.ok && applied.stored[1]!.duration).toBe(30_000);
  });

  it('is dropped when negative or longer than a week, as a measured one would be', () => {
    const applied = applyPings(aCheck(), [reported(ping('success', later(10)), -1), reported(ping('success', later(20)), 8 * 86_400)]);
    expect(applied.ok && applied.stored.map((s) => s.duration)).toEqual([null, null]);
  });
});
