import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Database } from '../src/client';
import { MIGRATIONS_FOLDER, pendingMigrations, prepareSchema, SchemaBehindError } from '../src/migrate';
import { initialisedDataDir, openTestDatabase, testDatabaseKinds } from '../src/testing';

const onPostgres = testDatabaseKinds().includes('postgres');
const tags = (
  JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> }
).entries.map((entry) => entry.tag);

describe.skipIf(!onPostgres)('the schema at start-up, on Postgres', () => {
  let test: Database & { url: string | null };
  let url: string;

  beforeAll(async () => {
    test = await openTestDatabase('postgres');
    url = test.url!;
  });
  afterAll(() => test?.close());

  it('finds nothing pending on a migrated database, and starts without migrating', async () => {
    await expect(pendingMigrations(url)).resolves.toEqual([]);
    await expect(prepareSchema(test, url, false)).resolves.toBeUndefined();
  });

  it('refuses to start on a schema behind its code, naming the migrations and the command', async () => {
    const sql = test.client as Sql;
    const [last] = await sql`select id from drizzle.__drizzle_migrations order by created_at desc limit 1`;
    await sql`delete from drizzle.__drizzle_migrations where id = ${last!.id}`;
    await expect(pendingMigrations(url)).resolves.toEqual([tags.at(-1)]);
    const refused = prepareSchema(test, url, false);
    await expect(refused).rejects.toBeInstanceOf(SchemaBehindError);
    await expect(refused).rejects.toThrow(
      `the database schema is 1 migration behind this version (${tags.at(-1)}): run \`npm run db:migrate\``,
    );
  });

  it('counts every migration as pending on an empty database, and migrates when told to', async () => {
    const sql = test.client as Sql;
    await sql.unsafe('drop schema public cascade; create schema public; drop schema drizzle cascade');
    await expect(pendingMigrations(url)).resolves.toEqual(tags);
    await expect(prepareSchema(test, url, false)).rejects.toThrow(`${tags.length} migrations behind`);
    await prepareSchema(test, url, true);
    await expect(pendingMigrations(url)).resolves.toEqual([]);
  });
});

describe('the schema at start-up, embedded', () => {
  it('always migrates the embedded database, which no other process shares', async () => {
    const dataDir = initialisedDataDir(); // a new install's directory, before any migration
    const database = await createDb({ databaseUrl: null, dataDir });
    try {
      await prepareSchema(database, null, false);
      const { rows } = await (database.client as PGlite).query<{ n: number }>(
        'select count(*)::int as n from drizzle.__drizzle_migrations',
      );
      expect(rows[0]?.n).toBe(tags.length);
    } finally {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
