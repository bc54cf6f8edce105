import type { CheckOverview, OverviewSort } from '@cronbeat/contract';
import { memo, useEffect, useRef } from 'react';
import type { ListQuery } from '../checks-list';
import { scheduleZone } from '../down-reason';
import { describeSchedule } from '../schedule';
import { duration } from '../time';
import { HistoryStrip } from './HistoryStrip';
import { Link } from './Link';
import { Sparkline } from './Sparkline';
import { StatusIcon } from './StatusIcon';
import { TimeAgo } from './TimeAgo';

/** The columns that sort, by header text; the others (history, duration, alerts) do not. */
const SORTABLE: Array<[OverviewSort, string]> = [
  ['status', 'Status'],
  ['name', 'Name'],
  ['lastPing', 'Last ping'],
  ['nextDue', 'Next expected'],
];
const HEADER_OF = Object.fromEntries(SORTABLE) as Record<OverviewSort, string>;

/** Keys that move the row focus: j and ↓ down, k and ↑ up. */
const STEP: Record<string, 1 | -1> = { j: 1, ArrowDown: 1, k: -1, ArrowUp: -1 };

/**
 * The checks list: one row per check, stacked into cards on narrow screens
 * by CSS. Sort headers are buttons that say their order (`aria-sort`);
 * j/k or the arrow keys move the focus between rows (its name link, so
 * Enter opens the check). With channels in the rows (callers who may see
 * them), a check that alerts nobody says so with an icon and words.
 */
export function CheckTable({
  checks,
  query,
  onSort,
}: {
  checks: CheckOverview[];
  query: Pick<ListQuery, 'sort' | 'dir'>;
  onSort: (sort: OverviewSort, dir: 'asc' | 'desc') => void;
}) {
  const body = useRef<HTMLTableSectionElement>(null);
  useKeyboardRows(body);
  const header = (sort: OverviewSort) => {
    const active = query.sort === sort;
    const next = active && query.dir === 'asc' ? 'desc' : 'asc';
    return (
      <th scope="col" aria-sort={active ? (query.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
        <button type="button" className="sort" onClick={() => onSort(sort, next)}>
          {HEADER_OF[sort]}
          <span aria-hidden="true" className="sort-mark">
            {active ? (query.dir === 'asc' ? ' ▲' : ' ▼') : ''}
          </span>
        </button>
      </th>
    );
  };
  return (
    <table className="checks">
      <thead>
        <tr>
          {header('status')}
          {header('name')}
          <th scope="col">History</th>
          <th scope="col">Duration</th>
          {header('lastPing')}
          {header('nextDue')}
        </tr>
      </thead>
      <tbody ref={body}>
        {checks.map((check) => (
          <CheckRow key={check.id} check={check} />
        ))}
      </tbody>
    </table>
  );
}

/**
 * One check's row. Memoised: a live update replaces only the rows it names (the others keep their objects),
 * so only those rows render again, not the schedule words and 30 strip cells of every row on the page.
 */
const CheckRow = memo(function CheckRow({ check }: { check: CheckOverview }) {
  return (
    <tr data-check-id={check.id} data-status={check.status}>
      <td data-label="Status">
        <StatusIcon status={check.status} running={check.running} />
      </td>
      <td data-label="Name">
        <Link to={`/checks/${check.id}`} className="check-name">
          {check.name || check.slug || 'unnamed'}
        </Link>
        <span className="schedule">{describeSchedule(check)}</span>
        {check.tags.length > 0 && (
          <ul className="tags" aria-label="Tags">
            {check.tags.map((tag) => (
              <li key={tag}>{tag}</li>
            ))}
          </ul>
        )}
        {check.channels && <AlertsTo channels={check.channels} />}
      </td>
      <td data-label="History">
        <HistoryStrip cells={check.history} name={check.name || check.slug || 'unnamed'} />
      </td>
      <td data-label="Duration" className="duration-cell">
        {check.lastDuration === null ? <span className="muted">—</span> : <span>{duration(check.lastDuration / 1000)}</span>}
        <Sparkline durations={check.durations} />
      </td>
      <td data-label="Last ping">
        <TimeAgo at={check.lastPing} />
      </td>
      <td data-label="Next expected">
        <TimeAgo at={check.status === 'paused' ? null : check.nextPing} zone={scheduleZone(check)} empty="—" />
      </td>
    </tr>
  );
});

/** Where a check's alerts go, in a line; a warning (an icon drawn by CSS, and words) when nowhere. */
function AlertsTo({ channels }: { channels: Array<{ name: string }> }) {
  if (channels.length === 0) return <p className="alerts-to alerts-nobody">Alerts nobody: no channel</p>;
  return <p className="alerts-to">Alerts {channels.map((channel) => channel.name).join(', ')}</p>;
}

/**
 * j/k and ↓/↑ move the focus to the next or previous row's name link (from
 * anywhere on the page but a form field, for j and k; arrows only within
 * the list, so they still scroll the page elsewhere). Enter then opens it.
 */
function useKeyboardRows(body: React.RefObject<HTMLTableSectionElement | null>) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const step = STEP[event.key];
      if (!step || event.altKey || event.ctrlKey || event.metaKey || !body.current) return;
      const target = event.target as HTMLElement;
      if (target.closest('input, select, textarea, [contenteditable="true"]')) return;
      const inList = body.current.contains(target);
      if (!inList && event.key.startsWith('Arrow')) return;
      const links = [...body.current.querySelectorAll<HTMLAnchorElement>('a.check-name')];
      if (links.length === 0) return;
      const current = links.findIndex((link) => link.closest('tr')?.contains(target));
      const next = current < 0 ? (step > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, current + step));
      event.preventDefault();
      links[next]?.focus();
      links[next]?.closest('tr')?.scrollIntoView({ block: 'nearest' });
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [body]);
}
