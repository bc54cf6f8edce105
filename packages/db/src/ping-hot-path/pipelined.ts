import type postgres from 'postgres';
import type { Database } from '../client';
import type { Statement } from './statement';

/** A read-decide-write transaction: `first` opens it with a read, `last` writes and commits. */
export interface PipelinedTransaction {
  /** Runs a statement between `first` and `last`, inside the transaction (one round trip each). */
  query<Row>(statement: Statement): Promise<Row[]>;
  /** Begins the transaction and runs `statement`, returning its rows. Call once, first. */
  first<Row>(statement: Statement): Promise<Row[]>;
  /** Runs `statement` and commits, returning its rows. Call once, last; the transaction rolls back if it fails. */
  last<Row>(statement: Statement): Promise<Row[]>;
}

/** Runs a statement as a prepared statement on a postgres.js client or reserved connection. */
const runPrepared = <Row>(client: postgres.Sql | postgres.ReservedSql, { text, params }: Statement): Promise<Row[]> =>
  client.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true }) as unknown as Promise<Row[]>;

/**
 * Runs `work` in a transaction that costs two round trips on Postgres: BEGIN
 * is pipelined with the first statement and COMMIT with the last, both as
 * prepared statements on one reserved connection. This is what makes a
 * group commit cheap when every round trip waits on a busy server. On
 * PGlite (in-process, one connection) it is a plain transaction, which also
 * keeps other queries from slipping in between `first` and `last`.
 */
export async function pipelinedTransaction<T>(database: Database, work: (tx: PipelinedTransaction) => Promise<T>): Promise<T> {
  if (database.kind === 'pglite') {
    return database.client.transaction(async (transaction) => {
      const query = async <Row>({ text, params }: Statement) => (await transaction.query<Row>(text, [...params])).rows;
      return work({ query, first: query, last: query });
    });
  }
  const connection = await database.client.reserve();
  const run = <Row>(statement: Statement) => runPrepared<Row>(connection, statement);
  let open = false;
  try {
    return await work({
      query: run,
      first: async <Row>(statement: Statement) => {
        open = true;
        const [, rows] = await Promise.all([connection.unsafe('begin'), run<Row>(statement)]);
        return rows;
      },
      last: async <Row>(statement: Statement) => {
        // If the write fails, Postgres answers the pipelined COMMIT of the aborted transaction with a rollback.
        const [written, committed] = await Promise.allSettled([run<Row>(statement), connection.unsafe('commit')]);
        open = false;
        if (written.status === 'rejected') throw written.reason;
        if (committed.status === 'rejected') throw committed.reason;
        return written.value;
      },
    });
  } catch (error) {
    if (open) await connection.unsafe('rollback').catch(() => {});
    throw error;
  } finally {
    connection.release();
  }
}

/**
 * Runs one statement as a transaction of its own, prepared on Postgres: one
 * round trip, and the server plans it once per connection.
 */
export async function runStatement<Row>(database: Database, statement: Statement): Promise<Row[]> {
  if (database.kind === 'pglite') return (await database.client.query<Row>(statement.text, [...statement.params])).rows;
  return runPrepared<Row>(database.client, statement);
}
