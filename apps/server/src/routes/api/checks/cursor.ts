import { isUuid } from '@cronbeat/contract';
import type { CheckCursor } from '@cronbeat/db';
import { FieldError } from '../../../errors';

/*
 * The `nextCursor` of a page of checks, opaque to clients: base64url of the
 * last check's creation time (as Postgres prints it, to the microsecond) and
 * its id. Decoding checks both parts, the time down to whether its day
 * exists, so a cursor that was not ours (or was altered) is a 400 naming
 * `query.after`, as schema errors name query fields, never a query error.
 */

const POSTGRES_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-](\d{2})(?::(\d{2}))?(?::(\d{2}))?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Postgres's offsets reach ±15:59:59. */
const MAX_OFFSET_HOURS = 15;

/** Whether `text` is a time Postgres printed: a real day (year 0001 on), hour, minute, second and offset. */
function isPostgresTime(text: string): boolean {
  const parts = POSTGRES_TIME.exec(text);
  if (!parts) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes = 0, offsetSeconds = 0] = parts
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part))) as number[];
  if (year! < 1 || month! < 1 || month! > 12 || day! < 1) return false;
  const leap = year! % 4 === 0 && (year! % 100 !== 0 || year! % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month! - 1]!;
  return (
    day! <= days &&
    hour! < 24 &&
    minute! < 60 &&
    second! < 60 &&
    offsetHours! <= MAX_OFFSET_HOURS &&
    offsetMinutes < 60 &&
    offsetSeconds < 60
  );
}

export const encodeCursor = ({ createdAt, id }: CheckCursor): string => Buffer.from(`${createdAt}|${id}`).toString('base64url');

export function decodeCursor(text: string): CheckCursor {
  const [createdAt = '', id = '', ...rest] = Buffer.from(text, 'base64url').toString().split('|');
  if (rest.length > 0 || !isPostgresTime(createdAt) || !isUuid(id)) {
    throw new FieldError('query.after', 'is not a cursor of this list: pass the nextCursor of the previous page');
  }
  return { createdAt, id };
}
