import { describe, expect, it } from 'vitest';
import { downFlip, downReason, type FlipWithExit } from '../src/down-reason';
import { describeFailedRun } from '../src/flip-runs';

const check = { lastPing: null, maxRuntime: null, grace: 600 };
const flip = (at: string, to: FlipWithExit['to'], reason: FlipWithExit['reason'], exitStatus: number | null = null): FlipWithExit => ({
  from: 'up',
  to,
  reason,
  at,
  exitStatus,
  processedAt: null,
  runs: null,
});

describe("a down check's reason, in words", () => {
  it('says a missed deadline, and whether the check was ever pinged', () => {
    expect(downReason(flip('2026-12-04T10:00:00Z', 'down', 'missed'), check)).toBe(
      'Missed: no ping arrived by the deadline, and the check was never pinged.',
    );
    expect(downReason(flip('2026-12-04T10:00:00Z', 'down', 'missed'), { ...check, lastPing: '2026-12-04T08:00:00Z' })).toMatch(
      /^Missed: no ping arrived by the deadline; the last one came on .*2026.*\.$/,
    );
  });

  it('says a failure, with the exit status when the job sent one', () => {
    expect(downReason(flip('2026-12-04T10:00:00Z', 'down', 'failed', 137), check)).toBe(
      'Failed: the job reported a failure with exit status 137.',
    );
    expect(downReason(flip('2026-12-04T10:00:00Z', 'down', 'failed'), check)).toBe('Failed: the job reported a failure.');
  });

  it('says a run took too long, against its max runtime or else the grace time', () => {
    expect(downReason(flip('2026-12-04T10:00:00Z', 'down', 'timed_out'), { ...check, maxRuntime: 5400 })).toBe(
      'Ran too long: a run started and did not finish within its max runtime (1 h 30 min).',
    );
    expect(downReason(flip('2026-12-04T10:00:00Z', 'down', 'timed_out'), check)).toBe(
      'Ran too long: a run started and did not finish within the grace time (10 min).',
    );
  });

  it('takes the newest flip when it is the one to down, and none from a list read before the check went down', () => {
    const recovered = flip('2026-12-04T11:00:00Z', 'up', 'success');
    const earlier = flip('2026-12-04T10:00:00Z', 'down', 'failed', 1);
    const again = flip('2026-12-04T12:00:00Z', 'down', 'missed');
    expect(downFlip([again, recovered, earlier])).toBe(again);
    expect(downFlip([earlier, again, recovered])).toBe(again);
    expect(downFlip([recovered, earlier])).toBeNull();
    expect(downFlip([])).toBeNull();
  });
});

describe("a scheduled run's times, in the check's zone", () => {
  const early = {
    reason: 'early',
    at: '2026-12-07T00:12:00Z',
    startedAt: '2026-12-07T00:12:00Z',
    scheduled: '2026-12-07T01:00:00Z',
  } as const;

  it('writes a cron check’s scheduled instants in its zone and names it, and a period check’s in the viewer’s', () => {
    expect(describeFailedRun(early, 'Europe/Berlin')).toMatch(/^too early: ran .*\b0?1:12\b.*, scheduled .*\b0?2:00\b.* Europe\/Berlin$/);
    const flipped = { ...flip('2026-12-07T00:12:00Z', 'down', 'early' as FlipWithExit['reason']), runs: { failures: [early] } };
    const cronCheck = { ...check, cron: '0 2 * * *', onCalendar: null, tz: 'Europe/Berlin' };
    expect(downReason(flipped, cronCheck)).toMatch(/^Too early: ran .*, scheduled .*\b0?2:00\b.* Europe\/Berlin\.$/);
    // A period check's deadlines follow no zone: the viewer's own, unnamed (UTC on this test runner).
    expect(downReason(flipped, { ...cronCheck, cron: null })).toMatch(/^Too early: ran .*\b(00|12):12\b.*, scheduled .*\b0?1:00\b[^/]*\.$/);
  });
});
