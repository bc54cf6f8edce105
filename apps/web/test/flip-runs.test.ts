import { describe, expect, it } from 'vitest';
import { EMPTY_POLICY, editorFieldErrors, policyInputOf, policyTypedErrors, thresholdProgress } from '../src/alert-policy';
import { downReason, type FlipWithExit } from '../src/down-reason';
import { describeFailedRun, type FailedRun, flipRunsSummary } from '../src/flip-runs';
import { localTime } from '../src/time';
import type { Check } from '../src/types';

const at = '2026-03-29T01:12:00.000Z';

describe('the runs behind a flip, in words', () => {
  it.each<[FailedRun, string]>([
    [{ reason: 'failed', at, exitStatus: 1 }, 'failed with exit status 1'],
    [{ reason: 'failed', at, exitStatus: null }, 'failed'],
    [{ reason: 'failed', at, keyword: '<b>ERROR</b>' }, 'failed: the output contains “<b>ERROR</b>”'],
    [{ reason: 'missed', at, scheduled: at }, `missed the run expected ${localTime(at)}`],
    [{ reason: 'timed_out', at, startedAt: at }, `ran too long: started ${localTime(at)} and did not finish`],
    [
      { reason: 'early', at, startedAt: at, scheduled: '2026-03-29T02:00:00.000Z' },
      `too early: ran ${localTime(at)}, scheduled ${localTime('2026-03-29T02:00:00.000Z')}`,
    ],
    [
      { reason: 'overlap', at, startedAt: at, openRid: null },
      `overlapped: started while a run without run id started ${localTime(at)} was still open`,
    ],
    [
      { reason: 'overlap', at, openRid: '0b6c5a52-2b7f-4a59-9a57-2f0c3c8e1d11' },
      'overlapped: started while run 0b6c5a52-2b7f-4a59-9a57-2f0c3c8e1d11 was still open',
    ],
    [{ reason: 'slow', at, duration: 3_720_000, median: 1_200_000, limit: 3_600_000 }, 'too slow: took 1 h 2 min; median 20 min'],
    [{ reason: 'fast', at, duration: 2_000, limit: 300_000 }, 'too fast: took 2 s; minimum 5 min'],
  ])('%j reads "%s"', (run, words) => {
    expect(describeFailedRun(run)).toBe(words);
  });

  it('sums up the runs and the threshold they reached', () => {
    expect(
      flipRunsSummary({
        failures: [
          { reason: 'failed', at },
          { reason: 'missed', at },
        ],
        failureThreshold: 2,
      }),
    ).toBe('2 failed runs in a row (threshold 2)');
    expect(flipRunsSummary({ failures: [{ reason: 'failed', at }] })).toBe('1 failed run');
    expect(flipRunsSummary({ successes: 3, recoveryThreshold: 3 })).toBe('3 successful runs in a row (threshold 3)');
    expect(flipRunsSummary({})).toBeNull();
  });

  it("says a down check's reason with the policy that fired and, past a threshold, the count", () => {
    const flip = (reason: FlipWithExit['reason'], failures: FailedRun[], failureThreshold = failures.length): FlipWithExit => ({
      from: 'up',
      to: 'down',
      reason,
      at,
      exitStatus: null,
      processedAt: null,
      runs: { failures, failureThreshold },
    });
    const check = { lastPing: null, maxRuntime: null, grace: 600 };
    expect(downReason(flip('fast', [{ reason: 'fast', at, duration: 2_000, median: 1_200_000 }]), check)).toBe(
      'Too fast: took 2 s; median 20 min.',
    );
    expect(
      downReason(
        flip('failed', [
          { reason: 'missed', at, scheduled: at },
          { reason: 'failed', at, keyword: 'ERROR' },
        ]),
        check,
      ),
    ).toBe('Failed: the output contains “ERROR”. It was the last of 2 failed runs in a row (threshold 2).');
    expect(downReason(flip('failed', [{ reason: 'failed', at, exitStatus: 3 }]), check)).toBe('Failed: the job reported a failure.');
  });
});

describe('the editor and the check page', () => {
  const check = { status: 'up', failures: 0, successes: 0, failureThreshold: 3, recoveryThreshold: 2 } as Check;

  it('counts towards the thresholds only while it matters', () => {
    expect(thresholdProgress(check)).toBeNull();
    expect(thresholdProgress({ ...check, failures: 2 })).toBe('Failing 2 of 3');
    expect(thresholdProgress({ ...check, status: 'down', successes: 1 })).toBe('Recovering 1 of 2');
    expect(thresholdProgress({ ...check, status: 'down', failures: 2 })).toBeNull();
  });

  it('sends what is typed in the API’s shapes, and no early tolerance for a period schedule', () => {
    const draft = {
      ...EMPTY_POLICY,
      failureThreshold: '3',
      failureKeywords: 'ERROR\n\n  Traceback  \n',
      earlyTolerance: '10m',
      durationMode: 'bounds' as const,
      maxDuration: '2h',
    };
    expect(Object.values(policyTypedErrors(draft, true)).filter(Boolean)).toEqual([]);
    expect(policyInputOf(draft, true)).toEqual({
      failureThreshold: 3,
      recoveryThreshold: 1,
      successKeywords: [],
      failureKeywords: ['ERROR', 'Traceback'],
      startKeywords: [],
      earlyTolerance: 600,
      maxConcurrentRuns: null,
      durationAnomaly: { mode: 'bounds', minDuration: null, maxDuration: 7200 },
    });
    expect(policyInputOf(draft, false).earlyTolerance).toBeNull();
    expect(policyTypedErrors({ ...draft, failureThreshold: '2.5', minDuration: 'soon' }, true)).toMatchObject({
      failureThreshold: 'must be a whole number',
      minDuration: '"soon" is not a duration: a number and a unit, e.g. 30s, 10m, 2h',
    });
  });

  it("puts the API's field errors beside the editor's fields", () => {
    expect(
      editorFieldErrors({
        failureThreshold: 'must be <= 100',
        'failureKeywords.1': 'must match pattern "\\S"',
        'durationAnomaly.factor': 'must be >= 1.5',
        durationAnomaly: 'minDuration must be below maxDuration',
      }),
    ).toEqual({
      failureThreshold: 'must be <= 100',
      failureKeywords: 'keyword 2: must match pattern "\\S"',
      factor: 'must be >= 1.5',
      durationAnomaly: 'minDuration must be below maxDuration',
    });
  });
});
