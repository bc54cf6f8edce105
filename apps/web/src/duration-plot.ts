/**
 * The duration chart's uPlot options: a time axis labelled in the viewer's
 * locale, a duration axis in people's units, a faint line through every run,
 * successful runs as dots and failed ones as diamonds (told apart by shape,
 * not only colour), and the p50 and p95 lines drawn and labelled on the
 * canvas. The component (DurationPlot.tsx) owns the chart's life.
 */
import type uPlot from 'uplot';
import { duration, formatTick } from './time';

/** One timed run: when it ended and how long it took. */
export interface TimedRun {
  /** The number of the ping that ended it. */
  n: number;
  /** When the run's last ping arrived, in milliseconds since the epoch. */
  at: number;
  /** The same instant as the API sent it. */
  iso: string;
  seconds: number;
  failed: boolean;
}

/** Colours taken from the page's CSS variables, so dark mode and the theme apply. */
export interface ChartColours {
  success: string;
  fail: string;
  trend: string;
  text: string;
  grid: string;
  p50: string;
  p95: string;
}

/** Steps of the duration axis, in seconds: round numbers in each unit people use. */
const DURATION_STEPS = [
  0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600,
  43_200, 86_400, 172_800,
];
const FONT_PX = 11;
const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** x: seconds since the epoch (uPlot's time scale); then every run (the trend line), the successful ones, the failed ones. */
export function plotData(runs: readonly TimedRun[]): uPlot.AlignedData {
  return [
    runs.map((run) => run.at / 1000),
    runs.map((run) => run.seconds),
    runs.map((run) => (run.failed ? null : run.seconds)),
    runs.map((run) => (run.failed ? run.seconds : null)),
  ];
}

/** Failed runs' marker: a diamond, the size of the series' points, filled and outlined. */
const diamonds: uPlot.Series.Points.PathBuilder = (u, seriesIdx, idx0, idx1) => {
  const series = u.series[seriesIdx]!;
  const half = ((series.points?.size ?? 10) / 2) * (window.devicePixelRatio || 1);
  const [xs, ys] = [u.data[0], u.data[seriesIdx]!];
  const path = new Path2D();
  for (let i = idx0; i <= idx1; i++) {
    const value = ys[i];
    if (value === null || value === undefined) continue;
    const x = u.valToPos(xs[i]!, 'x', true);
    const y = u.valToPos(value, 'y', true);
    path.moveTo(x, y - half);
    path.lineTo(x + half, y);
    path.lineTo(x, y + half);
    path.lineTo(x - half, y);
    path.closePath();
  }
  return { fill: path, stroke: path };
};

/** Time ticks: the time of day, with the day under the first tick and under each tick that starts a new day; days alone for long spans. */
function timeTicks(_u: uPlot, splits: number[], _axis: number, _space: number, increment: number): string[] {
  return splits.map((split, i) => {
    const ms = split * 1000;
    if (increment >= 86_400) return formatTick(ms, 'day');
    const time = formatTick(ms, 'time');
    const previous = splits[i - 1];
    const newDay = previous === undefined || new Date(previous * 1000).toDateString() !== new Date(ms).toDateString();
    return newDay ? `${time}\n${formatTick(ms, 'day')}` : time;
  });
}

const durationTicks = (_u: uPlot, splits: number[]) => splits.map((split) => (split === 0 ? '0' : duration(split)));

/** The duration axis is as wide as its longest label, so "1 min 30 s" is never cut at 390 px. */
function durationAxisWidth(u: uPlot, values: string[] | null): number {
  if (!values) return 40;
  u.ctx.font = `${FONT_PX * (window.devicePixelRatio || 1)}px ${FONT_FAMILY}`;
  const widest = Math.max(...values.map((value) => u.ctx.measureText(value).width)) / (window.devicePixelRatio || 1);
  return Math.ceil(widest) + 14;
}

/** Draws a labelled horizontal line at each percentile: p95's label above its line, p50's below, so close lines stay legible. */
function drawPercentiles(u: uPlot, lines: readonly { name: string; seconds: number; colour: string; above: boolean }[]): void {
  const ratio = window.devicePixelRatio || 1;
  const { ctx, bbox } = u;
  ctx.save();
  ctx.font = `${FONT_PX * ratio}px ${FONT_FAMILY}`;
  ctx.textAlign = 'right';
  ctx.lineWidth = ratio;
  for (const line of lines) {
    const y = Math.round(u.valToPos(line.seconds, 'y', true));
    ctx.strokeStyle = line.colour;
    ctx.fillStyle = line.colour;
    ctx.setLineDash(line.above ? [6 * ratio, 4 * ratio] : [2 * ratio, 3 * ratio]);
    ctx.beginPath();
    ctx.moveTo(bbox.left, y);
    ctx.lineTo(bbox.left + bbox.width, y);
    ctx.stroke();
    ctx.textBaseline = line.above ? 'bottom' : 'top';
    ctx.fillText(`${line.name} ${duration(line.seconds)}`, bbox.left + bbox.width - 4 * ratio, y + (line.above ? -2 : 2) * ratio);
  }
  ctx.restore();
}

export interface PlotHandlers {
  /** The run under the cursor (by index) and where it is drawn, in CSS pixels within the plotting area; null when none. */
  onCursor(index: number | null): void;
  /** The percentiles to draw, read at each redraw so new data brings new lines. */
  percentiles(): { p50: number; p95: number } | null;
}

/** The chart's options for a `width` × `height` chart. */
export function plotOptions(width: number, height: number, colours: ChartColours, handlers: PlotHandlers): uPlot.Options {
  const font = `${FONT_PX}px ${FONT_FAMILY}`;
  const axis = { stroke: colours.text, font, grid: { stroke: colours.grid, width: 1 }, ticks: { stroke: colours.grid, width: 1 } };
  return {
    width,
    height,
    legend: { show: false },
    cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 11, width: 2 } },
    scales: {
      x: { time: true, range: (_u, min, max) => (min === max ? [min - 3_600, max + 3_600] : [min, max]) },
      y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.12 : 1] },
    },
    axes: [
      { ...axis, space: 70, values: timeTicks },
      { ...axis, space: 36, incrs: DURATION_STEPS, values: durationTicks, size: durationAxisWidth },
    ],
    series: [
      {},
      { label: 'all runs', stroke: colours.trend, width: 1, points: { show: false } },
      {
        label: 'succeeded',
        stroke: colours.success,
        paths: () => null,
        points: { show: true, space: 0, size: 7, width: 1, stroke: colours.success, fill: colours.success },
      },
      {
        label: 'failed',
        stroke: colours.fail,
        paths: () => null,
        points: { show: true, space: 0, size: 11, width: 1, stroke: colours.fail, fill: colours.fail, paths: diamonds },
      },
    ],
    hooks: {
      setCursor: [(u) => handlers.onCursor(u.cursor.left !== undefined && u.cursor.left >= 0 ? (u.cursor.idx ?? null) : null)],
      draw: [
        (u) => {
          const found = handlers.percentiles();
          if (!found) return;
          drawPercentiles(u, [
            { name: 'p95', seconds: found.p95, colour: colours.p95, above: true },
            { name: 'p50', seconds: found.p50, colour: colours.p50, above: false },
          ]);
        },
      ],
    },
  };
}
