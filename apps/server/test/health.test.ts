import { loadConfig } from '@cronbeat/config';
import { openTestDatabase, testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { aCheck } from './ping-fixtures';

const config = loadConfig({ LOG_LEVEL: 'silent' });

describe.each(testDatabaseKinds())('health endpoints on %s', (kind) => {
  const test = useTestDatabase(kind);

  it('answers /healthz and /readyz with 200 when the database is reachable', async () => {
    const app = await buildApp(config, { database: test.database });
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', database: 'ok' });
    await app.close();
  });
});

describe('readiness without a database', () => {
  const apps: Array<{ close(): Promise<unknown> }> = [];
  afterAll(() => Promise.all(apps.map((app) => app.close())));

  it('answers /readyz with 503 once the database is gone, while /healthz stays 200', async () => {
    const database = await openTestDatabase('pglite');
    const app = await buildApp(config, { database });
    apps.push(app);
    await database.close();
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'unavailable', database: 'unreachable' });
    expect((await app.inject('/healthz')).statusCode).toBe(200);
  });

  it('answers unknown routes with the one error shape', async () => {
    const database = await openTestDatabase('pglite');
    const app = await buildApp(config, { database });
    apps.push(app, database);
    const response = await app.inject('/nope');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'CB_NOT_FOUND', message: 'GET /nope not found' } });
  });
});

describe.skipIf(!testDatabaseKinds().includes('postgres'))('readiness while pings cannot be written, on postgres', () => {
  const test = useTestDatabase('postgres');

  it('answers /readyz 503 while a ping waits, the ping 503 with Retry-After at its deadline, and logs the spell once', async () => {
    if (test.database.kind !== 'postgres') throw new Error('postgres only');
    const lines: Array<{ msg: string }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const app = await buildApp(config, { database: test.database, logger });
    const { check } = await aCheck(test.db);
    expect((await app.inject(`/ping/${check.pingCode}`)).statusCode).toBe(200);

    // Another session holds the check's row, as a stuck transaction would.
    const holder = await test.database.client.reserve();
    await holder`begin`;
    await holder`select 1 from checks where id = ${check.id} for update`;
    const started = Date.now();
    const ping = app.inject(`/ping/${check.pingCode}`);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const stalled = await app.inject('/readyz');
    expect(stalled.statusCode).toBe(503);
    expect(stalled.json()).toMatchObject({ status: 'unavailable', database: 'ok', pings: 'stalled' });
    expect(stalled.json().oldestPingWaitMs).toBeGreaterThanOrEqual(2000);
    expect((await app.inject('/readyz')).statusCode).toBe(503);

    const refused = await ping;
    expect(Date.now() - started).toBeLessThan(7000);
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.headers['content-type']).toMatch(/^text\/plain/);
    expect(refused.body).toBe('ping not stored: the database did not answer within 5 s; send it again');

    await holder`rollback`;
    holder.release();
    expect((await app.inject(`/ping/${check.pingCode}`)).statusCode).toBe(200);
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', database: 'ok' });
    expect(lines.map((line) => line.msg).filter((msg) => msg.startsWith('ping'))).toEqual([
      'pings cannot be written: answering them 503 and /readyz 503 until the database takes them again',
      'pings are being written again',
    ]);
    await app.close();
  }, 20_000);
});
