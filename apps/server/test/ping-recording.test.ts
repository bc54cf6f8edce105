import { randomUUID } from 'node:crypto';
import { checks, type Db } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { aCheck, checkRow, flipRows, pingRows, usePingApp } from './ping-fixtures';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(testDatabaseKinds())('what a ping stores on %s', (kind) => {
  const test = useTestDatabase(kind);
  const server = usePingApp(() => test.database, { PING_BODY_LIMIT: '1000' });
  const proxied = usePingApp(() => test.database, { TRUST_PROXY: '1' });
  const db = (): Db => test.db;

  it('stores a UTF-8 body as text, whatever its content type', async () => {
    const { check } = await aCheck(db());
    const payload = 'backup done: 3 files, 12 MB ✓\n';
    const response = await server.app.inject({
      method: 'POST',
      url: `/ping/${check.pingCode}`,
      payload,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['ping-body-limit']).toBe('1000');
    const [ping] = await pingRows(db(), check.id);
    expect(ping).toMatchObject({ body: payload, bodyRaw: null, bodySize: Buffer.byteLength(payload) });
  });

  it('stores text exactly as sent, with quotes, backslashes, braces, commas, blank edges and the word NULL', async () => {
    const { check } = await aCheck(db());
    const bodies = ['NULL', '', '  {"a": "b\\\\c", "d": [1,2]}  ', 'C:\\temp\\"x"\t}{,\r\n'];
    const userAgent = 'agent "quoted" \\ {braced}, NULL';
    for (const payload of bodies) {
      const response = await server.app.inject({
        method: 'POST',
        url: `/ping/${check.pingCode}/log`,
        payload,
        headers: { 'user-agent': userAgent },
      });
      expect(response.statusCode).toBe(200);
    }
    const stored = await pingRows(db(), check.id);
    expect(stored.map((ping) => ping.body)).toEqual(bodies.map((body) => (body === '' ? null : body)));
    expect(stored.map((ping) => ping.userAgent)).toEqual(bodies.map(() => userAgent));
  });

  it('cuts a body at the limit, keeps its real size, and never answers 413', async () => {
    const { check } = await aCheck(db());
    const response = await server.app.inject({ method: 'POST', url: `/ping/${check.pingCode}/log`, payload: 'x'.repeat(250_000) });
    expect(response).toMatchObject({ statusCode: 200, body: 'OK' });
    const [ping] = await pingRows(db(), check.id);
    expect(ping).toMatchObject({ body: 'x'.repeat(1000), bodySize: 250_000 });
  });

  it('drops a character cut in half by the limit rather than calling the body binary', async () => {
    const { check } = await aCheck(db());
    await server.app.inject({ method: 'POST', url: `/ping/${check.pingCode}`, payload: `${'a'.repeat(999)}é and more` });
    const [ping] = await pingRows(db(), check.id);
    expect(ping).toMatchObject({ body: 'a'.repeat(999), bodyRaw: null, bodySize: 999 + Buffer.byteLength('é and more') });
  });

  it('stores a binary body as bytes', async () => {
    const { check } = await aCheck(db());
    const payload = Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x7f]);
    await server.app.inject({
      method: 'POST',
      url: `/ping/${check.pingCode}`,
      payload,
      headers: { 'content-type': 'application/octet-stream' },
    });
    const [ping] = await pingRows(db(), check.id);
    expect(ping!.body).toBeNull();
    expect(Buffer.from(ping!.bodyRaw!)).toEqual(payload);
    expect(ping!.bodySize).toBe(6);
  });

  it('stores an empty body, and a POST without a content type, as no body', async () => {
    const { check } = await aCheck(db());
    await server.app.inject({ method: 'POST', url: `/ping/${check.pingCode}`, payload: '', headers: { 'content-type': 'text/plain' } });
    await server.app.inject({ method: 'POST', url: `/ping/${check.pingCode}` });
    const rows = await pingRows(db(), check.id);
    expect(rows.map((p) => [p.body, p.bodyRaw, p.bodySize])).toEqual([
      [null, null, 0],
      [null, null, 0],
    ]);
  });

  it('stores the client address, user agent and time, and X-Forwarded-For only behind a trusted proxy', async () => {
    const { check } = await aCheck(db());
    const before = Date.now();
    const headers = { 'x-forwarded-for': '203.0.113.7', 'user-agent': 'curl/8.5.0' };
    await server.app.inject({ url: `/ping/${check.pingCode}`, headers, remoteAddress: '10.0.0.2' });
    await proxied.app.inject({ url: `/ping/${check.pingCode}`, headers, remoteAddress: '10.0.0.2' });
    const [direct, forwarded] = await pingRows(db(), check.id);
    expect(direct).toMatchObject({ remoteAddr: '10.0.0.2', userAgent: 'curl/8.5.0', scheme: 'http' });
    expect(forwarded).toMatchObject({ remoteAddr: '203.0.113.7' });
    expect(direct!.createdAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(direct!.createdAt.getTime()).toBeLessThanOrEqual(Date.now());
  });
});

describe.each(testDatabaseKinds())('what a ping does to its check on %s', (kind) => {
  const test = useTestDatabase(kind);
  const server = usePingApp(() => test.database);
  const db = (): Db => test.db;
  const ping = (url: string) => server.app.inject({ method: 'POST', url });

  it('takes a new check up on its first success: last ping, deadlines, a flip', async () => {
    const { check } = await aCheck(db());
    await ping(`/ping/${check.pingCode}`);
    const row = await checkRow(db(), check.id);
    expect(row).toMatchObject({ status: 'up', nPings: 1 });
    expect(row.nextDue!.getTime() - row.lastPing!.getTime()).toBe(3600_000);
    expect(row.alertAfter!.getTime() - row.lastPing!.getTime()).toBe(4200_000);
    expect(await flipRows(db(), check.id)).toMatchObject([{ fromStatus: 'new', toStatus: 'up', reason: 'success' }]);
  });

  it('pairs start and success without a rid, recording the duration', async () => {
    const { check } = await aCheck(db());
    await ping(`/ping/${check.pingCode}/start`);
    expect(await checkRow(db(), check.id)).toMatchObject({ lastStartRid: null });
    expect((await checkRow(db(), check.id)).lastStart).not.toBeNull();
    await sleep(30);
    await ping(`/ping/${check.pingCode}`);
    const [start, end] = await pingRows(db(), check.id);
    const duration = end!.createdAt.getTime() - start!.createdAt.getTime();
    expect(duration).toBeGreaterThanOrEqual(30);
    expect(end!.duration).toBe(duration);
    expect(await checkRow(db(), check.id)).toMatchObject({ lastStart: null, lastDuration: duration });
  });

  it('gives two overlapping runs their own durations by rid', async () => {
    const { check } = await aCheck(db());
    const [a, b] = [randomUUID(), randomUUID()];
    await ping(`/ping/${check.pingCode}/start?rid=${a}`);
    await sleep(20);
    await ping(`/ping/${check.pingCode}/start?rid=${b}`);
    await sleep(20);
    await ping(`/ping/${check.pingCode}/0?rid=${a}`);
    await ping(`/ping/${check.pingCode}/0?rid=${b}`);
    const [startA, startB, endA, endB] = await pingRows(db(), check.id);
    expect(endA).toMatchObject({ rid: a, duration: endA!.createdAt.getTime() - startA!.createdAt.getTime() });
    expect(endB).toMatchObject({ rid: b, duration: endB!.createdAt.getTime() - startB!.createdAt.getTime() });
    expect(await checkRow(db(), check.id)).toMatchObject({ lastStart: null, lastStartRid: null });
  });

  it('pairs overlapping runs by rid even when all four pings share one batch', async () => {
    const { check } = await aCheck(db());
    const [a, b] = [randomUUID(), randomUUID()];
    // Sent without awaiting, so the recorder writes them in one transaction in arrival order.
    const sent = [`/start?rid=${a}`, `/start?rid=${b}`, `?rid=${a}`, `?rid=${b}`].map((suffix) => ping(`/ping/${check.pingCode}${suffix}`));
    expect((await Promise.all(sent)).map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    const rows = await pingRows(db(), check.id);
    expect(rows.map((p) => [p.kind, p.rid, p.duration !== null])).toEqual([
      ['start', a, false],
      ['start', b, false],
      ['success', a, true],
      ['success', b, true],
    ]);
  });

  it('records no duration for an end whose run id never started', async () => {
    const { check } = await aCheck(db());
    await ping(`/ping/${check.pingCode}/start?rid=${randomUUID()}`);
    await ping(`/ping/${check.pingCode}?rid=${randomUUID()}`);
    const [, end] = await pingRows(db(), check.id);
    expect(end!.duration).toBeNull();
  });

  it('goes down on a fail, with a flip carrying the exit status, and up again on success', async () => {
    const { check } = await aCheck(db());
    await ping(`/ping/${check.pingCode}`);
    await ping(`/ping/${check.pingCode}/3`);
    expect(await checkRow(db(), check.id)).toMatchObject({ status: 'down', alertAfter: null });
    await ping(`/ping/${check.pingCode}`);
    expect((await checkRow(db(), check.id)).status).toBe('up');
    expect(await flipRows(db(), check.id)).toMatchObject([
      { fromStatus: 'new', toStatus: 'up', reason: 'success' },
      { fromStatus: 'up', toStatus: 'down', reason: 'failed', exitStatus: 3 },
      { fromStatus: 'down', toStatus: 'up', reason: 'success', exitStatus: null },
    ]);
  });

  it('resumes a paused check on a ping', async () => {
    const { check } = await aCheck(db());
    await db().update(checks).set({ status: 'paused' }).where(eq(checks.id, check.id));
    await ping(`/ping/${check.pingCode}`);
    expect((await checkRow(db(), check.id)).status).toBe('up');
    expect(await flipRows(db(), check.id)).toMatchObject([{ fromStatus: 'paused', toStatus: 'up' }]);
  });

  it('records pings to a paused check set to manual resume as ignored, leaving it paused', async () => {
    const { check } = await aCheck(db(), { manualResume: true });
    await db().update(checks).set({ status: 'paused' }).where(eq(checks.id, check.id));
    const response = await ping(`/ping/${check.pingCode}/fail`);
    expect(response).toMatchObject({ statusCode: 200, body: 'OK' });
    expect(await checkRow(db(), check.id)).toMatchObject({ status: 'paused', nPings: 1, lastPing: null });
    expect(await pingRows(db(), check.id)).toMatchObject([{ n: 1, kind: 'ignored' }]);
    expect(await flipRows(db(), check.id)).toEqual([]);
  });

  it('counts 200 concurrent pings to one check exactly, numbered 1 to 200', async () => {
    const { check } = await aCheck(db());
    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => ping(`/ping/${check.pingCode}/${i % 2 ? 'start' : '0'}`)));
    expect(responses.every((r) => r.statusCode === 200)).toBe(true);
    expect((await checkRow(db(), check.id)).nPings).toBe(200);
    const rows = await pingRows(db(), check.id);
    expect(rows.map((p) => p.n)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('records pings to many checks at once, each with its own count', async () => {
    const made = await Promise.all(Array.from({ length: 10 }, () => aCheck(db())));
    const urls = made.flatMap(({ check }) => Array.from({ length: 15 }, () => `/ping/${check.pingCode}`));
    const responses = await Promise.all(urls.map(ping));
    expect(responses.every((r) => r.statusCode === 200)).toBe(true);
    for (const { check } of made) expect((await checkRow(db(), check.id)).nPings).toBe(15);
  });
});
