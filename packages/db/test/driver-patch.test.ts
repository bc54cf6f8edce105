import postgres from 'postgres';
import { describe, expect, it } from 'vitest';

describe('the installed postgres.js (packages/db/scripts/patch-postgres.mjs)', () => {
  it('settles a query through methods of its class, with no closures made for that query', async () => {
    // Never connects: a postgres.js query runs only once it is awaited.
    const sql = postgres('postgres://cronbeat@127.0.0.1:1/unused', { max: 1 });
    const query = sql.unsafe('select 1');
    for (const settle of ['resolve', 'reject']) {
      expect(Object.hasOwn(query, settle), `${settle} is an own property of every query`).toBe(false);
      expect(typeof Reflect.get(query, settle)).toBe('function');
    }
    await sql.end();
  });
});
