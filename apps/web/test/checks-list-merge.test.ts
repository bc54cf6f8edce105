import type { CheckOverview, CheckOverviewPage } from '@cronbeat/contract';
import { describe, expect, it } from 'vitest';
import { compareRows, type ListQuery, listFromPages, overviewSearch, withChangedRows } from '../src/checks-list';

const query = (sort: ListQuery['sort'], dir: ListQuery['dir'] = 'asc'): ListQuery => ({ q: '', status: '', tag: '', sort, dir });
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const row = (n: number, sortKey: string, status: CheckOverview['status'] = 'up'): CheckOverview => ({
  id: id(n),
  name: `Job ${n}`,
  slug: null,
  tags: [],
  status,
  running: false,
  period: 60,
  cron: null,
  onCalendar: null,
  tz: 'UTC',
  lastPing: null,
  nextPing: null,
  lastDuration: null,
  durations: [],
  history: [],
  maintenance: null,
  sortKey,
});
const page = (checks: CheckOverview[], nextCursor: string | null = null): CheckOverviewPage => ({
  checks,
  nextCursor,
  total: 10,
  summary: { total: 10, running: 0, byStatus: { new: 0, up: 10, late: 0, down: 0, paused: 0 } },
  tags: [],
});

/** How the live list places rows it refetched by id: as the server orders them, within the loaded part. */
describe('merging changed rows into the loaded list', () => {
  it('compares keys as numbers (not text) for every order but names, ties by id, desc reversing both', () => {
    expect(compareRows(row(1, '9'), row(2, '10'), query('lastPing'))).toBeLessThan(0);
    expect(compareRows(row(1, '9000000000000000000'), row(2, '1765000000000000'), query('nextDue'))).toBeGreaterThan(0);
    expect(compareRows(row(1, '5'), row(2, '5'), query('status'))).toBeLessThan(0);
    expect(compareRows(row(1, '5'), row(2, '5'), query('status', 'desc'))).toBeGreaterThan(0);
    expect(compareRows(row(1, 'b'), row(2, 'a'), query('name'))).toBeGreaterThan(0);
  });

  it('orders names by code point, as the server\'s collate "C" does, not by UTF-16 unit', () => {
    // U+FF21 (fullwidth A) is one UTF-16 unit above the surrogates of U+1F600 (😀), yet its code point is below.
    expect(compareRows(row(1, '\uFF21'), row(2, '😀'), query('name'))).toBeLessThan(0);
    expect(compareRows(row(1, 'ab'), row(2, 'a'), query('name'))).toBeGreaterThan(0);
    expect(compareRows(row(1, 'a😀'), row(2, 'a😀'), query('name'))).toBeLessThan(0);
  });

  it("keeps one row per check when a check moved between two pages' reads, where the later page has it", () => {
    const loaded = listFromPages([page([row(1, '1'), row(2, '2')], 'cursor'), page([row(3, '3'), row(1, '4')])]);
    expect(loaded.rows.map((shown) => [shown.id, shown.sortKey])).toEqual([
      [id(2), '2'],
      [id(3), '3'],
      [id(1), '4'],
    ]);
  });

  it('moves a changed row to its new place, drops one that no longer matches, and leaves one past the loaded part for its page', () => {
    const loaded = listFromPages([page([row(1, '1'), row(2, '2'), row(3, '3')], 'cursor')]);
    expect(loaded.boundary).toEqual({ sortKey: '3', id: id(3) });
    // 1 now sorts after 2; 2 no longer matches (absent from the answer); 9 is new but past the boundary; 4 is new and inside it.
    const merged = withChangedRows(loaded, [id(1), id(2), id(9), id(4)], page([row(1, '2'), row(9, '7'), row(4, '0')]), query('status'));
    expect(merged.rows.map((shown) => shown.id)).toEqual([id(4), id(1), id(3)]);
  });

  it('takes every changed row in when the whole list is loaded', () => {
    const loaded = listFromPages([page([row(1, '1')])]);
    expect(loaded.boundary).toBeNull();
    const merged = withChangedRows(loaded, [id(9)], page([row(9, '99')]), query('lastPing', 'desc'));
    expect(merged.rows.map((shown) => shown.id)).toEqual([id(9), id(1)]);
  });

  it('asks the server with only the parameters that differ from its defaults', () => {
    expect(overviewSearch(query('created'))).toBe('');
    expect(overviewSearch({ q: ' db ', status: 'down', tag: 'a b', sort: 'name', dir: 'desc' }, [['id', id(1)]])).toBe(
      `?sort=name&dir=desc&status=down&tag=a+b&q=db&id=${id(1)}`,
    );
  });
});
