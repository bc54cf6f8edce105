import type { SQLWrapper } from 'drizzle-orm';
import type { Db } from './client';

/**
 * Runs raw SQL and returns its rows on either driver: postgres.js answers
 * `db.execute` with an array of rows, PGlite with `{ rows }`.
 */
export async function queryRows<Row>(db: Db, query: SQLWrapper): Promise<Row[]> {
  const result: unknown = await db.execute(query);
  return Array.isArray(result) ? (result as Row[]) : (result as { rows: Row[] }).rows;
}

/**
 * A json column as read: postgres.js parses json and jsonb into values,
 * PGlite (and json built inside a query on some paths) may hand back text.
 */
export const jsonColumn = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);
