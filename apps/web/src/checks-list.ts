import type { CheckOverview, CheckOverviewPage, OverviewSort } from '@cronbeat/contract';

/** How the list is asked for: the filters and the order. */
export interface ListQuery {
  q: string;
  status: string;
  tag: string;
  sort: OverviewSort;
  dir: 'asc' | 'desc';
}

/** How the list is first asked for: every check, oldest first. */
export const FIRST_QUERY: ListQuery = { q: '', status: '', tag: '', sort: 'created', dir: 'asc' };

/** The list as loaded: its rows in order, and where the loaded part ends. */
export interface LoadedList {
  rows: CheckOverview[];
  /** The last loaded row's place when more pages follow; null when every matching check is loaded. */
  boundary: Pick<CheckOverview, 'sortKey' | 'id'> | null;
  nextCursor: string | null;
  total: number;
  summary: CheckOverviewPage['summary'];
  tags: string[];
}

/** The overview's query string for `query`, with `extra` (limit, after, id…). */
export function overviewSearch(query: ListQuery, extra: Array<[string, string]> = []): string {
  const params = new URLSearchParams();
  if (query.sort !== 'created') params.set('sort', query.sort);
  if (query.dir !== 'asc') params.set('dir', query.dir);
  if (query.status) params.set('status', query.status);
  if (query.tag) params.append('tag', query.tag);
  if (query.q.trim()) params.set('q', query.q.trim());
  for (const [name, value] of extra) params.append(name, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The server's order: sort keys compare as numbers (every order but names,
 * which the server compares in code point order), ties
 * by id; `desc` reverses both. So a row refetched alone lands where the
 * server would have put it.
 */
export function compareRows(a: Pick<CheckOverview, 'sortKey' | 'id'>, b: Pick<CheckOverview, 'sortKey' | 'id'>, query: ListQuery): number {
  let order: number;
  if (query.sort === 'name') order = byCodePoint(a.sortKey, b.sortKey);
  else {
    const left = BigInt(a.sortKey);
    const right = BigInt(b.sortKey);
    order = left < right ? -1 : left > right ? 1 : 0;
  }
  if (order === 0) order = a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  return query.dir === 'desc' ? -order : order;
}

/**
 * Compares as Postgres' `collate "C"` does on UTF-8, by code point. JavaScript's `<` compares UTF-16 units,
 * which puts U+E000–U+FFFF after every emoji.
 */
function byCodePoint(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const difference = left[index]!.codePointAt(0)! - right[index]!.codePointAt(0)!;
    if (difference !== 0) return Math.sign(difference);
  }
  return Math.sign(left.length - right.length);
}

/**
 * A first page (or pages read again from the start) as the loaded list. A
 * check whose sort key changed between two pages' reads (pinged meanwhile,
 * under "last ping") is in both: the later page has it as it is now.
 */
export function listFromPages(pages: CheckOverviewPage[]): LoadedList {
  const last = pages.at(-1)!;
  const latest = new Map(pages.flatMap((page) => page.checks.map((row) => [row.id, row] as const)));
  const rows = pages.flatMap((page) => page.checks).filter((row) => latest.get(row.id) === row);
  const end = rows.at(-1);
  return {
    rows,
    boundary: last.nextCursor && end ? { sortKey: end.sortKey, id: end.id } : null,
    nextCursor: last.nextCursor,
    total: last.total,
    summary: last.summary,
    tags: last.tags,
  };
}

/** The next page added at the end. */
export function withNextPage(list: LoadedList, page: CheckOverviewPage): LoadedList {
  const known = new Set(list.rows.map((row) => row.id));
  return listFromPages([{ ...page, checks: [...list.rows, ...page.checks.filter((row) => !known.has(row.id))] }]);
}

/**
 * The rows `changed` names, as `answer` (the server's rows of those ids that
 * still match the filters) has them: each replaced, removed when it no longer
 * matches, or placed by its sort key; a row whose place is past the loaded
 * part is left for the page that will hold it.
 */
export function withChangedRows(list: LoadedList, changed: readonly string[], answer: CheckOverviewPage, query: ListQuery): LoadedList {
  const ids = new Set(changed);
  const inLoadedPart = (row: CheckOverview) => list.boundary === null || compareRows(row, list.boundary, query) <= 0;
  const rows = [...list.rows.filter((row) => !ids.has(row.id)), ...answer.checks.filter(inLoadedPart)];
  rows.sort((a, b) => compareRows(a, b, query));
  return { ...list, rows, total: answer.total, summary: answer.summary, tags: answer.tags };
}
