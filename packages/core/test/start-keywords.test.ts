import { describe, expect, it } from 'vitest';
import {
  applyPing,
  applyPings,
  type CheckState,
  DEFAULT_RUN_POLICY,
  EMAIL_PING_METHOD,
  matchKeyword,
  newCheckState,
  type PingInput,
  type RunPolicy,
  takesMethod,
  withDeadlines,
} from '../src';

const T0 = new Date('2026-06-01T12:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const HOUR = 3600;

function aCheck(policy: Partial<RunPolicy>, overrides: Partial<CheckState> = {}): CheckState {
  const check = newCheckState({ schedule: { kind: 'period', period: HOUR }, grace: 600, policy: { ...DEFAULT_RUN_POLICY, ...policy } });
  return withDeadlines({ ...check, ...overrides });
}

const ping = (kind: PingInput['kind'], seconds: number, body: string | null): PingInput => ({
  kind,
  at: at(seconds),
  rid: null,
  exitStatus: null,
  body,
});

describe('start keywords', () => {
  const policy = { failureKeywords: ['FAILED'], successKeywords: ['completed'], startKeywords: ['Started'] };

  it.each([
    ['a start keyword alone', 'Subject: Backup started', { kind: 'start', keyword: 'Started' }],
    ['start and success: the run ends', 'Subject: Backup started at 2:00, completed at 2:10', { kind: 'success', keyword: 'completed' }],
    ['start and failure: the run fails', 'Subject: Backup started, FAILED', { kind: 'fail', keyword: 'FAILED' }],
    ['none of them', 'Subject: Disk report', null],
    ['no body', null, null],
  ] as const)('%s', (_name, body, expected) => {
    expect(matchKeyword({ ...DEFAULT_RUN_POLICY, ...policy }, body)).toEqual(expected);
  });

  it('makes a success ping a start: the run opens, the status stays, the keyword is stored', () => {
    const check = aCheck(policy, { status: 'up', lastPing: at(0) });
    const outcome = applyPing(check, ping('success', HOUR, 'Subject: nightly job started'));
    expect(outcome.stored).toEqual({ kind: 'start', duration: null, keyword: 'Started' });
    expect(outcome.check.lastStart).toEqual(at(HOUR));
    expect(outcome.check.lastPing).toEqual(at(0));
    expect(outcome.flip).toBeNull();
  });

  it('pairs a keyword start with the end that follows, for the run’s duration', () => {
    const check = aCheck(policy, { status: 'up', lastPing: at(0) });
    const applied = applyPings({ state: check, nPings: 1, sweepAt: null, runStarts: new Map() }, [
      ping('success', HOUR, 'Subject: started'),
      ping('success', HOUR + 90, 'Subject: completed'),
    ]);
    if (!applied.ok) throw new Error('no run lookup expected');
    expect(applied.stored.map(({ kind, duration }) => [kind, duration])).toEqual([
      ['start', null],
      ['success', 90_000],
    ]);
  });

  it('leaves a start ping a start: keywords never turn a /start URL into an end', () => {
    const check = aCheck(policy, { status: 'up', lastPing: at(0) });
    expect(applyPing(check, ping('start', HOUR, 'completed')).stored.kind).toBe('start');
  });

  it('never makes a start of a reported failure or a log line: the failure and its alert are kept', () => {
    const check = aCheck(policy, { status: 'up', lastPing: at(0) });
    const failed = applyPing(check, ping('fail', HOUR, 'Started backup… exit status 1'));
    expect(failed.stored).toMatchObject({ kind: 'fail', keyword: null });
    expect(failed.check.status).toBe('down');
    expect(applyPing(check, ping('log', HOUR, 'started step 2')).stored).toMatchObject({ kind: 'log', keyword: null });
  });

  it('changes nothing for a check without start keywords', () => {
    const check = aCheck({ successKeywords: ['completed'] }, { status: 'up', lastPing: at(0) });
    expect(applyPing(check, ping('success', HOUR, 'started')).stored).toMatchObject({ kind: 'success', keyword: null });
  });
});

describe('email pings and a POST-only check', () => {
  it('counts an email ping, and still ignores GET and HEAD', () => {
    expect(takesMethod('POST', EMAIL_PING_METHOD)).toBe(true);
    expect(takesMethod('POST', 'GET')).toBe(false);
    expect(takesMethod('POST', 'HEAD')).toBe(false);
    expect(takesMethod('POST', 'POST')).toBe(true);
  });
});
