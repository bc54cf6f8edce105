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
