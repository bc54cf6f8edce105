/** How a summary report words a check's uptime: hundredths of a percent, rounded down, never 100% with any time down. */
import { describe, expect, it } from 'vitest';
import { uptimePhrase } from '../src/report';

/** The largest double below `x` (for 0 < x). */
function justBelow(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigUint64(0, view.getBigUint64(0) - 1n);
  return view.getFloat64(0);
}

/** `n` basis points as the phrase should show them. */
const shown = (points: number) => `${Number((points / 100).toFixed(2))}% up`;

describe('uptimePhrase', () => {
  it('shows a share that is a whole number of hundredths of a percent as that number', () => {
    expect(uptimePhrase(0.57)).toBe('57% up');
    expect(uptimePhrase(0.9999)).toBe('99.99% up');
    expect(uptimePhrase(0.0001)).toBe('0.01% up');
    expect(uptimePhrase(1)).toBe('100% up');
    expect(uptimePhrase(0)).toBe('0% up');
  });

  it('rounds down, so that any time down never reads as 100%', () => {
    expect(uptimePhrase(0.99999)).toBe('99.99% up');
    expect(uptimePhrase(justBelow(1))).toBe('99.99% up');
    expect(uptimePhrase(justBelow(0.9999))).toBe('99.98% up');
    expect(uptimePhrase(0.71428)).toBe('71.42% up');
    expect(uptimePhrase(justBelow(0.0001))).toBe('0% up');
  });

  it('is exact at every hundredth of a percent and just below each', () => {
    const wrong: string[] = [];
    for (let points = 1; points <= 10_000; points++) {
      const share = points / 10_000;
      if (uptimePhrase(share) !== shown(points)) wrong.push(`${share} → ${uptimePhrase(share)}`);
      if (uptimePhrase(justBelow(share)) !== shown(points - 1)) wrong.push(`just below ${share} → ${uptimePhrase(justBelow(share))}`);
    }
    expect(wrong).toEqual([]);
  });

  it('says a check never watched was not watched', () => {
    expect(uptimePhrase(null)).toBe('not watched');
  });
});
