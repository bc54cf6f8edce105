import { OVERVIEW_LIMITS } from '@cronbeat/contract';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api';
import { type ListQuery, type LoadedList, listFromPages, overviewSearch, withChangedRows, withNextPage } from './checks-list';

/** Rows per page, first and per "Show more". */
export const PAGE_SIZE = OVERVIEW_LIMITS.pageDefault;
/** While no event stream is open, or the last read failed, the list reads itself again this often, in milliseconds. */
const POLL_MS = 5_000;
/** Changes that come together are fetched together: the wait before fetching, in milliseconds. */
const GATHER_MS = 100;
/** A stream the server closed with an error is opened again after this wait, doubled up to the most, in milliseconds. */
const REOPEN_MS = { first: 5_000, most: 60_000 };

/** How the list learns of changes: events as they happen, or polling while no stream is open. */
export type Liveness = 'connecting' | 'live' | 'polling';

export interface LiveChecks {
  list: LoadedList | undefined;
  error: Error | null;
  liveness: Liveness;
  loadMore: () => void;
  loadingMore: boolean;
}

/** The list shown, with the query string it was read for: rows of another order or filter are never merged into it. */
interface Shown {
  list: LoadedList;
  search: string;
}

/**
 * The checks list, a page at a time in the server's order, kept current
 * by the project's event stream: each event names the checks that changed,
 * and only those rows are fetched again. When the stream cannot open (a
 * proxy that refuses it, a server that restarts) the list reads its loaded
 * rows again every few seconds until the stream is back, and once it is
 * back reads them once more, for the events it missed.
 *
 * Reads overlap: a whole-list read can be answered after a row fetched
 * later. So every announced id is numbered, and a whole-list read, once
 * shown, fetches again the rows announced after it began; an older
 * whole-list read than the one shown is dropped.
 */
export function useLiveChecks(query: ListQuery, projectId: string): LiveChecks {
  const [list, setList] = useState<LoadedList>();
  const [error, setError] = useState<Error | null>(null);
  const [liveness, setLiveness] = useState<Liveness>('connecting');
  const [loadingMore, setLoadingMore] = useState(false);
  const search = overviewSearch(query);
  const shown = useRef<Shown | undefined>(undefined);
  const queryRef = useRef(query);
  queryRef.current = query;
  const searchRef = useRef(search);
  searchRef.current = search;
  const failing = useRef(false);
  /** Bumped by every new query: answers to an older one are dropped. */
  const generation = useRef(0);
  /** Bumped whenever "show more" adds a page: a reload that began before it reads again, for as many rows. */
  const pagesAdded = useRef(0);
  /** Ids the stream named, each with the number of its announcement. */
  const announced = useRef(new Map<string, number>());
  const announcements = useRef(0);
  /** The announcement number at the start of the whole-list read shown last. */
  const shownReadStart = useRef(-1);
  const readsInFlight = useRef(0);
  /** Changed rows waiting to be fetched. */
  const pending = useRef(new Set<string>());
  const fetching = useRef(false);

  const show = useCallback((next: LoadedList) => {
    shown.current = { list: next, search: searchRef.current };
    failing.current = false;
    setList(next);
    setError(null);
  }, []);

  const failed = useCallback(
    (mine: number) => (failure: unknown) => {
      if (mine !== generation.current) return;
      failing.current = true;
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    },
    [],
  );

  /** The rows of the shown list's query, or nothing while a new query's first read is under way. */
  const current = useCallback(() => (shown.current?.search === searchRef.current ? shown.current.list : undefined), []);

  // The changed rows, fetched by id in groups, one request at a time.
  const fetchChanged = useCallback(async () => {
    if (fetching.current) return;
    fetching.current = true;
    try {
      // Without a list of this query there is nothing to merge into: the read under way will have them.
      while (pending.current.size > 0 && current()) {
        const ids = [...pending.current].slice(0, OVERVIEW_LIMITS.ids);
        for (const id of ids) pending.current.delete(id);
        const mine = generation.current;
        let answer: Awaited<ReturnType<typeof api.checkOverview>>;
        try {
          answer = await api.checkOverview(
            overviewSearch(
              queryRef.current,
              ids.map((id) => ['id', id]),
            ),
          );
        } catch (failure) {
          for (const id of ids) pending.current.add(id);
          throw failure;
        }
        const into = current();
        if (mine === generation.current && into) show(withChangedRows(into, ids, answer, queryRef.current));
      }
    } catch (failure) {
      failed(generation.current)(failure);
    } finally {
      fetching.current = false;
    }
  }, [failed, show, current]);

  /** Reads the list again from the start, as many rows as are loaded (at least a page). */
  const reload = useCallback(async () => {
    const mine = generation.current;
    const startedWith = pagesAdded.current;
    const readStart = announcements.current;
    const wanted = Math.max(PAGE_SIZE, current()?.rows.length ?? 0);
    const pages = [];
    let after: string | null = null;
    readsInFlight.current++;
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
      // A read that began later has been shown already: this one's rows are older.
      if (readStart < shownReadStart.current && current()) return;
      shownReadStart.current = readStart;
      show(listFromPages(pages));
      // Rows announced while this read was under way may have changed after the server read them.
      for (const [id, number] of announced.current) if (number > readStart) pending.current.add(id);
      if (pending.current.size > 0) void fetchChanged();
    } catch (failure) {
      failed(mine)(failure);
    } finally {
      readsInFlight.current--;
      if (readsInFlight.current === 0)
        for (const [id, number] of announced.current) if (number <= shownReadStart.current) announced.current.delete(id);
    }
  }, [failed, show, current, fetchChanged]);

  // A new project, filter or order: start again from the first page (the rows shown stay until it comes).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `search` and `projectId` name what is loaded.
  useEffect(() => {
    generation.current++;
    shownReadStart.current = -1;
    void reload();
  }, [search, projectId, reload]);

  const loadMore = useCallback(() => {
    const loaded = current();
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
        const into = current();
        if (mine !== generation.current || !into) return;
        pagesAdded.current++;
        show(withNextPage(into, page));
      }, failed(mine))
      .finally(() => setLoadingMore(false));
  }, [failed, show, current]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: each project has its own stream (the URL names it).
  useEffect(() => {
    let gather: ReturnType<typeof setTimeout> | undefined;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    let reopenAfter = REOPEN_MS.first;
    let source: EventSource;
    const open = () => {
      source = new EventSource(api.projectEventsUrl());
      source.addEventListener('checks', (event) => {
        const { ids } = JSON.parse((event as MessageEvent<string>).data) as { ids: string[] };
        const number = ++announcements.current;
        for (const id of ids) {
          pending.current.add(id);
          announced.current.set(id, number);
        }
        clearTimeout(gather);
        gather = setTimeout(() => void fetchChanged(), GATHER_MS);
      });
      source.addEventListener('reload', () => void reload());
      source.onopen = () => {
        reopenAfter = REOPEN_MS.first;
        // What changed before the stream opened (since the first page was read, or while a stream was away) was
        // never announced: read the list once more now that every later change will be.
        void reload();
        setLiveness('live');
      };
      source.onerror = () => {
        setLiveness('polling');
        // The browser reconnects by itself after a dropped connection, but gives up for good on an error answer
        // (a proxy's 502 while the server restarts): then open a new stream, later each time.
        if (source.readyState !== EventSource.CLOSED) return;
        reopen = setTimeout(open, reopenAfter);
        reopenAfter = Math.min(REOPEN_MS.most, reopenAfter * 2);
      };
    };
    open();
    const poll = setInterval(() => {
      if (document.visibilityState !== 'visible') return;
      if (source.readyState !== EventSource.OPEN || failing.current) void reload();
    }, POLL_MS);
    return () => {
      source.close();
      clearInterval(poll);
      clearTimeout(gather);
      clearTimeout(reopen);
      setLiveness('connecting');
    };
  }, [projectId, reload, fetchChanged]);

  return { list, error, liveness, loadMore, loadingMore };
}
