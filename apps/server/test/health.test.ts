import { loadConfig } from '@cronbeat/config';
import { createDb } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src';

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
    const database = await createDb({ databaseUrl: null, dataDir: 'memory://' });
    const app = await buildApp(config, { database });
    apps.push(app);
    await database.close();
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'unavailable', database: 'unreachable' });
    expect((await app.inject('/healthz')).statusCode).toBe(200);
  });

  it('answers unknown routes with the one error shape', async () => {
    const database = await createDb({ databaseUrl: null, dataDir: 'memory://' });
    const app = await buildApp(config, { database });
    apps.push(app, database);
    const response = await app.inject('/nope');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'CB_NOT_FOUND', message: 'GET /nope not found' } });
  });
});
