import { describe, expect, it } from 'vitest';
import { durationPercentiles, percentile } from '../src/percentiles';

describe('percentiles of run durations', () => {
  it('takes the median as the middle value, or the mean of the middle two', () => {
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
  });

  it('interpolates between the closest ranks, whatever the order of the runs', () => {
    const tens = Array.from({ length: 30 }, (_, i) => ((i * 7) % 30) * 10 + 10); // 10 … 300, shuffled
    expect(percentile(tens, 50)).toBe(155);
    expect(percentile(tens, 95)).toBeCloseTo(285.5, 9);
    expect(percentile(tens, 0)).toBe(10);
    expect(percentile(tens, 100)).toBe(300);
    expect(durationPercentiles(tens)).toEqual({ p50: 155, p95: expect.closeTo(285.5, 9) });
  });

  it('is the one run for a single run, none for no runs, and refuses a percentile outside 0 … 100', () => {
    expect(durationPercentiles([42])).toEqual({ p50: 42, p95: 42 });
    expect(durationPercentiles([])).toBeNull();
    expect(() => percentile([1], 101)).toThrow('between 0 and 100');
    expect(() => percentile([1], Number.NaN)).toThrow('between 0 and 100');
  });
});
