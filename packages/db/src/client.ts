import { mkdirSync } from 'node:fs';
import type { Config } from '@cronbeat/config';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

export type Schema = typeof schema;
/** A database or a transaction: every query function takes one as its first argument. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema>;

export type DbOptions = Pick<Config, 'databaseUrl' | 'dataDir'> & {
  /** Connections in the Postgres pool. Default: 10. */
  poolSize?: number;
};

/**
 * An open database, its driver's own client (for the few statements that
 * skip drizzle, see `statement.ts`) and how to close it.
 */
export type Database = { db: Db; close(): Promise<void> } & (
  | { kind: 'postgres'; client: postgres.Sql }
  | { kind: 'pglite'; client: PGlite }
);

/**
 * Opens Postgres when `databaseUrl` is set, otherwise the embedded PGlite
 * with its files in `dataDir` (`memory://` keeps it in memory, for tests).
 */
export async function createDb(options: DbOptions): Promise<Database> {
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, {
      max: options.poolSize ?? 10,
      onnotice: () => {},
    });
    return {
      db: drizzlePostgres(client, { schema }) as unknown as Db,
      kind: 'postgres',
      client,
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (!options.dataDir.startsWith('memory://')) mkdirSync(options.dataDir, { recursive: true });
  const client = await PGlite.create(options.dataDir);
  return {
    db: drizzlePglite(client, { schema }) as unknown as Db,
    kind: 'pglite',
    client,
    close: () => client.close(),
  };
}
