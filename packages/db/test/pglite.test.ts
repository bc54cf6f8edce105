import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openPglite, PGLITE_SHARED_BUFFERS } from '../src/pglite';

/** initdb and a start in a child, then a start here: 10 to 30 s on a quiet machine, several times that on a loaded CI runner. */
const INIT_TIMEOUT_MS = 180_000;

const sharedBuffers = async (db: PGlite) => (await db.query<{ shared_buffers: string }>('show shared_buffers')).rows[0]?.shared_buffers;

describe('openPglite', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cronbeat-pglite-'));
    dirs.push(dir);
    return join(dir, 'data');
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'initialises a new data directory in a child process and opens it with the small buffer pool',
    async () => {
      const dataDir = newDir();
      const db = await openPglite(dataDir);
      try {
        expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
        // initdb's default, as in every directory earlier versions made: the pool is set at each start instead.
        expect(readFileSync(join(dataDir, 'postgresql.conf'), 'utf8')).toMatch(/^shared_buffers = 128MB/m);
        expect(await sharedBuffers(db)).toBe(PGLITE_SHARED_BUFFERS);
        await db.exec('create table kept (n int); insert into kept values (42)');
      } finally {
        await db.close();
      }
      const again = await openPglite(dataDir);
      try {
        expect((await again.query<{ n: number }>('select n from kept')).rows).toEqual([{ n: 42 }]);
      } finally {
        await again.close();
      }
    },
    INIT_TIMEOUT_MS,
  );

  it(
    'fails with the directory it could not initialise, and what the child said',
    async () => {
      const dataDir = newDir();
      mkdirSync(dataDir);
      // Where initdb puts a directory, a file: the child fails to write it.
      writeFileSync(join(dataDir, 'base'), 'not a directory');
      await expect(openPglite(dataDir)).rejects.toThrow(`initialising the PGlite data directory ${dataDir} failed (exit code 1)`);
    },
    INIT_TIMEOUT_MS,
  );

  it('starts an in-memory database from a data directory image, and will not put one over a directory on disk', async () => {
    const image = new Blob([readFileSync(inject('pgliteTemplate').image)]);
    const db = await openPglite('memory://', image);
    try {
      expect((await db.query<{ n: number }>('select count(*)::int as n from checks')).rows).toEqual([{ n: 0 }]);
      expect(await sharedBuffers(db)).toBe(PGLITE_SHARED_BUFFERS);
    } finally {
      await db.close();
    }
    const dataDir = newDir();
    await expect(openPglite(dataDir, image)).rejects.toThrow(`a data directory image starts only an in-memory database, not ${dataDir}`);
    expect(existsSync(dataDir)).toBe(false);
  });
});
