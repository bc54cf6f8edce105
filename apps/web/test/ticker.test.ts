import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { subscribeToTicks, tickTime } from '../src/ticker';

describe('the one clock behind every relative time', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse('2026-12-07T08:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs one interval for any number of rows, gives them one "now", and stops when the last leaves', () => {
    const seen: number[][] = [[], [], []];
    const leave = seen.map((times) => subscribeToTicks(() => times.push(tickTime())));
    expect(vi.getTimerCount()).toBe(1);

    vi.advanceTimersByTime(3_000);
    expect(seen[0]).toEqual([Date.parse('2026-12-07T08:00:01Z'), Date.parse('2026-12-07T08:00:02Z'), Date.parse('2026-12-07T08:00:03Z')]);
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);

    for (const unsubscribe of leave) unsubscribe();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('is never stale while nothing ticks', () => {
    vi.advanceTimersByTime(90_000);
    expect(tickTime()).toBe(Date.now());
  });
});
