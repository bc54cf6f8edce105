/**
 * Moves an install from the embedded database to Postgres: copies every row
 * of a PGlite data directory into an empty Postgres database with the same
 * schema, table by table, in Postgres's own COPY text format, and checks the
 * row counts match.
 *
 * Why not a dump: `@electric-sql/pglite-tools` dumps a PGlite database as
 * `pg_dump` would, but each of its releases pins one exact PGlite version as
 * a peer (not ours), and restoring its SQL needs `psql` on the machine. Our
 * schema is known: both sides are migrated to it by our own migrator, and only
 * the rows need to travel, which COPY does without a client of its own.
 *
 * Both sides must be at rest: stop Cronbeat before copying; the target must
 * hold no rows (the copy refuses to merge two installs).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { createDb } from './client';
import { migrate } from './migrate';

/** Blocks of a table read in one COPY: 8 MB at Postgres's 8 kB pages, so a large `pings` table never sits in memory whole. */
const BLOCKS_PER_CHUNK = 1024;

export interface CopyResult {
  /** Rows copied, per table, in the order the tables were copied. */
  tables: Array<{ table: string; rows: number }>;
}

interface Table {
  name: string;
  /** Columns that take a value (stored generated columns are computed by the target). */
  columns: string[];
  /** Tables whose rows this table's foreign keys point at. */
  references: string[];
  /** Identity columns, whose sequences continue after the largest copied value. */
  identities: string[];
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Our tables, as the source's catalog describes them (the migrator's own bookkeeping lives outside `public`). */
async function tablesOf(source: PGlite): Promise<Table[]> {
  const { rows } = await source.query<{ name: string; columns: string[]; identities: string[]; refs: string[] }>(`
    select c.relname as name,
      array(select a.attname::text from pg_attribute a
            where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
            order by a.attnum) as columns,
      array(select a.attname::text from pg_attribute a
            where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attidentity <> ''
            order by a.attnum) as identities,
      array(select distinct r.relname::text from pg_constraint k join pg_class r on r.oid = k.confrelid
            where k.conrelid = c.oid and k.contype = 'f' and k.confrelid <> c.oid) as refs
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r'
    order by c.relname`);
  return rows.map((row) => ({ name: row.name, columns: row.columns, identities: row.identities, references: row.refs }));
}

/** Tables ordered so that every table comes after those its foreign keys point at. */
export function inDependencyOrder<T extends { name: string; references: string[] }>(tables: T[]): T[] {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const ordered: T[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (table: T, path: string[]) => {
    if (state.get(table.name) === 'done') return;
    if (state.get(table.name) === 'visiting') throw new Error(`foreign keys form a cycle: ${[...path, table.name].join(' → ')}`);
    state.set(table.name, 'visiting');
    for (const name of table.references) {
      const referenced = byName.get(name);
      if (referenced) visit(referenced, [...path, table.name]);
    }
    state.set(table.name, 'done');
    ordered.push(table);
  };
  for (const table of tables) visit(table, []);
  return ordered;
}

/**
 * Copies the PGlite database in `dataDir` into the Postgres at `databaseUrl`.
 * Migrates both first; refuses a target that already holds rows. Everything is
 * written in one transaction: a copy that fails leaves the target empty.
 */
export async function copyToPostgres(
  dataDir: string,
  databaseUrl: string,
  { log = () => {}, blocksPerChunk = BLOCKS_PER_CHUNK }: { log?: (line: string) => void; blocksPerChunk?: number } = {},
): Promise<CopyResult> {
  // PGlite would make a new, empty database where there is none: that is never what a copy means.
  if (!existsSync(join(dataDir, 'PG_VERSION'))) throw new Error(`no embedded Cronbeat database in ${dataDir} (DATA_DIR)`);
  const embedded = await createDb({ databaseUrl: null, dataDir });
  if (embedded.kind !== 'pglite') throw new Error('the source must be a PGlite data directory');
  const target = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await migrate(embedded, null);
    const server = await createDb({ databaseUrl, dataDir: '', poolSize: 1 });
    try {
      await migrate(server, databaseUrl);
    } finally {
      await server.close();
    }
    const source = embedded.client;
    await source.exec(`set datestyle = 'ISO, YMD'; set timezone = 'UTC'; set extra_float_digits = 3`);
    const tables = inDependencyOrder(await tablesOf(source));

    const result: CopyResult = { tables: [] };
    await target.begin(async (sql) => {
      await sql.unsafe(`set local datestyle = 'ISO, YMD'; set local timezone = 'UTC'`);
      for (const table of tables) {
        const [found] = await sql.unsafe(`select exists (select from ${quote(table.name)}) as taken`);
        if (found?.taken) throw new Error(`the target database already has rows in "${table.name}": copy into an empty database`);
      }
      for (const table of tables) {
        const rows = await copyTable(source, sql, table, blocksPerChunk);
        for (const column of table.identities) {
          await sql.unsafe(
            `select setval(pg_get_serial_sequence($1, $2), coalesce((select max(${quote(column)}) from ${quote(table.name)}), 0) + 1, false)`,
            [quote(table.name), column],
          );
        }
        const [counted] = await sql.unsafe(`select count(*)::bigint as rows from ${quote(table.name)}`);
        if (Number(counted?.rows) !== rows) throw new Error(`"${table.name}": copied ${rows} rows but the target holds ${counted?.rows}`);
        result.tables.push({ table: table.name, rows });
        log(`${table.name}: ${rows} rows`);
      }
    });
    return result;
  } finally {
    await target.end({ timeout: 5 });
    await embedded.close();
  }
}

/** Copies one table in chunks of pages (a TID range scan reads only those pages); returns the rows copied. */
async function copyTable(source: PGlite, sql: postgres.TransactionSql, table: Table, blocksPerChunk: number): Promise<number> {
  const columns = table.columns.map(quote).join(', ');
  const [{ blocks }] = (
    await source.query<{ blocks: number }>(`select (pg_relation_size($1) / current_setting('block_size')::int)::int as blocks`, [
      quote(table.name),
    ])
  ).rows as [{ blocks: number }];
  let rows = 0;
  for (let first = 0; first < blocks; first += blocksPerChunk) {
    const range = `ctid >= '(${first},0)'::tid and ctid < '(${first + blocksPerChunk},0)'::tid`;
    const copied = await source.query(`copy (select ${columns} from ${quote(table.name)} where ${range}) to '/dev/blob'`);
    const text = copied.blob ? Buffer.from(await copied.blob.arrayBuffer()) : Buffer.alloc(0);
    if (text.length === 0) continue;
    const writable = await sql.unsafe(`copy ${quote(table.name)} (${columns}) from stdin`).writable();
    await new Promise<void>((resolve, reject) => {
      writable.on('error', reject);
      writable.end(text, () => resolve());
    });
    rows += countLines(text);
  }
  return rows;
}

/** Rows in a COPY text chunk: one per line, as newlines inside values are escaped (`\n`). */
const countLines = (text: Buffer): number => {
  let lines = 0;
  for (const byte of text) if (byte === 0x0a) lines++;
  return lines;
};
