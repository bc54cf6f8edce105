/**
 * The ping hot path: the only statements of Cronbeat that do not go through
 * drizzle's query building at run time. Everything else in `packages/db`
 * uses drizzle's query builder and `sql` templates; keep it that way.
 *
 * Why: every ping batch runs two statements, and at a few thousand pings a
 * second what the server does per batch, besides waiting for Postgres, sets
 * how many pings a core takes. Three things are saved:
 * - Rendering. The statements are drizzle `sql` templates rendered to text
 *   once, when the module loads (`prepareStatement`); a batch only binds its
 *   values.
 * - Parsing and planning. A batch travels as one array literal per column
 *   (`batchParameter`, `array-literal.ts`), so the text is the same for every
 *   batch size and Postgres prepares it once per connection; it reads each
 *   value with the column type's own input function, not from JSON.
 * - Round trips. A batch to checks the server has not read yet locks, reads
 *   and writes in two round trips (`pipelinedTransaction`: BEGIN pipelined
 *   with the read, COMMIT with the write) where drizzle's `transaction` takes
 *   four; a batch to checks it knows is one prepared statement
 *   (`runStatement`).
 */

export * from './ping-statements';
export { type PipelinedTransaction, pipelinedTransaction, runStatement } from './pipelined';
export { type BatchColumns, type BatchParameter, batchParameter, prepareStatement, type Statement } from './statement';
