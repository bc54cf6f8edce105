import { duration, exactTime } from '../time';
import type { Ping } from '../types';

const WIDTH = 600;
const HEIGHT = 160;
const PAD = { top: 12, right: 12, bottom: 24, left: 56 };

/** ", 2 failed" for the chart's label when any run failed (drawn as diamonds). */
const failedRuns = (runs: { kind: string }[]) => {
  const failed = runs.filter((run) => run.kind === 'fail').length;
  return failed === 0 ? '' : `, ${failed} failed (diamonds)`;
};

/** Run durations over time as a plain SVG line with dots; each dot's title gives the exact run. */
export function DurationChart({ pings }: { pings: Ping[] }) {
  const runs = pings
    .filter((ping): ping is Ping & { duration: number } => ping.duration !== null)
    .map((ping) => ({ at: Date.parse(ping.createdAt), seconds: ping.duration / 1000, kind: ping.kind, iso: ping.createdAt }))
    .sort((a, b) => a.at - b.at);
  if (runs.length === 0) return <p className="muted">No timed runs yet: send a start ping before the job and a success ping after it.</p>;

  const first = runs[0]!.at;
  const last = runs[runs.length - 1]!.at;
  const longest = Math.max(...runs.map((run) => run.seconds), 1e-3);
  const x = (at: number) => PAD.left + (last === first ? 0.5 : (at - first) / (last - first)) * (WIDTH - PAD.left - PAD.right);
  const y = (seconds: number) => HEIGHT - PAD.bottom - (seconds / longest) * (HEIGHT - PAD.top - PAD.bottom);
  const line = runs.map((run) => `${x(run.at).toFixed(1)},${y(run.seconds).toFixed(1)}`).join(' ');

  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`Durations of the last ${runs.length} runs, longest ${duration(longest)}${failedRuns(runs)}`}
      >
        <line className="axis" x1={PAD.left} y1={HEIGHT - PAD.bottom} x2={WIDTH - PAD.right} y2={HEIGHT - PAD.bottom} />
        <line className="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={HEIGHT - PAD.bottom} />
        <text x={PAD.left - 6} y={PAD.top + 4} textAnchor="end">
          {duration(longest)}
        </text>
        <text x={PAD.left - 6} y={HEIGHT - PAD.bottom} textAnchor="end">
          0
        </text>
        <text x={PAD.left} y={HEIGHT - 6}>
          {new Date(first).toLocaleDateString()}
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end">
          {new Date(last).toLocaleDateString()}
        </text>
        <polyline className="series" points={line} fill="none" />
        {runs.map((run) => {
          const title = `${duration(run.seconds)} — ${run.kind}, ${exactTime(run.iso)}`;
          // A failed run is a diamond, not only a red dot: its shape tells it apart without colour.
          return run.kind === 'fail' ? (
            <rect
              key={run.iso}
              className="dot dot-fail"
              x={x(run.at) - 4}
              y={y(run.seconds) - 4}
              width={8}
              height={8}
              transform={`rotate(45 ${x(run.at)} ${y(run.seconds)})`}
            >
              <title>{title}</title>
            </rect>
          ) : (
            <circle key={run.iso} className={`dot dot-${run.kind}`} cx={x(run.at)} cy={y(run.seconds)} r={3.5}>
              <title>{title}</title>
            </circle>
          );
        })}
      </svg>
    </figure>
  );
}
