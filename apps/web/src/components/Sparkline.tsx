import { duration } from '../time';

const WIDTH = 80;
const HEIGHT = 20;

/**
 * Recent run durations as a small line. A few points of inline SVG per row
 * cost nothing to draw for a hundred rows, where a charting library's canvas
 * per row (uPlot draws the check page's big chart) would cost a context and
 * a layout each; the line needs no axes, only its shape and its words.
 */
export function Sparkline({ durations }: { durations: number[] }) {
  if (durations.length < 2) return null;
  const longest = Math.max(...durations);
  const shortest = Math.min(...durations);
  const span = longest - shortest || 1;
  const step = WIDTH / (durations.length - 1);
  const points = durations
    .map((ms, i) => `${(i * step).toFixed(1)},${(HEIGHT - 2 - ((ms - shortest) / span) * (HEIGHT - 4)).toFixed(1)}`)
    .join(' ');
  const label = `Last ${durations.length} durations, from ${duration(shortest / 1000)} to ${duration(longest / 1000)}`;
  return (
    <svg className="sparkline" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="img" aria-label={label}>
      <title>{label}</title>
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
    </svg>
  );
}
