/**
 * The ping hot path: the only statements of the app that do not go through
 * drizzle's query building at run time. Every other query uses drizzle's
 * query builder or `sql` templates; keep it that way.
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
 *
 * Measured on this project's 2-core machine, shared with other work (load
 * average 12 to 26) in December 2026:
 * - `npx tsx apps/server/bench/statements.ts` (CPU time; a batch of 33
 *   pings to 33 checks, the pings per transaction `bench:ping` sees):
 *   binding the pre-rendered write takes 55 µs on Node 20.20.2 (65 µs on
 *   Node 24.22.3); building the same writes with drizzle's builder (an
 *   insert, an update per check) and rendering them, 7.4 ms (4.1 ms): 225
 *   (125) µs a ping, more than the server's whole CPU time per ping under
 *   `npm run bench:ping` (120 to 270 µs).
 * - `npm run bench:ping` on Node 20.20.2, ratio to the bare one-UPDATE
 *   route: 1.30 and 0.68 with these statements where they were before this
 *   module, 1.01 and 1.44 after (target 1.5). The baseline itself moved
 *   1.7 times between rounds, so these show the machine's load, not the
 *   path; the server's CPU time per ping did not grow (136 to 265 µs
 *   before, 121 to 241 µs after). Every run stored exactly the pings it
 *   answered 200, without deadlocks.
 */

export * from './ping-statements';
export { type PipelinedTransaction, pipelinedTransaction, runStatement } from './pipelined';
export { type BatchColumns, type BatchParameter, batchParameter, prepareStatement, type Statement } from './statement';
