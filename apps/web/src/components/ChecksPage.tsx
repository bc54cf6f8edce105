import type { OverviewSort } from '@cronbeat/contract';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { FIRST_QUERY, type ListQuery } from '../checks-list';
import { showFavicon, worstStatus } from '../favicon';
import { useSession } from '../session';
import { STATUSES } from '../types';
import { PAGE_SIZE, useLiveChecks } from '../useLiveChecks';
import { usePoll } from '../usePoll';
import { CheckFilters, type Filters } from './CheckFilters';
import { CheckTable } from './CheckTable';
import { EmptyState } from './EmptyState';
import { Link } from './Link';
import { StatusSummary } from './StatusSummary';

/** Channels change rarely: how often the list looks again, in milliseconds. */
const CHANNELS_REFRESH_MS = 30_000;
/** Typing in the search box asks the server once the typing pauses this long, in milliseconds. */
const SEARCH_PAUSE_MS = 250;

/**
 * Every check of the project at a glance: a page at a time in the order
 * chosen, filtered and sorted by the server, kept current by the project's
 * event stream (or by polling while there is none).
 */
export function ChecksPage() {
  const { project, canWrite } = useSession();
  const [filters, setFilters] = useState<Filters>({ q: FIRST_QUERY.q, status: FIRST_QUERY.status, tag: FIRST_QUERY.tag });
  const [order, setOrder] = useState<Pick<ListQuery, 'sort' | 'dir'>>({ sort: FIRST_QUERY.sort, dir: FIRST_QUERY.dir });
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(filters.q), SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [filters.q]);
  const query: ListQuery = { q, status: filters.status, tag: filters.tag, ...order };
  const { list, error, liveness, loadMore, loadingMore } = useLiveChecks(query, project.id);
  const { data: channels } = usePoll(() => api.channels(), CHANNELS_REFRESH_MS, project.id);
  const summary = list?.summary;
  // The tab's icon follows the project's worst status as the list changes, so a background tab shows trouble.
  useEffect(() => {
    if (summary) showFavicon(worstStatus(STATUSES.filter((status) => summary.byStatus[status] > 0)));
  }, [summary]);

  const empty = summary?.total === 0;
  const hidden = list ? list.total - list.rows.length : 0;
  const onSort = (sort: OverviewSort, dir: 'asc' | 'desc') => setOrder({ sort, dir });
  return (
    <section>
      <div className="page-head">
        <h1>Checks</h1>
        {canWrite && summary && !empty && (
          <Link to="/checks/new" className="button primary">
            New check
          </Link>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          Could not refresh: {error.message}
        </p>
      )}
      {channels?.length === 0 && (
        <p className="card warning" role="status">
          This project has no channel yet, so no check can alert anyone. <Link to="/channels">Add a channel</Link>: email, Slack or a
          webhook.
        </p>
      )}
      {list === undefined && !error && <p className="muted">Loading checks…</p>}
      {empty && <EmptyState />}
      {list && summary && !empty && (
        <>
          <StatusSummary counts={summary} status={filters.status} onChange={(status) => setFilters({ ...filters, status })} />
          <CheckFilters filters={filters} tags={list.tags} onChange={setFilters} />
          <p className="list-liveness muted" data-liveness={liveness}>
            {liveness === 'polling' ? 'Live updates paused: refreshing every few seconds.' : ''}
          </p>
          {list.rows.length === 0 ? (
            <p className="muted">No check matches these filters.</p>
          ) : (
            <CheckTable checks={list.rows} query={order} onSort={onSort} />
          )}
          {hidden > 0 && list.nextCursor && (
            <p>
              <button type="button" onClick={loadMore} disabled={loadingMore}>
                Show {Math.min(hidden, PAGE_SIZE)} more of {list.total}
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}
