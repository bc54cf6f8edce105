import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../src/kinds/kind';

describe('Retry-After', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  const cases: Array<[string, string | string[] | undefined, number | null]> = [
    ['seconds', '120', 120_000],
    ['zero', '0', 0],
    ['an HTTP date', 'Mon, 07 Dec 2026 12:00:30 GMT', 30_000],
    ['a date already past', 'Mon, 07 Dec 2026 11:00:00 GMT', 0],
    ['the first of several', ['5', '10'], 5000],
    ['absent', undefined, null],
    ['empty', '', null],
    ['nonsense', 'soon', null],
    ['negative', '-5', null],
  ];
  for (const [name, value, expected] of cases) it(name, () => expect(retryAfterMs(value, now)).toBe(expected));
});
