import { useMemo } from 'react';
import type { TimedRun } from '../duration-plot';
import { durationPercentiles } from '../percentiles';
import { duration, formatInstant } from '../time';
import type { Ping } from '../types';
import { DurationPlot } from './DurationPlot';

/** The runs the pings tell of: each ping that ended a run whose start was seen, oldest first. */
function timedRuns(pings: Ping[]): TimedRun[] {
  return pings
    .filter((ping): ping is Ping & { duration: number } => ping.duration !== null)
    .map((ping) => ({
      n: ping.n,
      at: Date.parse(ping.createdAt),
      iso: ping.createdAt,
      seconds: ping.duration / 1000,
      failed: ping.kind === 'fail',
    }))
    .sort((a, b) => a.at - b.at);
}

/**
 * Run durations over time: a uPlot chart with p50 and p95 lines, a legend
 * that tells outcomes by shape as well as colour, and the same runs as a
 * table for screen readers.
 */
export function DurationChart({ pings }: { pings: Ping[] }) {
  const runs = useMemo(() => timedRuns(pings), [pings]);
  const percentiles = useMemo(() => durationPercentiles(runs.map((run) => run.seconds)), [runs]);
  if (runs.length === 0 || !percentiles) {
    return <p className="muted">No timed runs yet: send a start ping before the job and a success ping after it.</p>;
  }
  const failed = runs.filter((run) => run.failed).length;
  const label =
    `Durations of the last ${runs.length} runs: median (p50) ${duration(percentiles.p50)}, p95 ${duration(percentiles.p95)}` +
    (failed > 0 ? `, ${failed} failed (diamonds)` : '') +
    '. Arrow keys step through the runs; the table after the chart lists them.';

  return (
    <figure className="chart">
      <ul className="chart-legend">
        <li>
          <span className="chart-key chart-key-success" aria-hidden="true">
            ●
          </span>{' '}
          succeeded
        </li>
        <li>
          <span className="chart-key chart-key-fail" aria-hidden="true">
            ◆
          </span>{' '}
          failed{failed > 0 && ` (${failed})`}
        </li>
        <li className="chart-p50">
          <span className="chart-key chart-key-p50" aria-hidden="true" />
          p50 <strong>{duration(percentiles.p50)}</strong>
        </li>
        <li className="chart-p95">
          <span className="chart-key chart-key-p95" aria-hidden="true" />
          p95 <strong>{duration(percentiles.p95)}</strong>
        </li>
      </ul>
      <DurationPlot runs={runs} percentiles={percentiles} label={label} />
      <table className="visually-hidden">
        <caption>The last {runs.length} timed runs, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Finished</th>
            <th scope="col">Took</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {runs.toReversed().map((run) => (
            <tr key={run.n}>
              <td>
                <time dateTime={run.iso}>{formatInstant(run.iso, { seconds: true })}</time>
              </td>
              <td>{duration(run.seconds)}</td>
              <td>{run.failed ? 'failed' : 'succeeded'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
