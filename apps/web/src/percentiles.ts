/**
 * Percentiles of run durations, for the duration chart's p50 and p95 lines.
 * Linear interpolation between the closest ranks (the common "type 7"
 * definition), so p50 is the median as core's run judgement computes it: the
 * middle value, or the mean of the middle two.
 */

/** The `p`-th percentile (0 ≤ p ≤ 100) of `values`; null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`a percentile is between 0 and 100, got ${p}`);
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const rank = (p / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.ceil(rank);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (rank - below);
}

/** The median and the 95th percentile, the two lines the chart draws. */
export function durationPercentiles(values: readonly number[]): { p50: number; p95: number } | null {
  const p50 = percentile(values, 50);
  const p95 = percentile(values, 95);
  return p50 === null || p95 === null ? null : { p50, p95 };
}
