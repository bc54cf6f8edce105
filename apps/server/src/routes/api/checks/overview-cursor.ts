import { CHECK_NAME_MAX_LENGTH, isUuid, type OverviewSort } from '@cronbeat/contract';
import type { OverviewCursor } from '@cronbeat/db';
import { FieldError } from '../../../errors';

/*
 * The overview's `nextCursor`, opaque to clients: base64url of JSON naming
 * the order it belongs to and the last row's sort key and id. A cursor of
 * another order, or one that was not ours, is a 400 naming `query.after`:
 * its key goes into SQL as a bigint or text, so it is checked here first,
 * never left to fail as a query.
 */

interface Encoded {
  sort: OverviewSort;
  dir: 'asc' | 'desc';
  key: string;
  id: string;
}

/** Keys of every order but names are bigints (microseconds, or a status rank). */
const BIGINT = /^-?\d{1,19}$/;
/** A lower-cased name: in code points, lower-casing makes at most two of one (`İ` to `i̇`). */
const MAX_NAME_KEY = 2 * CHECK_NAME_MAX_LENGTH;

export const encodeOverviewCursor = (sort: OverviewSort, dir: 'asc' | 'desc', cursor: OverviewCursor): string =>
  Buffer.from(JSON.stringify({ sort, dir, key: cursor.key, id: cursor.id } satisfies Encoded)).toString('base64url');

export function decodeOverviewCursor(text: string, sort: OverviewSort, dir: 'asc' | 'desc'): OverviewCursor {
  const refuse = (why: string) => new FieldError('query.after', why);
  let decoded: Partial<Encoded>;
  try {
    decoded = JSON.parse(Buffer.from(text, 'base64url').toString()) as Partial<Encoded>;
  } catch {
    throw refuse('is not a cursor of this list: pass the nextCursor of the previous page');
  }
  const { key, id } = decoded ?? {};
  if (typeof key !== 'string' || typeof id !== 'string' || !isUuid(id)) {
    throw refuse('is not a cursor of this list: pass the nextCursor of the previous page');
  }
  if (decoded.sort !== sort || decoded.dir !== dir) {
    throw refuse(`belongs to another order (${decoded.sort} ${decoded.dir}): start again without after`);
  }
  const keyFits = sort === 'name' ? [...key].length <= MAX_NAME_KEY && !key.includes('\0') : BIGINT.test(key) && isBigint(key);
  if (!keyFits) throw refuse('is not a cursor of this list: pass the nextCursor of the previous page');
  return { key, id };
}

const isBigint = (digits: string) => {
  const value = BigInt(digits);
  return value >= -(2n ** 63n) && value < 2n ** 63n;
};
