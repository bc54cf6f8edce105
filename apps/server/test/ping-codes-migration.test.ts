import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@cronbeat/config';
import { checks, createCheck, createDb, type Database, MIGRATIONS_FOLDER, migrate, queryRows } from '@cronbeat/db';
import { initialisedDataDir, postgresUrlFor, testDatabaseKinds } from '@cronbeat/db/testing';
import { eq, sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { FastifyInstance } from 'fastify';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src';

/** The migration that gave checks their ping codes. */
const PING_CODES = '0009_ping_codes';

/** A copy of the migrations folder that stops before `tag`, as a database made before that version has it. */
function migrationsBefore(tag: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'cronbeat-migrations-'));
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };
  const stop = journal.entries.findIndex((entry) => entry.tag === tag);
  if (stop < 0) throw new Error(`no migration ${tag}`);
  const entries = journal.entries.slice(0, stop);
  mkdirSync(join(folder, 'meta'));
  writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  const kept = new Set(entries.map((entry) => `${entry.tag}.sql`));
  for (const file of readdirSync(MIGRATIONS_FOLDER)) if (kept.has(file)) copyFileSync(join(MIGRATIONS_FOLDER, file), join(folder, file));
  return folder;
}

/** A database of `kind` migrated only up to the version before ping codes, with its URL (null for PGlite). */
async function databaseBeforePingCodes(
  kind: 'pglite' | 'postgres',
): Promise<{ database: Database; url: string | null; drop(): Promise<void> }> {
  const folder = migrationsBefore(PING_CODES);
  try {
    if (kind === 'pglite') {
      // A new install's directory, before any migration (initdb already run: it costs seconds of CPU).
      const dataDir = initialisedDataDir();
      const database = await createDb({ databaseUrl: null, dataDir });
      if (database.kind !== 'pglite') throw new Error('expected PGlite');
      await migratePglite(drizzlePglite(database.client), { migrationsFolder: folder });
      return {
        database,
        url: null,
        drop: async () => {
          await database.close();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    }
    const name = `cronbeat_test_codes_${Math.random().toString(16).slice(2, 10)}`;
    const admin = postgres(postgresUrlFor('postgres'), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = postgresUrlFor(name);
    const migrator = postgres(url, { max: 1, onnotice: () => {} });
    await migratePostgres(drizzlePostgres(migrator), { migrationsFolder: folder });
    await migrator.end();
    const database = await createDb({ databaseUrl: url, dataDir: '' });
    return {
      database,
      url,
      async drop() {
        await database.close();
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe.each(testDatabaseKinds())('ping URLs across the ping-code migration on %s', (kind) => {
  let old: Awaited<ReturnType<typeof databaseBeforePingCodes>>;
  let app: FastifyInstance;
  let projectId: string;
  let pingKey: string;
  let oldCheckId: string;

  beforeAll(async () => {
    old = await databaseBeforePingCodes(kind);
    // Made the way the version before stored them: the id was the ping secret.
    const [project] = await queryRows<{ id: string; ping_key: string }>(
      old.database.db,
      sql`insert into projects (name, ping_key) values ('before codes', 'key-before-codes-0123456') returning id, ping_key`,
    );
    projectId = project!.id;
    pingKey = project!.ping_key;
    const [check] = await queryRows<{ id: string }>(
      old.database.db,
      sql`insert into checks (project_id, name, slug, period, grace) values (${projectId}, 'old job', 'old-job', 3600, 600) returning id`,
    );
    oldCheckId = check!.id;
    await migrate(old.database, old.url);
    app = await buildApp(loadConfig({ LOG_LEVEL: 'silent' }), { database: old.database });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await old?.drop();
  });

  it('gives a check made before it its id as its ping code, so its URL keeps working', async () => {
    const [row] = await old.database.db.select().from(checks).where(eq(checks.id, oldCheckId));
    expect(row).toMatchObject({ pingCode: oldCheckId, autoCreated: false });
    expect(await app.inject({ method: 'POST', url: `/ping/${oldCheckId}/start` })).toMatchObject({ statusCode: 200, body: 'OK' });
    expect(await app.inject({ url: `/ping/${oldCheckId}` })).toMatchObject({ statusCode: 200, body: 'OK' });
    expect(await app.inject({ url: `/ping/${pingKey}/old-job` })).toMatchObject({ statusCode: 200, body: 'OK' });
    const [after] = await old.database.db.select().from(checks).where(eq(checks.id, oldCheckId));
    expect(after).toMatchObject({ nPings: 3, status: 'up' });
  });

  it('gives a check made after it a random code, and its id pings nothing', async () => {
    const made = await createCheck(old.database.db, { projectId, name: 'new job', schedule: { kind: 'period', period: 3600 }, grace: 600 });
    expect(made.pingCode).not.toBe(made.id);
    expect(await app.inject({ url: `/ping/${made.id}` })).toMatchObject({ statusCode: 404, body: 'not found' });
    expect(await app.inject({ url: `/ping/${made.pingCode}` })).toMatchObject({ statusCode: 200, body: 'OK' });
  });

  it('keeps ?create=1 as it was for existing projects: a limit of 1,000 and every channel attached', async () => {
    const [project] = await queryRows<{ auto_create_limit: number; auto_create_attach_channels: boolean }>(
      old.database.db,
      sql`select auto_create_limit, auto_create_attach_channels from projects where id = ${projectId}`,
    );
    expect(project).toEqual({ auto_create_limit: 1000, auto_create_attach_channels: true });
  });
});
