import type { CheckCursor } from '@cronbeat/db';
import { FieldError } from '../../../errors';

/*
 * The `nextCursor` of a page of checks, opaque to clients: base64url of the
 * last check's creation time (as Postgres prints it, to the microsecond) and
 * its id. Decoding checks both parts, so a cursor that was not ours is a 400
 * naming `after`, never a query error.
 */

const POSTGRES_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const encodeCursor = ({ createdAt, id }: CheckCursor): string => Buffer.from(`${createdAt}|${id}`).toString('base64url');

export function decodeCursor(text: string): CheckCursor {
  const [createdAt = '', id = '', ...rest] = Buffer.from(text, 'base64url').toString().split('|');
  if (rest.length > 0 || !POSTGRES_TIME.test(createdAt) || !UUID.test(id)) {
    throw new FieldError('after', 'is not a cursor of this list: pass the nextCursor of the previous page');
  }
  return { createdAt, id };
}
