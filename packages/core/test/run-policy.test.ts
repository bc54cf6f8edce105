import { describe, expect, it } from 'vitest';
import {
  applyPing,
  applyPings,
  type CheckState,
  DEFAULT_RUN_POLICY,
  evaluate,
  type Flip,
  newCheckState,
  type PingInput,
  type RunPolicy,
  type Schedule,
  withDeadlines,
} from '../src';

const T0 = new Date('2026-06-01T12:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const HOUR = 3600;
const MIN = 60;

const hourly: Schedule = { kind: 'period', period: HOUR };

function aCheck(policy: Partial<RunPolicy>, overrides: Partial<CheckState> = {}, schedule: Schedule = hourly): CheckState {
  const check = newCheckState({ schedule, grace: 10 * MIN, policy: { ...DEFAULT_RUN_POLICY, ...policy } });
  return withDeadlines({ ...check, ...overrides });
}

const ping = (kind: PingInput['kind'], when: Date, extra: Partial<PingInput> = {}): PingInput => ({
  kind,
  at: when,
  rid: null,
  exitStatus: kind === 'fail' ? 1 : kind === 'success' ? 0 : null,
  ...extra,
});

/** Applies pings one after the other; returns the check and every flip made. */
function run(check: CheckState, pings: PingInput[]): { check: CheckState; flips: Flip[] } {
  const flips: Flip[] = [];
  let state = check;
  for (const p of pings) {
    const outcome = applyPing(state, p);
    state = outcome.check;
    if (outcome.flip) flips.push(outcome.flip);
  }
  return { check: state, flips };
}

describe('failure threshold', () => {
  it('goes down only at the third failed run in a row, and the flip lists the three', () => {
    const up = aCheck({ failureThreshold: 3 }, { status: 'up', lastPing: at(0) });
    const two = run(up, [ping('fail', at(HOUR), { exitStatus: 2 }), ping('fail', at(2 * HOUR), { exitStatus: 3 })]);
    expect(two.flips).toEqual([]);
    expect(two.check.status).toBe('up');
    expect(two.check.record.failures.map((f) => [f.reason, f.exitStatus])).toEqual([
      ['failed', 2],
      ['failed', 3],
    ]);
    const third = applyPing(two.check, ping('fail', at(3 * HOUR), { exitStatus: 4 }));
    expect(third.check.status).toBe('down');
    expect(third.flip).toMatchObject({ from: 'up', to: 'down', reason: 'failed', exitStatus: 4 });
    expect(third.flip?.runs?.failureThreshold).toBe(3);
    expect(third.flip?.runs?.failures?.map((f) => f.exitStatus)).toEqual([2, 3, 4]);
    expect(third.check.record.failures).toEqual([]);
  });

  it('starts counting again after a successful run', () => {
    const up = aCheck({ failureThreshold: 2 }, { status: 'up', lastPing: at(0) });
    const { check, flips } = run(up, [ping('fail', at(HOUR)), ping('success', at(2 * HOUR)), ping('fail', at(3 * HOUR))]);
    expect(flips).toEqual([]);
    expect(check.status).toBe('up');
    expect(check.record.failures).toHaveLength(1);
  });

  it('with the default of 1 goes down at the first failure, naming it', () => {
    const { check, flip } = applyPing(aCheck({}, { status: 'up', lastPing: at(0) }), ping('fail', at(HOUR), { exitStatus: 7 }));
    expect(check.status).toBe('down');
    expect(flip?.runs).toEqual({ failures: [{ reason: 'failed', at: at(HOUR), exitStatus: 7 }], failureThreshold: 1 });
  });

  it('takes a new check up (without alerting) on a failed run under the threshold', () => {
    const { check, flip } = applyPing(aCheck({ failureThreshold: 2 }), ping('fail', at(0)));
    expect(check.status).toBe('up');
    expect(flip).toMatchObject({ from: 'new', to: 'up', runs: null });
  });

  it('counts each missed expected time once, moving on to the next one', () => {
    const up = aCheck({ failureThreshold: 3 }, { status: 'up', lastPing: at(0) });
    const late = evaluate(up, at(HOUR));
    expect(late?.flip).toMatchObject({ to: 'late' });
    const first = evaluate(late!.check, at(HOUR + 10 * MIN));
    expect(first?.flip).toBeNull();
    expect(first?.check.status).toBe('late');
    expect(first?.check.record.failures).toEqual([{ reason: 'missed', at: at(HOUR + 10 * MIN), scheduled: at(HOUR) }]);
    expect(first?.check.nextDue).toEqual(at(2 * HOUR));
    expect(first?.check.alertAfter).toEqual(at(2 * HOUR + 10 * MIN));
    // Nothing more until the next expected time has passed grace.
    expect(evaluate(first!.check, at(2 * HOUR))).toBeNull();
    const second = evaluate(first!.check, at(2 * HOUR + 10 * MIN));
    expect(second?.flip).toBeNull();
    const third = evaluate(second!.check, at(3 * HOUR + 10 * MIN));
    expect(third?.flip).toMatchObject({ from: 'late', to: 'down', reason: 'missed' });
    expect(third?.flip?.runs?.failures?.map((f) => f.scheduled)).toEqual([at(HOUR), at(2 * HOUR), at(3 * HOUR)]);
  });

  it('counts every expected time a late sweep finds passed, each once', () => {
    const up = aCheck({ failureThreshold: 3 }, { status: 'up', lastPing: at(0) });
    const twoMissed = evaluate(up, at(2 * HOUR + 30 * MIN));
    expect(twoMissed?.flip).toMatchObject({ to: 'late' });
    expect(twoMissed?.check.record.failures.map((f) => f.scheduled)).toEqual([at(HOUR), at(2 * HOUR)]);
    const down = evaluate(up, at(5 * HOUR));
    expect(down?.flip?.runs?.failures).toHaveLength(3);
  });

  it('counts missed cron runs once per scheduled time', () => {
    const cron: Schedule = { kind: 'cron', cron: '0 3 * * *', tz: 'Europe/Berlin' };
    const lastRun = new Date('2026-06-01T01:00:00Z'); // 03:00 in Berlin
    const up = aCheck({ failureThreshold: 2 }, { status: 'up', lastPing: lastRun }, cron);
    const first = evaluate(up, new Date('2026-06-02T01:10:00Z'));
    expect(first?.check.record.failures.map((f) => f.scheduled)).toEqual([new Date('2026-06-02T01:00:00Z')]);
    expect(first?.check.nextDue).toEqual(new Date('2026-06-03T01:00:00Z'));
    const second = evaluate(first!.check, new Date('2026-06-03T01:10:00Z'));
    expect(second?.flip).toMatchObject({ to: 'down', reason: 'missed' });
  });

  it('counts a run that timed out and waits for the next one', () => {
    const started = applyPing(
      aCheck({ failureThreshold: 2 }, { status: 'up', lastPing: at(0), maxRuntime: 5 * MIN }),
      ping('start', at(HOUR)),
    );
    const timedOut = evaluate(started.check, at(HOUR + 5 * MIN));
    expect(timedOut?.flip).toBeNull();
    expect(timedOut?.check.lastStart).toBeNull();
    expect(timedOut?.check.record.failures).toEqual([{ reason: 'timed_out', at: at(HOUR + 5 * MIN), startedAt: at(HOUR) }]);
    // The run that timed out was the one expected at 1 h: the next is expected at 2 h.
    expect(timedOut?.check.nextDue).toEqual(at(2 * HOUR));
    expect(timedOut?.check.alertAfter).toEqual(at(2 * HOUR + 10 * MIN));
  });

  it('keeps a timed-out run on the check when it goes down, for the message', () => {
    const started = applyPing(aCheck({}, { status: 'up', lastPing: at(0), maxRuntime: 5 * MIN }), ping('start', at(HOUR)));
    const down = evaluate(started.check, at(HOUR + 5 * MIN));
    expect(down?.flip).toMatchObject({ to: 'down', reason: 'timed_out' });
    expect(down?.check.lastStart).toEqual(at(HOUR));
  });
});

describe('recovery threshold', () => {
  const down = aCheck({ recoveryThreshold: 3 }, { status: 'down', lastPing: at(0) });

  it('comes back up only after three successful runs in a row', () => {
    const two = run(down, [ping('success', at(HOUR)), ping('success', at(2 * HOUR))]);
    expect(two.flips).toEqual([]);
    expect(two.check.status).toBe('down');
    expect(two.check.record.successes).toBe(2);
    const third = applyPing(two.check, ping('success', at(3 * HOUR)));
    expect(third.flip).toMatchObject({ from: 'down', to: 'up', reason: 'success', runs: { successes: 3, recoveryThreshold: 3 } });
    expect(third.check.record.successes).toBe(0);
  });

  it('starts again after a failed run', () => {
    const { check, flips } = run(down, [ping('success', at(HOUR)), ping('fail', at(2 * HOUR)), ping('success', at(3 * HOUR))]);
    expect(flips).toEqual([]);
    expect(check.record.successes).toBe(1);
  });
});

describe('keywords', () => {
  const check = aCheck({ successKeywords: ['All Done'], failureKeywords: ['error', 'Traceback'] }, { status: 'up', lastPing: at(0) });
  const cases: Array<[string, PingInput['kind'], string | null, string, string | null]> = [
    ['a failure keyword in a success ping', 'success', 'backup ERROR: disk full', 'fail', 'error'],
    ['a success keyword in a fail ping', 'fail', 'all done in 3 s', 'success', 'All Done'],
    ['both: the failure wins', 'success', 'all done\nTraceback (most recent call last)', 'fail', 'error'.length ? 'Traceback' : ''],
    ['a log ping with a failure keyword', 'log', 'error', 'fail', 'error'],
    ['a log ping with a success keyword', 'log', 'ALL DONE', 'success', 'All Done'],
    ['no keyword: the URL decides', 'fail', 'exit 1', 'fail', null],
    ['no body', 'success', null, 'success', null],
    ['a start ping is never changed', 'start', 'error', 'start', null],
  ];
  for (const [name, kind, body, stored, keyword] of cases) {
    it(name, () => {
      const outcome = applyPing(check, ping(kind, at(HOUR), { body }));
      expect(outcome.stored).toMatchObject({ kind: stored, keyword });
    });
  }

  it('names the keyword in the failed run', () => {
    const { flip } = applyPing(check, ping('success', at(HOUR), { body: 'ERROR' }));
    expect(flip?.runs?.failures?.[0]).toMatchObject({ reason: 'failed', keyword: 'error' });
  });
});

describe('too early', () => {
  const nightly: Schedule = { kind: 'cron', cron: '0 2 * * *', tz: 'Europe/Berlin' };
  const berlin = (local: string) => new Date(`${local}+02:00`);
  const ranYesterday = aCheck({ earlyTolerance: 10 * MIN }, { status: 'up', lastPing: berlin('2026-06-01T02:03:00') }, nightly);

  const cases: Array<[string, PingInput[], boolean]> = [
    ['ends 48 min before its time, without a start ping', [ping('success', berlin('2026-06-02T01:12:00'))], true],
    [
      'starts 48 min early and ends after its time',
      [ping('start', berlin('2026-06-02T01:12:00')), ping('success', berlin('2026-06-02T02:05:00'))],
      true,
    ],
    [
      'starts 5 min early, inside the tolerance',
      [ping('start', berlin('2026-06-02T01:55:00')), ping('success', berlin('2026-06-02T02:01:00'))],
      false,
    ],
    ['runs on time', [ping('success', berlin('2026-06-02T02:00:30'))], false],
    ['runs late', [ping('success', berlin('2026-06-02T09:00:00'))], false],
  ];
  for (const [name, pings, early] of cases) {
    it(`${name}: ${early ? 'early' : 'not early'}`, () => {
      const { flips } = run(ranYesterday, pings);
      if (early) {
        expect(flips).toHaveLength(1);
        expect(flips[0]).toMatchObject({ to: 'down', reason: 'early' });
        expect(flips[0]!.runs?.failures?.[0]).toMatchObject({ scheduled: berlin('2026-06-02T02:00:00'), startedAt: pings[0]!.at });
      } else {
        expect(flips).toEqual([]);
      }
    });
  }

  it('a second run the same day is early for the next day', () => {
    const ranToday = applyPing(ranYesterday, ping('success', berlin('2026-06-02T02:01:00'))).check;
    const { flip } = applyPing(ranToday, ping('success', berlin('2026-06-02T14:00:00')));
    expect(flip).toMatchObject({ reason: 'early' });
    expect(flip?.runs?.failures?.[0]?.scheduled).toEqual(berlin('2026-06-03T02:00:00'));
  });

  it('a new check is judged against the nearest scheduled time', () => {
    const fresh = aCheck({ earlyTolerance: 10 * MIN }, {}, nightly);
    expect(applyPing(fresh, ping('success', berlin('2026-06-02T02:00:05'))).flip).toMatchObject({ to: 'up' });
    expect(applyPing(fresh, ping('success', berlin('2026-06-02T01:12:00'))).flip).toMatchObject({ to: 'down', reason: 'early' });
  });

  it('never calls early a job the daemon runs at 03:00 on the spring-forward day', () => {
    // 02:30 does not exist in Berlin on 2026-03-29; cronie runs the job at the jump, 03:00 CEST.
    const skipped: Schedule = { kind: 'cron', cron: '30 2 * * *', tz: 'Europe/Berlin' };
    const ranSaturday = aCheck({ earlyTolerance: 60 }, { status: 'up', lastPing: new Date('2026-03-28T01:30:30Z') }, skipped);
    expect(ranSaturday.nextDue).toEqual(new Date('2026-03-29T01:00:00Z'));
    expect(applyPing(ranSaturday, ping('success', new Date('2026-03-29T01:00:20Z'))).flip).toBeNull();
    expect(applyPing(ranSaturday, ping('success', new Date('2026-03-29T00:50:00Z'))).flip).toMatchObject({ reason: 'early' });
  });

  it('on the fall-back day a job in the repeated hour runs once, and its run is not early', () => {
    const repeated: Schedule = { kind: 'cron', cron: '30 2 * * *', tz: 'Europe/Berlin' };
    const ranSaturday = aCheck({ earlyTolerance: 60 }, { status: 'up', lastPing: new Date('2026-10-24T00:30:30Z') }, repeated);
    // 02:30 CEST (00:30Z) comes first; the repeated 02:30 CET is not a second run.
    expect(ranSaturday.nextDue).toEqual(new Date('2026-10-25T00:30:00Z'));
    const ran = applyPing(ranSaturday, ping('success', new Date('2026-10-25T00:30:10Z')));
    expect(ran.flip).toBeNull();
    expect(ran.check.nextDue).toEqual(new Date('2026-10-26T01:30:00Z'));
  });

  it('applies to OnCalendar schedules, whose skipped local time is no run (Riga, 2026-03-29)', () => {
    // 03:30 does not exist in Riga that day and systemd skips it, so the next run is the 30th, 03:30 EEST.
    const daily: Schedule = { kind: 'oncalendar', onCalendar: '*-*-* 03:30', tz: 'Europe/Riga' };
    const ranSaturday = aCheck({ earlyTolerance: 60 }, { status: 'up', lastPing: new Date('2026-03-28T01:30:30Z') }, daily);
    expect(ranSaturday.nextDue).toEqual(new Date('2026-03-30T00:30:00Z'));
    expect(applyPing(ranSaturday, ping('success', new Date('2026-03-30T00:30:20Z'))).flip).toBeNull();
    const early = applyPing(ranSaturday, ping('success', new Date('2026-03-29T01:30:00Z'))).flip;
    expect(early).toMatchObject({ to: 'down', reason: 'early' });
    expect(early?.runs?.failures?.[0]?.scheduled).toEqual(new Date('2026-03-30T00:30:00Z'));
  });

  it('does not judge a run of an OnCalendar schedule that has no time left', () => {
    const once: Schedule = { kind: 'oncalendar', onCalendar: '2026-01-01 09:00', tz: 'UTC' };
    const fresh = aCheck({ earlyTolerance: 60 }, {}, once);
    expect(applyPing(fresh, ping('success', new Date('2026-06-01T00:00:00Z'))).flip).toMatchObject({ to: 'up' });
  });

  it('does not apply to period schedules', () => {
    const { flip } = applyPing(aCheck({ earlyTolerance: 60 }, { status: 'up', lastPing: at(0) }), ping('success', at(60)));
    expect(flip).toBeNull();
  });
});

describe('overlapping runs', () => {
  const up = aCheck({ maxConcurrentRuns: 1 }, { status: 'up', lastPing: at(0), maxRuntime: HOUR });
  const A = '00000000-0000-4000-8000-00000000000a';
  const B = '00000000-0000-4000-8000-00000000000b';

  it('fails a start without run id while the previous start has not ended, naming it', () => {
    const { flips } = run(up, [ping('start', at(60)), ping('start', at(120))]);
    expect(flips).toHaveLength(1);
    expect(flips[0]!.runs?.failures?.[0]).toEqual({ reason: 'overlap', at: at(120), openRid: null, startedAt: at(60) });
  });

  it('pairs runs by run id: B overlaps A; B ending counts nothing more; A ending is a success', () => {
    const pings = [ping('start', at(60), { rid: A }), ping('start', at(120), { rid: B })];
    const overlapped = applyPings({ state: up, nPings: 0, sweepAt: null, runStarts: new Map() }, pings);
    expect(overlapped.ok && overlapped.flips.map((f) => f.reason)).toEqual(['overlap']);
    const downCheck = overlapped.ok ? overlapped.check.state : up;
    expect(downCheck.record.openRuns.map((r) => [r.rid, r.counted])).toEqual([
      [A, false],
      [B, true],
    ]);
    const endB = applyPing(downCheck, ping('success', at(180), { rid: B, runStartedAt: at(120) }));
    expect(endB.flip).toBeNull();
    expect(endB.check.status).toBe('down');
    const endA = applyPing(endB.check, ping('success', at(240), { rid: A, runStartedAt: at(60) }));
    expect(endA.flip).toMatchObject({ to: 'up', reason: 'success' });
    expect(endA.check.record.openRuns).toEqual([]);
  });

  it('allows as many runs at once as set', () => {
    const two = aCheck({ maxConcurrentRuns: 2 }, { status: 'up', lastPing: at(0), maxRuntime: HOUR });
    const { flips } = run(two, [ping('start', at(60), { rid: A }), ping('start', at(120), { rid: B })]);
    expect(flips).toEqual([]);
  });

  it('drops runs that never ended once they are past the max runtime', () => {
    const { flips, check } = run(up, [ping('start', at(60)), ping('start', at(60 + HOUR + 1))]);
    expect(flips).toEqual([]);
    expect(check.record.openRuns).toHaveLength(1);
  });

  it('keeps no open runs when the policy is off', () => {
    const { check } = run(aCheck({}, { status: 'up', lastPing: at(0) }), [ping('start', at(60)), ping('start', at(120))]);
    expect(check.record.openRuns).toEqual([]);
  });
});

describe('unusual durations', () => {
  const TWENTY_MIN = 20 * MIN * 1000;
  const withHistory = (runs: number, policy: Partial<RunPolicy>) =>
    aCheck(policy, {
      status: 'up',
      lastPing: at(0),
      record: { failures: [], successes: 0, openRuns: [], durations: Array(runs).fill(TWENTY_MIN) },
    });
  const runOf = (check: CheckState, seconds: number) => run(check, [ping('start', at(HOUR)), ping('success', at(HOUR + seconds))]);

  const auto = { durationAnomaly: { mode: 'auto', factor: 3 } } as const;
  const cases: Array<[string, number, Partial<RunPolicy>, number, string | null]> = [
    ['a 2 s run after 20 min runs is fast', 10, auto, 2, 'fast'],
    ['a 70 min run after 20 min runs is slow', 10, auto, 70 * MIN, 'slow'],
    ['a 50 min run is within 3 × the median', 10, auto, 50 * MIN, null],
    ['with 9 runs of history nothing is judged', 9, auto, 2, null],
    ['bounds: below the minimum', 0, { durationAnomaly: { mode: 'bounds', minDuration: 5 * MIN, maxDuration: null } }, 2, 'fast'],
    ['bounds: above the maximum', 0, { durationAnomaly: { mode: 'bounds', minDuration: null, maxDuration: HOUR } }, 2 * HOUR, 'slow'],
    ['bounds: inside', 0, { durationAnomaly: { mode: 'bounds', minDuration: 60, maxDuration: HOUR } }, 20 * MIN, null],
  ];
  for (const [name, history, policy, seconds, reason] of cases) {
    it(name, () => {
      const { flips } = runOf(withHistory(history, policy), seconds);
      if (reason === null) expect(flips).toEqual([]);
      else expect(flips[0]).toMatchObject({ to: 'down', reason, runs: { failures: [{ reason, duration: seconds * 1000 }] } });
    });
  }

  it('gives the median and the bound it crossed', () => {
    const { flips } = runOf(withHistory(10, auto), 2);
    expect(flips[0]!.runs?.failures?.[0]).toMatchObject({ median: TWENTY_MIN, limit: TWENTY_MIN / 3 });
  });

  it('does not call a few milliseconds an anomaly, whatever the ratio', () => {
    const quick = aCheck(auto, {
      status: 'up',
      lastPing: at(0),
      record: { failures: [], successes: 0, openRuns: [], durations: Array(10).fill(50) },
    });
    const { flips } = run(quick, [ping('start', at(HOUR)), ping('success', new Date(at(HOUR).getTime() + 400))]);
    expect(flips).toEqual([]);
  });

  it('keeps the last 20 durations', () => {
    const { check } = runOf(withHistory(20, {}), 30);
    expect(check.record.durations).toHaveLength(20);
    expect(check.record.durations.at(-1)).toBe(30_000);
  });
});
