/**
 * Test databases: every test file gets its own, so files run in parallel.
 * Each starts from a template that `test/global-setup.ts` migrated once
 * (initdb and the migrations cost several seconds of CPU per database): for
 * PGlite an in-memory database loaded from the migrated data directory's
 * tarball (or, for a test that needs files, a copy of the directory), for
 * real Postgres (when DATABASE_URL is set) a database created from a
 * migrated template database.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCi, loadServices } from '@cronbeat/config';
import postgres from 'postgres';
import { afterAll, beforeAll, inject } from 'vitest';
import { createDb, type Database, type Db } from './client';
import { migrate } from './migrate';

export type TestDatabaseKind = 'pglite' | 'postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Name of the migrated template database on the DATABASE_URL server, when there is one. */
    postgresTemplate: string | null;
    /**
     * The migrated PGlite data directory that test data directories copy, the same before migrating,
     * the migrated one as the tarball in-memory test databases start from, and where the copies go.
     */
    pgliteTemplate: { dataDir: string; initialisedDir: string; image: string; copiesDir: string };
  }
}

/** The kinds every database suite runs on. Under CI a missing DATABASE_URL is an error, not a skip. */
export function testDatabaseKinds(): TestDatabaseKind[] {
  if (loadServices().databaseUrl) return ['pglite', 'postgres'];
  if (isCi()) throw new Error('CI=true but DATABASE_URL is not set: the Postgres suites would be skipped');
  return ['pglite'];
}

/** A connection string for database `name` on the DATABASE_URL server. */
export function postgresUrlFor(name: string): string {
  const url = new URL(loadServices().databaseUrl ?? 'postgres://localhost/postgres');
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A new PGlite data directory holding the migrated, empty schema, for a test
 * to open itself or to hand to a process it starts as DATA_DIR. It lies in a
 * folder the test run removes at its end; remove it sooner with `rmSync`.
 * (A run whose global set-up predates the template gets an empty directory,
 * which Cronbeat initialises and migrates as it does a new install's.)
 */
export function migratedDataDir(): string {
  return copyOfTemplate('dataDir');
}

/**
 * A new PGlite data directory as a first start leaves it once initdb has run
 * and before any migration, for tests of a first start or of the migrations
 * (initdb costs seconds of CPU). Removed with the run, as `migratedDataDir`'s.
 */
export function initialisedDataDir(): string {
  return copyOfTemplate('initialisedDir');
}

function copyOfTemplate(which: 'dataDir' | 'initialisedDir'): string {
  const template = inject('pgliteTemplate');
  if (!template) return mkdtempSync(join(tmpdir(), 'cronbeat-test-pglite-'));
  const dataDir = mkdtempSync(join(template.copiesDir, 'pglite-'));
  cpSync(template[which], dataDir, { recursive: true });
  return dataDir;
}

let image: Blob | undefined;
/** The migrated template as a tarball, read once per test process. */
function migratedImage(): Blob {
  image ??= new Blob([readFileSync(inject('pgliteTemplate').image)]);
  return image;
}

/** Creates a migrated database of the given kind; `close()` also drops it. */
export async function openTestDatabase(kind: TestDatabaseKind): Promise<Database & { url: string | null }> {
  if (kind === 'pglite') {
    if (!inject('pgliteTemplate')) {
      // A run whose global set-up predates the template: migrate in memory, as before.
      const database = await createDb({ databaseUrl: null, dataDir: 'memory://' });
      await migrate(database, null);
      return { ...database, url: null };
    }
    // In memory, from the template's tarball: copying its files cost as much CPU as starting PGlite.
    const database = await createDb({ databaseUrl: null, dataDir: 'memory://', pgliteImage: migratedImage() });
    return { ...database, url: null };
  }
  const template = inject('postgresTemplate');
  if (!template) throw new Error('no Postgres template: is test/global-setup.ts registered and DATABASE_URL set?');
  const name = `cronbeat_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(postgresUrlFor('postgres'), {
    max: 1,
    onnotice: () => {},
  });
  await admin.unsafe(`create database ${name} template ${template}`);
  const url = postgresUrlFor(name);
  const database = await createDb({ databaseUrl: url, dataDir: '' });
  return {
    ...database,
    url,
    close: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/**
 * Opens a database of `kind` before the surrounding suite and drops it after.
 * Read `.db` inside tests: it is set once `beforeAll` has run.
 */
export function useTestDatabase(kind: TestDatabaseKind): {
  readonly db: Db;
  readonly database: Database & { url: string | null };
} {
  let database: (Database & { url: string | null }) | undefined;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  }, 60_000);
  afterAll(async () => {
    await database?.close();
  });
  return {
    get db() {
      if (!database) throw new Error('the test database is opened in beforeAll; use it inside tests');
      return database.db;
    },
    get database() {
      if (!database) throw new Error('the test database is opened in beforeAll; use it inside tests');
      return database;
    },
  };
}
