import { useEffect, useMemo, useState } from 'react';
import { api } from '../api';
import { showFavicon, worstStatus } from '../favicon';
import { useSession } from '../session';
import type { Check } from '../types';
import { usePoll } from '../usePoll';
import { CheckFilters, type Filters } from './CheckFilters';
import { CheckTable } from './CheckTable';
import { EmptyState } from './EmptyState';
import { Link } from './Link';
import { StatusSummary } from './StatusSummary';

/** How often the list refreshes itself, in milliseconds. */
const REFRESH_MS = 3_000;
/** Channels change rarely: how often the list looks again, in milliseconds. */
const CHANNELS_REFRESH_MS = 30_000;
/** Rows drawn at first and added per "Show more": a project of thousands of checks stays quick to redraw every refresh. */
const ROWS_PER_STEP = 200;

function matches(check: Check, filters: Filters): boolean {
  if (filters.q && !`${check.name} ${check.slug ?? ''}`.toLowerCase().includes(filters.q.toLowerCase())) return false;
  if (filters.status === 'running' ? !check.running : filters.status && check.status !== filters.status) return false;
  if (filters.tag && !check.tags.includes(filters.tag)) return false;
  return true;
}

/** Every check of the project at a glance, refreshed every few seconds. */
export function ChecksPage() {
  const { project, canWrite } = useSession();
  const { data: checks, error } = usePoll(() => api.checks(), REFRESH_MS, project.id);
  const [filters, setFilters] = useState<Filters>({ q: '', status: '', tag: '' });
  const tags = useMemo(() => [...new Set((checks ?? []).flatMap((check) => check.tags))].sort(), [checks]);
  const shown = useMemo(() => (checks ?? []).filter((check) => matches(check, filters)), [checks, filters]);
  const [rows, setRows] = useState(ROWS_PER_STEP);
  const hidden = shown.length - rows;
  const { data: channels } = usePoll(() => api.channels(), CHANNELS_REFRESH_MS, project.id);
  const channelNames = useMemo(() => channels && new Map(channels.map((channel) => [channel.id, channel.name])), [channels]);
  // The tab's icon follows the project's worst status on every refresh, so a background tab shows trouble.
  useEffect(() => {
    if (checks) showFavicon(worstStatus(checks.map((check) => check.status)));
  }, [checks]);

  return (
    <section>
      <div className="page-head">
        <h1>Checks</h1>
        {canWrite && checks && checks.length > 0 && (
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
      {checks === undefined && !error && <p className="muted">Loading checks…</p>}
      {checks?.length === 0 && <EmptyState />}
      {checks && checks.length > 0 && (
        <>
          <StatusSummary checks={checks} status={filters.status} onChange={(status) => setFilters({ ...filters, status })} />
          <CheckFilters filters={filters} tags={tags} onChange={setFilters} />
          {shown.length === 0 ? (
            <p className="muted">No check matches these filters.</p>
          ) : (
            <CheckTable checks={shown.slice(0, rows)} channelNames={channelNames} />
          )}
          {hidden > 0 && (
            <p>
              <button type="button" onClick={() => setRows((count) => count + ROWS_PER_STEP)}>
                Show {Math.min(hidden, ROWS_PER_STEP)} more of {shown.length}
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}
