import { describe, expect, it } from 'vitest';
import {
  applyPing,
  type CheckState,
  evaluate,
  isAlerting,
  isRunning,
  newCheckState,
  type PingInput,
  parseExitStatus,
  pause,
  pingKindForExitStatus,
  resume,
  type Status,
  sweepAtAfterPing,
  sweepDue,
  withDeadlines,
} from '../src';

const T0 = new Date('2026-06-01T12:00:00Z');
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function aCheck(overrides: Partial<CheckState> = {}): CheckState {
  return withDeadlines({ ...newCheckState({ schedule: { kind: 'period', period: 3600 }, grace: 600 }), ...overrides });
}

const ping = (kind: PingInput['kind'], at: Date, extra: Partial<PingInput> = {}): PingInput => ({
  kind,
  at,
  rid: null,
  exitStatus: kind === 'fail' ? 1 : kind === 'success' ? 0 : null,
  ...extra,
});

const upAt = (at: Date, overrides: Partial<CheckState> = {}) => aCheck({ status: 'up', lastPing: at, ...overrides });

describe('a new check', () => {
  it('never alerts while it has never been pinged', () => {
    const check = aCheck();
    expect(check.alertAfter).toBeNull();
    expect(evaluate(check, later(10 * 365 * 86400))).toBeNull();
  });

  it('goes up on its first success, with a flip', () => {
    const { check, flip } = applyPing(aCheck(), ping('success', T0));
    expect(check.status).toBe('up');
    expect(check.lastPing).toEqual(T0);
    expect(check.nextDue).toEqual(later(3600));
    expect(check.alertAfter).toEqual(later(3600 + 600));
    expect(flip).toEqual({ from: 'new', to: 'up', reason: 'success', at: T0, exitStatus: null, runs: null });
    expect(isAlerting(flip!)).toBe(false);
  });

  it('goes down at once on a fail ping, and that alerts', () => {
    const { check, flip } = applyPing(aCheck(), ping('fail', T0, { exitStatus: 3 }));
    expect(check.status).toBe('down');
    expect(check.alertAfter).toBeNull();
    expect(flip).toMatchObject({ from: 'new', to: 'down', reason: 'failed', exitStatus: 3 });
    expect(isAlerting(flip!)).toBe(true);
  });

  it('times out a first run that never finishes', () => {
    const { check } = applyPing(aCheck(), ping('start', T0));
    expect(check.status).toBe('new');
    expect(isRunning(check)).toBe(true);
    expect(check.alertAfter).toEqual(later(600));
    expect(evaluate(check, later(599))).toBeNull();
    expect(evaluate(check, later(600))?.flip).toMatchObject({ from: 'new', to: 'down', reason: 'timed_out' });
  });
});

describe('an up check as time passes', () => {
  const check = upAt(T0);

  it('stays up before its expected time', () => {
    expect(evaluate(check, later(3599))).toBeNull();
  });

  it('turns late at the expected time, still inside grace', () => {
    const transition = evaluate(check, later(3600));
    expect(transition?.check.status).toBe('late');
    expect(transition?.check.alertAfter).toEqual(later(4200));
    expect(transition?.flip).toMatchObject({ from: 'up', to: 'late', reason: 'missed' });
    expect(isAlerting(transition!.flip!)).toBe(false);
  });

  it('goes down as missed when grace passes without a ping', () => {
    const late = evaluate(check, later(3600))!.check;
    expect(evaluate(late, later(4199))).toBeNull();
    const down = evaluate(late, later(4200));
    expect(down?.check).toMatchObject({ status: 'down', alertAfter: null, nextDue: null });
    expect(down?.flip).toMatchObject({ from: 'late', to: 'down', reason: 'missed' });
  });

  it('goes straight down when the sweep first sees it past grace', () => {
    expect(evaluate(check, later(5000))?.flip).toMatchObject({ from: 'up', to: 'down', reason: 'missed' });
  });

  it('does not alert when pinged just before its deadline', () => {
    const late = evaluate(check, later(3600))!.check;
    const { check: pinged, flip } = applyPing(late, ping('success', later(4199)));
    expect(flip).toMatchObject({ from: 'late', to: 'up', reason: 'success' });
    expect(isAlerting(flip!)).toBe(false);
    expect(evaluate(pinged, later(4200))).toBeNull();
    expect(pinged.alertAfter).toEqual(later(4199 + 3600 + 600));
  });
});

describe('a check whose period is shorter than its grace', () => {
  const check = upAt(T0, { schedule: { kind: 'period', period: 60 }, grace: 3600 });

  it('is late after one period and down only after period + grace', () => {
    expect(check.nextDue).toEqual(later(60));
    expect(check.alertAfter).toEqual(later(3660));
    const late = evaluate(check, later(61))!;
    expect(late.check.status).toBe('late');
    expect(evaluate(late.check, later(3659))).toBeNull();
    expect(evaluate(late.check, later(3660))?.check.status).toBe('down');
  });
});

describe('cron checks', () => {
  it('are due at the first fire time after the last ping, plus grace', () => {
    const check = upAt(new Date('2026-06-01T02:31:00Z'), { schedule: { kind: 'cron', cron: '30 2 * * *', tz: 'UTC' } });
    expect(check.nextDue).toEqual(new Date('2026-06-02T02:30:00Z'));
    expect(check.alertAfter).toEqual(new Date('2026-06-02T02:40:00Z'));
  });

  it('expect a Berlin 02:30 job at 03:00 CEST on the spring-forward day, as cron runs it', () => {
    const lastRun = new Date('2026-03-28T01:30:00Z'); // 02:30 CET
    const check = upAt(lastRun, { schedule: { kind: 'cron', cron: '30 2 * * *', tz: 'Europe/Berlin' } });
    expect(check.nextDue).toEqual(new Date('2026-03-29T01:00:00Z'));
    expect(evaluate(check, new Date('2026-03-29T00:59:59Z'))).toBeNull();
    expect(evaluate(check, new Date('2026-03-29T01:00:00Z'))?.check.status).toBe('late');
  });

  it('expect a New York 01:30 job once on the fall-back day', () => {
    const firstPass = new Date('2026-11-01T05:30:05Z'); // ran at 01:30 EDT
    const check = upAt(firstPass, { schedule: { kind: 'cron', cron: '30 1 * * *', tz: 'America/New_York' } });
    expect(check.nextDue).toEqual(new Date('2026-11-02T06:30:00Z'));
    expect(evaluate(check, new Date('2026-11-01T06:45:00Z'))).toBeNull(); // 01:45 EST, second pass
  });
});

describe('runs', () => {
  it('marks a run in progress on start, without touching last ping or status', () => {
    const { check, flip, stored } = applyPing(upAt(T0), ping('start', later(100), { rid: 'r1' }));
    expect(check).toMatchObject({ status: 'up', lastPing: T0, lastStart: later(100), lastStartRid: 'r1' });
    expect(flip).toBeNull();
    expect(stored).toEqual({ kind: 'start', duration: null, keyword: null });
  });

  it('is judged by its own deadline while running, not by the schedule', () => {
    const { check } = applyPing(upAt(T0, { maxRuntime: 7200 }), ping('start', later(3000)));
    expect(check.alertAfter).toEqual(later(3000 + 7200));
    expect(evaluate(check, later(3700))).toBeNull();
    expect(evaluate(check, later(10200))?.flip).toMatchObject({ to: 'down', reason: 'timed_out' });
  });

  it('times out within grace when no max runtime is set', () => {
    const { check } = applyPing(upAt(T0), ping('start', later(10)));
    expect(evaluate(check, later(610))?.flip?.reason).toBe('timed_out');
  });

  it('pairs a success with the latest start when no run id is given', () => {
    const started = applyPing(upAt(T0), ping('start', later(100))).check;
    const { check, stored } = applyPing(started, ping('success', later(130)));
    expect(stored.duration).toBe(30_000);
    expect(check).toMatchObject({ lastDuration: 30_000, lastStart: null, lastStartRid: null, lastPing: later(130) });
  });

  it('gives overlapping runs their own durations by run id', () => {
    let check = applyPing(upAt(T0), ping('start', later(100), { rid: 'a' })).check;
    check = applyPing(check, ping('start', later(110), { rid: 'b' })).check;

    const endA = applyPing(check, ping('success', later(150), { rid: 'a', runStartedAt: later(100) }));
    expect(endA.stored.duration).toBe(50_000);
    expect(endA.check).toMatchObject({ lastStart: later(110), lastStartRid: 'b' });

    const endB = applyPing(endA.check, ping('success', later(170), { rid: 'b' }));
    expect(endB.stored.duration).toBe(60_000);
    expect(isRunning(endB.check)).toBe(false);
  });

  it('records no duration when the start of the run is unknown', () => {
    const { stored, check } = applyPing(upAt(T0, { lastDuration: 5 }), ping('success', later(10), { rid: 'zzz' }));
    expect(stored.duration).toBeNull();
    expect(check.lastDuration).toBe(5);
  });

  it('ends a run with a failure and its exit status', () => {
    const started = applyPing(upAt(T0), ping('start', later(100))).check;
    const { check, flip, stored } = applyPing(started, ping('fail', later(105), { exitStatus: 2 }));
    expect(stored).toEqual({ kind: 'fail', duration: 5000, keyword: null });
    expect(check.status).toBe('down');
    expect(flip).toMatchObject({ from: 'up', to: 'down', reason: 'failed', exitStatus: 2 });
  });
});

describe('a down check', () => {
  const down = applyPing(upAt(T0), ping('fail', later(1))).check;

  it('never goes down twice', () => {
    expect(evaluate(down, later(10 * 86400))).toBeNull();
    expect(applyPing(down, ping('fail', later(2))).flip).toBeNull();
  });

  it('recovers on a success, and the recovery alerts', () => {
    const { check, flip } = applyPing(down, ping('success', later(50)));
    expect(check.status).toBe('up');
    expect(flip).toMatchObject({ from: 'down', to: 'up', reason: 'success' });
    expect(isAlerting(flip!)).toBe(true);
  });

  it('stays down while a new run is in progress', () => {
    const { check, flip } = applyPing(down, ping('start', later(50)));
    expect(check.status).toBe('down');
    expect(isRunning(check)).toBe(true);
    expect(flip).toBeNull();
  });
});

describe('log pings', () => {
  it.each<Status>(['new', 'up', 'late', 'down', 'paused'])('are recorded and change nothing on a %s check', (status) => {
    const check = aCheck({ status, lastPing: T0 });
    const outcome = applyPing(check, ping('log', later(5)));
    expect(outcome).toEqual({ check, stored: { kind: 'log', duration: null, keyword: null }, flip: null });
  });
});

describe('paused checks', () => {
  const paused = pause(upAt(T0), later(10))!;

  it('pause records a flip and stops every deadline', () => {
    expect(paused.flip).toMatchObject({ from: 'up', to: 'paused', reason: 'paused' });
    expect(paused.check).toMatchObject({ status: 'paused', alertAfter: null, nextDue: null });
    expect(evaluate(paused.check, later(10 * 86400))).toBeNull();
    expect(pause(paused.check, later(20))).toBeNull();
  });

  it('resume on success ping unless manual resume is set', () => {
    const { check, flip } = applyPing(paused.check, ping('success', later(20)));
    expect(check.status).toBe('up');
    expect(flip).toMatchObject({ from: 'paused', to: 'up', reason: 'success' });
  });

  it('resume on a start ping, as a running check', () => {
    const { check, flip } = applyPing(paused.check, ping('start', later(20)));
    expect(check.status).toBe('up');
    expect(isRunning(check)).toBe(true);
    expect(flip).toMatchObject({ from: 'paused', to: 'up', reason: 'started' });
  });

  it('go down on a fail ping unless manual resume is set', () => {
    expect(applyPing(paused.check, ping('fail', later(20))).check.status).toBe('down');
  });

  it('record pings as ignored and change nothing when set to manual resume', () => {
    const manual = { ...paused.check, manualResume: true };
    for (const kind of ['success', 'start', 'fail', 'log'] as const) {
      expect(applyPing(manual, ping(kind, later(20)))).toEqual({
        check: manual,
        stored: { kind: 'ignored', duration: null, keyword: null },
        flip: null,
      });
    }
  });

  it('resume by hand as new, waiting for the next ping', () => {
    const resumed = resume(paused.check, later(30))!;
    expect(resumed.check).toMatchObject({ status: 'new', alertAfter: null });
    expect(resumed.flip).toMatchObject({ from: 'paused', to: 'new', reason: 'resumed' });
    expect(resume(resumed.check, later(40))).toBeNull();
  });
});

describe('when the sweep must look at a check', () => {
  const states: Array<[string, CheckState]> = [
    ['new', aCheck()],
    ['new and running', applyPing(aCheck(), ping('start', T0)).check],
    ['up', upAt(T0)],
    ['up and running', applyPing(upAt(T0), ping('start', later(60))).check],
    ['late', evaluate(upAt(T0), later(3700))!.check],
    ['down', applyPing(upAt(T0), ping('fail', later(1))).check],
    ['paused', pause(upAt(T0), later(10))!.check],
    ['on a cron schedule', upAt(T0, { schedule: { kind: 'cron', cron: '30 3 * * *', tz: 'Europe/Berlin' } })],
  ];

  it.each(states)('is the first moment time changes a check that is %s', (_name, check) => {
    const due = sweepDue(check);
    if (due === null) {
      expect(evaluate(check, later(10 * 365 * 86400))).toBeNull();
      return;
    }
    expect(evaluate(check, new Date(due.getTime() - 1))).toBeNull();
    expect(evaluate(check, due)).not.toBeNull();
  });

  describe('after a ping', () => {
    // Up and pinged at T0 + 1800 s: due to turn late an hour later.
    const check = upAt(later(1800));
    const due = later(5400);

    it('stays where it was while that is at least half as far off as the new due time', () => {
      expect(sweepAtAfterPing(later(3600), check, later(1800))).toEqual(later(3600));
      expect(sweepAtAfterPing(later(3599), check, later(1800))).toEqual(due);
    });

    it('moves to the due time when it was unset, past, or later than the due time', () => {
      expect(sweepAtAfterPing(null, check, later(1800))).toEqual(due);
      expect(sweepAtAfterPing(later(1000), check, later(1800))).toEqual(due);
      expect(sweepAtAfterPing(later(6000), check, later(1800))).toEqual(due);
    });

    it('is cleared when time can no longer change the check', () => {
      const down = applyPing(check, ping('fail', later(1900))).check;
      expect(sweepAtAfterPing(later(3600), down, later(1900))).toBeNull();
    });
  });
});

describe('exit statuses', () => {
  it('0 is success, 1–255 failure', () => {
    expect(pingKindForExitStatus(parseExitStatus('0'))).toBe('success');
    expect(pingKindForExitStatus(parseExitStatus('1'))).toBe('fail');
    expect(parseExitStatus('255')).toBe(255);
  });

  it.each(['256', '-1', '1.5', 'abc', '', '0x1', '1000'])('refuses %j', (text) => {
    expect(() => parseExitStatus(text)).toThrow(/exit status must be a whole number from 0 to 255/);
  });
});
