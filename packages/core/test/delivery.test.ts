import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, nextAttemptAt } from '../src';

const at = new Date('2026-12-04T12:00:00Z');
const after = (ms: number) => new Date(at.getTime() + ms);

describe('the delivery retry policy', () => {
  it.each([
    { attempts: 1, next: after(20_000) },
    { attempts: 2, next: after(40_000) },
    { attempts: 3, next: after(80_000) },
    { attempts: 4, next: after(160_000) },
    { attempts: 5, next: after(320_000) },
    { attempts: 6, next: null },
    { attempts: 7, next: null },
  ])('after transient failure number $attempts of 6 retries at $next', ({ attempts, next }) => {
    expect(nextAttemptAt(DEFAULT_RETRY_POLICY, { attempts, at, permanent: false })).toEqual(next);
  });

  it('never retries a permanent failure, even on the first attempt', () => {
    expect(nextAttemptAt(DEFAULT_RETRY_POLICY, { attempts: 1, at, permanent: true })).toBeNull();
  });

  it('follows a shortened policy: one attempt means no retry at all', () => {
    expect(nextAttemptAt({ attempts: 3, firstRetryMs: 200 }, { attempts: 2, at, permanent: false })).toEqual(after(400));
    expect(nextAttemptAt({ attempts: 1, firstRetryMs: 200 }, { attempts: 1, at, permanent: false })).toBeNull();
  });

  it('spans 10 min 20 s over its six attempts by default', () => {
    let last = at;
    for (let attempts = 1; attempts < DEFAULT_RETRY_POLICY.attempts; attempts++) {
      last = nextAttemptAt(DEFAULT_RETRY_POLICY, { attempts, at: last, permanent: false }) ?? last;
    }
    expect(last.getTime() - at.getTime()).toBe(620_000);
  });
});
