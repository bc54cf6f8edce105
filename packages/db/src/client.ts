import type { Config } from '@cronbeat/config';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { openPglite } from './pglite';
import * as schema from './schema';

export type Schema = typeof schema;
/** A database or a transaction: every query function takes one as its first argument. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema>;

export type DbOptions = Pick<Config, 'databaseUrl' | 'dataDir'> & {
  /** Connections in the Postgres pool. Default: 10. */
  poolSize?: number;
  /**
   * Postgres's `statement_timeout` on every connection of the pool, in
   * milliseconds: a statement still running then is cancelled, so a wedged
   * one gives its connection back. 0 turns it off. Default: 30,000.
   * Migrations run on a connection of their own without it.
   */
  statementTimeoutMs?: number;
  /**
   * Postgres's `idle_in_transaction_session_timeout`, in milliseconds: a
   * session left inside a transaction this long is ended, so locks a lost
   * client held are released. Our transactions never wait on anything but
   * the database. 0 turns it off. Default: 10,000.
   */
  idleInTransactionTimeoutMs?: number;
  /** With `dataDir` `memory://`: the data directory to start from, as PGlite's `dumpDataDir` writes it (see `openPglite`). */
  pgliteImage?: Blob;
};

/** Defaults of `DbOptions`' timeouts. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
export const DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS = 10_000;

/**
 * An open database, its driver's own client (for the few statements that
 * skip drizzle, see `ping-hot-path/`) and how to close it.
 */
export type Database = { db: Db; close(): Promise<void> } & (
  | { kind: 'postgres'; client: postgres.Sql }
  | { kind: 'pglite'; client: PGlite }
);

/**
 * Opens Postgres when `databaseUrl` is set, otherwise the embedded PGlite
 * with its files in `dataDir` (`memory://` keeps it in memory, for tests),
 * initialising a new directory first (`openPglite`).
 */
export async function createDb(options: DbOptions): Promise<Database> {
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, {
      max: options.poolSize ?? 10,
      onnotice: () => {},
      // Startup parameters: set once per connection, no round trip of their own.
      connection: {
        statement_timeout: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
        idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      },
    });
    return {
      db: drizzlePostgres(client, { schema }) as unknown as Db,
      kind: 'postgres',
      client,
      close: () => client.end({ timeout: 5 }),
    };
  }
  const client = await openPglite(options.dataDir, options.pgliteImage);
  return {
    db: drizzlePglite(client, { schema }) as unknown as Db,
    kind: 'pglite',
    client,
    close: () => client.close(),
  };
}
