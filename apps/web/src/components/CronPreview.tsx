import { useEffect, useState } from 'react';
import { api } from '../api';
import { exactTime, formatInstant } from '../time';

/**
 * The next five run times of a cron or OnCalendar schedule, as the server
 * computes them (same code as the deadlines), in the schedule's zone with the
 * zone named; the viewer's own time on hover. Shows nothing when the server
 * offers no preview.
 */
export function CronPreview({ cron, onCalendar, tz }: { cron?: string; onCalendar?: string; tz: string }) {
  const [runs, setRuns] = useState<string[] | null>(null);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      api.schedulePreview(onCalendar !== undefined ? { onCalendar } : { cron: cron ?? '' }, tz).then(
        (times) => current && setRuns(times.slice(0, 5)),
        () => current && setRuns(null),
      );
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [cron, onCalendar, tz]);
  if (!runs || runs.length === 0) return null;
  return (
    <div className="preview">
      <p className="hint">Next runs in {tz}:</p>
      <ol className="next-runs">
        {runs.map((run) => (
          <li key={run}>
            <time dateTime={run} title={exactTime(run, { zone: tz })}>
              {formatInstant(run, { zone: tz })}
            </time>
          </li>
        ))}
      </ol>
    </div>
  );
}
