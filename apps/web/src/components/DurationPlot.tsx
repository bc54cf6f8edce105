import 'uplot/dist/uPlot.min.css';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type uPlot from 'uplot';
import { type ChartColours, plotData, plotOptions, type TimedRun } from '../duration-plot';
import { duration, formatInstant } from '../time';

/** Chart height in CSS pixels: a little lower on a phone. */
const heightFor = (width: number) => (width < 480 ? 180 : 220);

/** The page's colours, from its CSS variables (light or dark). */
function coloursOf(element: HTMLElement): ChartColours {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    success: read('--accent', '#1f5fbf'),
    fail: read('--down', '#c0262d'),
    trend: read('--line', '#d9dbdd'),
    text: read('--muted', '#5f6368'),
    grid: read('--line', '#d9dbdd'),
    p50: read('--fg', '#1d1f21'),
    p95: read('--late', '#a15c00'),
  };
}

/** The colour scheme, as state: the chart is drawn again in the other scheme's colours when it changes. */
function useColourScheme(): boolean {
  const query = '(prefers-color-scheme: dark)';
  const [dark, setDark] = useState(() => matchMedia(query).matches);
  useEffect(() => {
    const media = matchMedia(query);
    const changed = () => setDark(media.matches);
    media.addEventListener('change', changed);
    return () => media.removeEventListener('change', changed);
  }, []);
  return dark;
}

interface Hovered {
  index: number;
  /** Where the run is drawn, in CSS pixels from the container's top left. */
  left: number;
  top: number;
}

/**
 * Run durations drawn by uPlot on a canvas (loaded on demand, so other pages do not carry it),
 * as wide as its container (ResizeObserver). Hovering, or focusing it and pressing the arrow
 * keys, shows a run's time, duration and outcome.
 */
export function DurationPlot({
  runs,
  percentiles,
  label,
}: {
  runs: TimedRun[];
  percentiles: { p50: number; p95: number } | null;
  label: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef({ runs, percentiles });
  latest.current = { runs, percentiles };
  const [hovered, setHovered] = useState<Hovered | null>(null);
  /** Why the chart's code did not arrive (a deploy replaced its chunk, the network dropped) or could not draw: said, not a blank box. */
  const [unavailable, setUnavailable] = useState<string | null>(null);
  const dark = useColourScheme();

  // biome-ignore lint/correctness/useExhaustiveDependencies: drawn anew only when the colours change; data arrives through setData below.
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    let made: uPlot | null = null;
    let resizing: ResizeObserver | null = null;
    let cancelled = false;
    import('uplot')
      .then(({ default: UPlot }) => {
        if (cancelled) return;
        const width = element.clientWidth;
        const onCursor = (index: number | null) => {
          const run = index === null ? undefined : latest.current.runs[index];
          if (!made || !run) return setHovered(null);
          setHovered({
            index: index!,
            left: made.over.offsetLeft + made.valToPos(run.at / 1000, 'x'),
            top: made.over.offsetTop + made.valToPos(run.seconds, 'y'),
          });
        };
        const options = plotOptions(width, heightFor(width), coloursOf(element), {
          onCursor,
          percentiles: () => latest.current.percentiles,
        });
        made = new UPlot(options, plotData(latest.current.runs), element);
        chart.current = made;
        resizing = new ResizeObserver(() => {
          const now = element.clientWidth;
          if (made && now > 0 && now !== made.width) made.setSize({ width: now, height: heightFor(now) });
        });
        resizing.observe(element);
      })
      .catch((failure: unknown) => {
        if (!cancelled) setUnavailable(failure instanceof Error ? failure.message : String(failure));
      });
    return () => {
      cancelled = true;
      resizing?.disconnect();
      made?.destroy();
      chart.current = null;
      setHovered(null);
    };
  }, [dark]);

  // The page polls its pings every few seconds: the chart is redrawn (and a tooltip dropped) only when the runs did change.
  const drawn = runs.map((run) => `${run.iso}/${run.seconds}/${run.failed}`).join(' ');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `drawn` stands for the runs' content; `latest` holds them.
  useEffect(() => {
    chart.current?.setData(plotData(latest.current.runs));
    setHovered(null);
  }, [drawn]);

  /** Arrow keys step from run to run; Home and End go to the first and last. */
  const step = (event: KeyboardEvent) => {
    const made = chart.current;
    if (!made || runs.length === 0) return;
    const current = hovered?.index ?? -1;
    const next = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: runs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const run = runs[Math.min(Math.max(next, 0), runs.length - 1)]!;
    made.setCursor({ left: made.valToPos(run.at / 1000, 'x'), top: made.valToPos(run.seconds, 'y') });
  };
  const leave = () => chart.current?.setCursor({ left: -10, top: -10 });

  const run = hovered ? runs[hovered.index] : undefined;
  const width = container.current?.clientWidth ?? 0;
  if (unavailable) {
    return (
      <p className="error chart-unavailable">
        The chart could not be drawn ({unavailable}); reload the page to try again. The runs are in the ping log below.
      </p>
    );
  }
  return (
    <div className="chart-plot-wrap">
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the focus lets keyboard users step through the runs with the arrow keys. */}
      <div ref={container} className="chart-plot" role="img" aria-label={label} tabIndex={0} onKeyDown={step} onBlur={leave} />
      {hovered && run && (
        <div
          className={`chart-tooltip${hovered.left > width / 2 ? ' chart-tooltip-left' : ''}`}
          style={{ left: hovered.left, top: hovered.top }}
          aria-hidden="true"
        >
          <strong>{duration(run.seconds)}</strong> · {run.failed ? 'failed' : 'succeeded'}
          <br />
          {formatInstant(run.iso, { seconds: true })}
        </div>
      )}
    </div>
  );
}
