import type { SQLWrapper } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import type { Database, Db } from './client';
import { queryRows } from './rows';

/** A read-decide-write transaction: `first` opens it with a read, `last` writes and commits. */
export interface PipelinedTransaction {
  /** Runs a query between `first` and `last`, inside the transaction (one round trip each). */
  query<Row>(query: SQLWrapper): Promise<Row[]>;
  /** Begins the transaction and runs `query`, returning its rows. Call once, first. */
  first<Row>(query: SQLWrapper): Promise<Row[]>;
  /** Runs `query` and commits, returning its rows. Call once, last; the transaction rolls back if `query` fails. */
  last<Row>(query: SQLWrapper): Promise<Row[]>;
}

const dialect = new PgDialect();

/** The postgres.js client under a Postgres database. */
const clientOf = (database: Database) => (database.db as unknown as { $client: postgres.Sql }).$client;

/** Runs a drizzle query as a prepared statement on a postgres.js client or reserved connection. */
function runPrepared<Row>(client: postgres.Sql | postgres.ReservedSql, query: SQLWrapper): Promise<Row[]> {
  const { sql, params } = dialect.sqlToQuery(query.getSQL());
  return client.unsafe(sql, params as postgres.ParameterOrJSON<never>[], { prepare: true }) as unknown as Promise<Row[]>;
}

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
    return database.db.transaction((transaction) => {
      const tx = transaction as unknown as Db;
      const query = <Row>(q: SQLWrapper) => queryRows<Row>(tx, q);
      return work({ query, first: query, last: query });
    });
  }
  const connection = await clientOf(database).reserve();
  const run = <Row>(query: SQLWrapper) => runPrepared<Row>(connection, query);
  let open = false;
  try {
    return await work({
      query: run,
      first: async <Row>(query: SQLWrapper) => {
        open = true;
        const [, rows] = await Promise.all([connection.unsafe('begin'), run<Row>(query)]);
        return rows;
      },
      last: async <Row>(query: SQLWrapper) => {
        // If the write fails, Postgres answers the pipelined COMMIT of the aborted transaction with a rollback.
        const [written, committed] = await Promise.allSettled([run<Row>(query), connection.unsafe('commit')]);
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
export async function runStatement<Row>(database: Database, query: SQLWrapper): Promise<Row[]> {
  if (database.kind === 'pglite') return queryRows<Row>(database.db, query);
  return runPrepared<Row>(clientOf(database), query);
}
