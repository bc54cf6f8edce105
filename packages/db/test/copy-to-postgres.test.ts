import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSchedule } from '@cronbeat/core';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Database } from '../src/client';
import { copyToPostgres, inDependencyOrder } from '../src/copy-to-postgres';
import { migrate } from '../src/migrate';
import { createCheck } from '../src/queries/checks';
import { createAccount } from '../src/queries/users';
import { pings } from '../src/schema';
import { openTestDatabase, testDatabaseKinds } from '../src/testing';

const onPostgres = testDatabaseKinds().includes('postgres');

describe('tables in dependency order', () => {
  it('puts every table after the tables it refers to', () => {
    const order = inDependencyOrder([
      { name: 'pings', references: ['checks'] },
      { name: 'checks', references: ['projects'] },
      { name: 'projects', references: [] },
    ]);
    expect(order.map((table) => table.name)).toEqual(['projects', 'checks', 'pings']);
  });

  it('refuses a cycle instead of looping', () => {
    expect(() =>
      inDependencyOrder([
        { name: 'a', references: ['b'] },
        { name: 'b', references: ['a'] },
      ]),
    ).toThrow('foreign keys form a cycle: a → b → a');
  });
});

describe.skipIf(!onPostgres)('copying an embedded install into Postgres', () => {
  let dataDir: string;
  let target: Database & { url: string | null };
  let checkId: string;
  const PINGS = 1000;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cronbeat-copy-'));
    const embedded = await createDb({ databaseUrl: null, dataDir });
    await migrate(embedded, null);
    const account = await createAccount(embedded.db, { email: 'ops@example.com', passwordHash: 'x', projectName: 'Ops' });
    const check = await createCheck(embedded.db, {
      projectId: account!.project.id,
      name: 'Nightly backup',
      slug: 'nightly-backup',
      schedule: parseSchedule({ period: 86_400 }),
      grace: 3600,
    });
    checkId = check.id;
    // Values COPY's text format must escape, and rows stored inline (under the TOAST threshold) on hundreds of pages.
    const awkward = 'tab\there, newline\nhere, backslash \\ and "quotes" ✓';
    await embedded.db.insert(pings).values(
      Array.from({ length: PINGS }, (_, i) => ({
        checkId,
        n: i + 1,
        kind: 'success' as const,
        method: 'POST',
        scheme: 'https',
        body: i === 0 ? awkward : randomBytes(750).toString('hex'),
        bodyRaw: i === 1 ? new Uint8Array([0, 255, 10, 92]) : null,
        bodySize: 1500,
      })),
    );
    await embedded.close();
    target = await openTestDatabase('postgres');
    // The template is migrated; the copy wants an empty database and migrates it itself.
    await (target.client as Sql).unsafe('drop schema public cascade; create schema public; drop schema if exists drizzle cascade');
  }, 120_000);

  afterAll(async () => {
    await target?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('copies every row, byte for byte, and new rows continue after the copied ones', async () => {
    const lines: string[] = [];
    // Eight pages a chunk: the copy goes through its pages in many chunks, as a large install's would.
    const result = await copyToPostgres(dataDir, target.url!, { log: (line) => lines.push(line), blocksPerChunk: 8 });
    const copied = Object.fromEntries(result.tables.map((table) => [table.table, table.rows]));
    expect(copied).toMatchObject({ users: 1, projects: 1, memberships: 1, checks: 1, pings: PINGS });
    expect(lines).toContain(`pings: ${PINGS} rows`);

    const sql = target.client as Sql;
    const [first] = await sql`select body from pings where check_id = ${checkId} and n = 1`;
    expect(first?.body).toBe('tab\there, newline\nhere, backslash \\ and "quotes" ✓');
    const [raw] = await sql`select body_raw from pings where check_id = ${checkId} and n = 2`;
    expect([...(raw!.body_raw as Uint8Array)]).toEqual([0, 255, 10, 92]);
    const [check] = await sql`select name, slug, period, grace from checks where id = ${checkId}`;
    expect(check).toMatchObject({ name: 'Nightly backup', slug: 'nightly-backup', period: 86_400, grace: 3600 });

    const [next] =
      await sql`insert into pings (check_id, n, kind, method, scheme) values (${checkId}, ${PINGS + 1}, 'success', 'GET', 'https') returning id`;
    expect(Number(next?.id)).toBe(PINGS + 1);
  });

  it('refuses to copy into a database that already holds rows, and changes nothing there', async () => {
    await expect(copyToPostgres(dataDir, target.url!)).rejects.toThrow(/already has rows in "\w+": copy into an empty database/);
    const sql = target.client as Sql;
    const [counted] = await sql`select count(*)::int as rows from pings`;
    expect(counted?.rows).toBe(PINGS + 1);
  });

  it('refuses a directory that holds no embedded database', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'cronbeat-copy-empty-'));
    try {
      await expect(copyToPostgres(empty, target.url!)).rejects.toThrow(`no embedded Cronbeat database in ${empty}`);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
