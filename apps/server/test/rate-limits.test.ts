import { randomUUID } from 'node:crypto';
import { isCi, loadServices } from '@cronbeat/config';
import { useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { testApp, uniqueEmail } from './api-fixtures';

const { redisUrl } = loadServices();
if (!redisUrl && isCi()) throw new Error('CI=true but REDIS_URL is not set: the shared rate limit suite would be skipped');

describe.skipIf(!redisUrl)('rate limits with Redis', () => {
  const test = useTestDatabase('pglite');
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  /** A server of one deployment: its own key prefix, so test runs and files never share counts. */
  const replica = async (env: Record<string, string>) => {
    const app = await testApp(test.database, env, { signInPerMinute: 3, apiPerMinute: 100 });
    apps.push(app);
    return app;
  };
  const logIn = (app: FastifyInstance, remoteAddress: string) =>
    app.inject({ method: 'POST', url: '/auth/login', remoteAddress, payload: { email: uniqueEmail(), password: 'whatever1234' } });

  it('counts sign-in attempts from one address across every server of the deployment', async () => {
    const env = { REDIS_URL: redisUrl ?? '', QUEUE_PREFIX: `cbtest-limits-${randomUUID().slice(0, 8)}` };
    const [first, second] = [await replica(env), await replica(env)];
    // The connection is made in the background; wait until it counts.
    await expect.poll(async () => (await first.inject('/readyz')).json().redis, { timeout: 5000 }).toBe('ok');
    await expect.poll(async () => (await second.inject('/readyz')).json().redis, { timeout: 5000 }).toBe('ok');

    expect((await logIn(first, '10.1.1.1')).statusCode).toBe(401);
    expect((await logIn(second, '10.1.1.1')).statusCode).toBe(401);
    expect((await logIn(first, '10.1.1.1')).statusCode).toBe(401);
    const refused = await logIn(second, '10.1.1.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('CB_RATE_LIMITED');
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await logIn(first, '10.1.1.2')).statusCode).toBe(401); // another address has its own count

    // Another deployment on the same Redis counts on its own.
    const other = await replica({ ...env, QUEUE_PREFIX: `${env.QUEUE_PREFIX}-other` });
    await expect.poll(async () => (await other.inject('/readyz')).json().redis, { timeout: 5000 }).toBe('ok');
    expect((await logIn(other, '10.1.1.1')).statusCode).toBe(401);
  });

  it('keeps answering while Redis is unreachable, without limits rather than with errors', async () => {
    // Port 1 refuses connections on any machine that runs these tests.
    const app = await replica({ REDIS_URL: 'redis://127.0.0.1:1' });
    for (let i = 0; i < 5; i++) expect((await logIn(app, '10.2.2.2')).statusCode).toBe(401);
    expect((await app.inject('/readyz')).json()).toMatchObject({ status: 'degraded', redis: 'unreachable' });
  });
});
