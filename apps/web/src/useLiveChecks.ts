import { OVERVIEW_LIMITS } from '@cronbeat/contract';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api';
import { type ListQuery, type LoadedList, listFromPages, overviewSearch, withChangedRows, withNextPage } from './checks-list';

/** Rows per page, first and per "Show more". */
export const PAGE_SIZE = OVERVIEW_LIMITS.pageDefault;
/** While no event stream is open, the list reads itself again this often, in milliseconds. */
const POLL_MS = 5_000;
/** Changes that come together are fetched together: the wait before fetching, in milliseconds. */
const GATHER_MS = 100;

/** How the list learns of changes: events as they happen, or polling while no stream is open. */
export type Liveness = 'connecting' | 'live' | 'polling';

export interface LiveChecks {
  list: LoadedList | undefined;
  error: Error | null;
  liveness: Liveness;
  loadMore: () => void;
  loadingMore: boolean;
}

/**
 * The checks list, a page at a time in the server's order, kept current
 * by the project's event stream: each event names the checks that changed,
 * and only those rows are fetched again. When the stream cannot open (a
 * proxy that refuses it, a server that restarts) the list reads its loaded
 * rows again every few seconds until the stream is back, and once it is
 * back reads them once more, for the events it missed.
 */
export function useLiveChecks(query: ListQuery, projectId: string): LiveChecks {
  const [list, setList] = useState<LoadedList>();
  const [error, setError] = useState<Error | null>(null);
  const [liveness, setLiveness] = useState<Liveness>('connecting');
  const [loadingMore, setLoadingMore] = useState(false);
  const listRef = useRef(list);
  listRef.current = list;
  const queryRef = useRef(query);
  queryRef.current = query;
  /** Bumped by every new query: answers to an older one are dropped. */
  const generation = useRef(0);
  /** Bumped whenever "show more" adds a page: a reload that began before it reads again, for as many rows. */
  const pagesAdded = useRef(0);
  const search = overviewSearch(query);

  const failed = useCallback(
    (mine: number) => (failure: unknown) => {
      if (mine === generation.current) setError(failure instanceof Error ? failure : new Error(String(failure)));
    },
    [],
  );

  /** Reads the list again from the start, as many rows as are loaded (at least a page). */
  const reload = useCallback(async () => {
    const mine = generation.current;
    const startedWith = pagesAdded.current;
    const wanted = Math.max(PAGE_SIZE, listRef.current?.rows.length ?? 0);
    const pages = [];
    let after: string | null = null;
    try {
      do {
        const limit = Math.min(OVERVIEW_LIMITS.pageMax, wanted - pages.reduce((sum, page) => sum + page.checks.length, 0));
        const extra: Array<[string, string]> = [['limit', String(limit)], ...(after ? [['after', after] as [string, string]] : [])];
        const page = await api.checkOverview(overviewSearch(queryRef.current, extra));
        pages.push(page);
        after = page.nextCursor;
      } while (after && pages.reduce((sum, page) => sum + page.checks.length, 0) < wanted);
      if (mine !== generation.current) return;
      // A page shown meanwhile would be taken away by these fewer rows: read again, for all of them.
      if (pagesAdded.current !== startedWith) return void reload();
      setList(listFromPages(pages));
      setError(null);
    } catch (failure) {
      failed(mine)(failure);
    }
  }, [failed]);

  // A new project, filter or order: start again from the first page (the rows shown stay until it comes).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `search` and `projectId` name what is loaded.
  useEffect(() => {
    generation.current++;
    listRef.current = undefined;
    void reload();
  }, [search, projectId, reload]);

  const loadMore = useCallback(() => {
    const loaded = listRef.current;
    if (!loaded?.nextCursor) return;
    const mine = generation.current;
    setLoadingMore(true);
    api
      .checkOverview(
        overviewSearch(queryRef.current, [
          ['limit', String(PAGE_SIZE)],
          ['after', loaded.nextCursor],
        ]),
      )
      .then((page) => {
        if (mine !== generation.current || !listRef.current) return;
        pagesAdded.current++;
        listRef.current = withNextPage(listRef.current, page);
        setList(listRef.current);
      }, failed(mine))
      .finally(() => setLoadingMore(false));
  }, [failed]);

  // The changed rows, fetched by id in groups, one request at a time.
  const pending = useRef(new Set<string>());
  const fetching = useRef(false);
  const fetchChanged = useCallback(async () => {
    if (fetching.current) return;
    fetching.current = true;
    try {
      while (pending.current.size > 0) {
        const ids = [...pending.current].slice(0, OVERVIEW_LIMITS.ids);
        for (const id of ids) pending.current.delete(id);
        const mine = generation.current;
        const answer = await api.checkOverview(
          overviewSearch(
            queryRef.current,
            ids.map((id) => ['id', id]),
          ),
        );
        if (mine === generation.current && listRef.current) {
          const merged = withChangedRows(listRef.current, ids, answer, queryRef.current);
          listRef.current = merged;
          setList(merged);
        }
      }
    } catch (failure) {
      failed(generation.current)(failure);
    } finally {
      fetching.current = false;
    }
  }, [failed]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: each project has its own stream (the URL names it).
  useEffect(() => {
    let gather: ReturnType<typeof setTimeout> | undefined;
    const source = new EventSource(api.projectEventsUrl());
    source.addEventListener('checks', (event) => {
      const { ids } = JSON.parse((event as MessageEvent<string>).data) as { ids: string[] };
      for (const id of ids) pending.current.add(id);
      clearTimeout(gather);
      gather = setTimeout(() => void fetchChanged(), GATHER_MS);
    });
    source.addEventListener('reload', () => void reload());
    source.onopen = () => {
      // What changed before the stream opened (since the first page was read, or while a stream was away) was
      // never announced: read the list once more now that every later change will be.
      void reload();
      setLiveness('live');
    };
    source.onerror = () => setLiveness('polling');
    const poll = setInterval(() => {
      if (source.readyState !== EventSource.OPEN && document.visibilityState === 'visible') void reload();
    }, POLL_MS);
    return () => {
      source.close();
      clearInterval(poll);
      clearTimeout(gather);
      setLiveness('connecting');
    };
  }, [projectId, reload, fetchChanged]);

  return { list, error, liveness, loadMore, loadingMore };
}
