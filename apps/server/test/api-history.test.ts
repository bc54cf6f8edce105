import { flips, pings } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createKey, signUp, testApp } from './api-fixtures';

describe.each(testDatabaseKinds())('pings and flips API on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let headers: Record<string, string>;
  let checkId: string;
  beforeAll(async () => {
    app = await testApp(test.database);
    const owner = await signUp(app);
    headers = bearer((await createKey(app, owner)).key);
    checkId = (await app.inject({ method: 'POST', url: '/api/v1/checks', headers, payload: { name: 'History' } })).json().id;
    const base = Date.parse('2026-01-01T00:00:00Z');
    await test.db.insert(pings).values(
      Array.from({ length: 120 }, (_, i) => ({
        checkId,
        n: i + 1,
        kind: i % 10 === 9 ? ('fail' as const) : ('success' as const),
        createdAt: new Date(base + i * 60_000),
        method: 'POST',
        scheme: 'https',
        body: i === 0 ? 'first run output' : null,
        bodyRaw: i === 1 ? new Uint8Array([0xff, 0x00, 0xfe]) : null,
        bodySize: i < 2 ? 16 : 0,
        exitStatus: i % 10 === 9 ? 1 : 0,
      })),
    );
    await test.db.insert(flips).values([
      { checkId, createdAt: new Date('2026-01-01T00:00:00Z'), fromStatus: 'new', toStatus: 'up', reason: 'success' },
      { checkId, createdAt: new Date('2026-01-01T00:09:00Z'), fromStatus: 'up', toStatus: 'down', reason: 'failed', exitStatus: 1 },
      { checkId, createdAt: new Date('2026-01-01T00:10:00Z'), fromStatus: 'down', toStatus: 'up', reason: 'success' },
    ]);
  });
  afterAll(() => app.close());

  const get = (url: string) => app.inject({ url: `/api/v1/checks/${checkId}${url}`, headers });

  it('pages pings newest first, 50 by default, with a cursor to the end', async () => {
    const first = (await get('/pings')).json();
    expect(first.pings).toHaveLength(50);
    expect(first.pings[0]).toMatchObject({
      n: 120,
      kind: 'fail',
      exitStatus: 1,
      method: 'POST',
      scheme: 'https',
      createdAt: '2026-01-01T01:59:00.000Z',
    });
    expect(first.pings[0]).not.toHaveProperty('body');
    expect(first.nextCursor).toBe(71);
    const second = (await get(`/pings?before=${first.nextCursor}&limit=1000`)).json();
    expect(second.pings.map((p: { n: number }) => p.n)).toEqual(Array.from({ length: 70 }, (_, i) => 70 - i));
    expect(second.nextCursor).toBeNull();
  });

  it('reads the pings received up to a time (an incident that ended then), newest first, inclusive', async () => {
    const page = (await get(`/pings?until=${encodeURIComponent('2026-01-01T00:10:00Z')}&limit=5`)).json();
    expect(page.pings.map((p: { n: number }) => p.n)).toEqual([11, 10, 9, 8, 7]);
    expect(page.nextCursor).toBe(7);
    const rest = (await get(`/pings?until=2026-01-01T00:10:00.000Z&before=${page.nextCursor}&limit=1000`)).json();
    expect(rest.pings.map((p: { n: number }) => p.n)).toEqual([6, 5, 4, 3, 2, 1]);
    const bad = await get('/pings?until=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty(['query.until']);
  });

  it('refuses page sizes over 1,000 and cursors that are not numbers', async () => {
    const tooMany = await get('/pings?limit=1001');
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.message).toBe('query.limit: must be <= 1000');
    expect((await get('/pings?before=soon')).json().error.fields).toHaveProperty(['query.before']);
  });

  it('returns a ping body as text, or as bytes when it was not UTF-8, and 404 when there is none', async () => {
    const text = await get('/pings/1/body');
    expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(text.body).toBe('first run output');
    const raw = await get('/pings/2/body');
    expect(raw.headers['content-type']).toBe('application/octet-stream');
    expect([...raw.rawPayload]).toEqual([0xff, 0x00, 0xfe]);
    expect((await get('/pings/3/body')).statusCode).toBe(404);
    expect((await get('/pings/999/body')).statusCode).toBe(404);
    expect((await get('/pings/0/body')).statusCode).toBe(400);
  });

  it('lists flips newest first, between since and until', async () => {
    const all = (await get('/flips')).json().flips;
    expect(all.map((f: { to: string }) => f.to)).toEqual(['up', 'down', 'up']);
    expect(all[1]).toMatchObject({ from: 'up', to: 'down', reason: 'failed', exitStatus: 1, at: '2026-01-01T00:09:00.000Z' });
    const window = (await get('/flips?since=2026-01-01T00:05:00Z&until=2026-01-01T00:09:00Z')).json().flips;
    expect(window.map((f: { to: string }) => f.to)).toEqual(['down']);
    const bad = await get('/flips?since=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^query\.since: must match format "date-time"/);
  });
});
