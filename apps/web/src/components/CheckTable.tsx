import { describeSchedule } from '../schedule';
import type { Check } from '../types';
import { Link } from './Link';
import { StatusIcon } from './StatusIcon';
import { TimeAgo } from './TimeAgo';

/**
 * The checks list: one row per check, stacked into cards on narrow screens by
 * CSS. With `channelNames` (callers who may see channels), each check says
 * where it alerts, and a check that alerts nobody says so.
 */
export function CheckTable({ checks, channelNames }: { checks: Check[]; channelNames?: Map<string, string> | undefined }) {
  const now = Date.now();
  return (
    <table className="checks">
      <thead>
        <tr>
          <th scope="col">Status</th>
          <th scope="col">Name</th>
          <th scope="col">Schedule</th>
          <th scope="col">Last ping</th>
          <th scope="col">Next expected</th>
        </tr>
      </thead>
      <tbody>
        {checks.map((check) => (
          <tr key={check.id} data-check-id={check.id} data-status={check.status}>
            <td data-label="Status">
              <StatusIcon status={check.status} running={check.running} />
            </td>
            <td data-label="Name">
              <Link to={`/checks/${check.id}`} className="check-name">
                {check.name || check.slug || 'unnamed'}
              </Link>
              {check.tags.length > 0 && (
                <ul className="tags" aria-label="Tags">
                  {check.tags.map((tag) => (
                    <li key={tag}>{tag}</li>
                  ))}
                </ul>
              )}
              {channelNames && check.channels && <AlertsTo ids={check.channels} names={channelNames} />}
            </td>
            <td data-label="Schedule" className="schedule">
              {describeSchedule(check)}
            </td>
            <td data-label="Last ping">
              <TimeAgo at={check.lastPing} now={now} />
            </td>
            <td data-label="Next expected">
              <TimeAgo at={check.status === 'paused' ? null : check.nextPing} now={now} empty="—" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Where a check's alerts go, in a line; a warning when nowhere. */
function AlertsTo({ ids, names }: { ids: string[]; names: Map<string, string> }) {
  if (ids.length === 0) return <p className="alerts-to alerts-nobody">Alerts nobody: no channel</p>;
  const listed = ids.map((id) => names.get(id) ?? 'a channel');
  return <p className="alerts-to">Alerts {listed.join(', ')}</p>;
}
