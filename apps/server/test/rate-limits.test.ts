import { randomUUID } from 'node:crypto';
import { isCi, loadConfig, loadServices } from '@cronbeat/config';
import { useTestDatabase } from '@cronbeat/db/testing';
import { startTcpProxy } from '@cronbeat/runtime';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { BASE_URL, testApp, uniqueEmail } from './api-fixtures';

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

  it('limits in each process while Redis is unreachable, rather than not at all', async () => {
    // Port 1 refuses connections on any machine that runs these tests.
    const app = await replica({ REDIS_URL: 'redis://127.0.0.1:1' });
    for (let i = 0; i < 3; i++) expect((await logIn(app, '10.2.2.2')).statusCode).toBe(401);
    expect((await logIn(app, '10.2.2.2')).statusCode).toBe(429);
    expect((await logIn(app, '10.2.2.3')).statusCode).toBe(401);
    expect((await app.inject('/readyz')).json()).toMatchObject({ status: 'degraded', redis: 'unreachable' });
  });

  it('falls back to counting in process when Redis goes away, logs that once, and counts in Redis again when it is back', async () => {
    const redis = new URL(redisUrl ?? '');
    const proxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    try {
      const config = loadConfig({
        LOG_LEVEL: 'info',
        BASE_URL,
        REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
        QUEUE_PREFIX: `cbtest-limits-${randomUUID().slice(0, 8)}`,
      });
      const server = async () => {
        const app = await buildApp(config, { database: test.database, logger, rateLimits: { signInPerMinute: 3, apiPerMinute: 100 } });
        apps.push(app);
        await expect.poll(async () => (await app.inject('/readyz')).json().redis, { timeout: 5000 }).toBe('ok');
        return app;
      };
      const [first, second] = [await server(), await server()];
      expect((await logIn(first, '10.3.3.3')).statusCode).toBe(401); // 1 in Redis

      /** Lines that start so, among those logged from `from` on. */
      const said = (start: string, from = 0, to = lines.length) =>
        lines.slice(from, to).filter((line) => line.msg.startsWith(start)).length;
      // A loaded machine can make a command miss its 1 s deadline before the cut: such an outage had its own lines,
      // and one still on at the cut was said already. From the cut on, each server says it at most once.
      const cutAt = lines.length;
      await proxy.cut();
      const downAtCut = said('Redis unreachable', 0, cutAt) - said('Redis reachable again', 0, cutAt);
      // Each replica now counts on its own, from zero, and still says no after 3.
      for (const app of [first, second]) {
        for (let i = 0; i < 3; i++) expect((await logIn(app, '10.3.3.3')).statusCode).toBe(401);
        const refused = await logIn(app, '10.3.3.3');
        expect(refused.statusCode).toBe(429);
        expect(refused.json().error.code).toBe('CB_RATE_LIMITED');
        // Many refused and limited requests later, still refused, and the log does not grow per request.
        for (let i = 0; i < 20; i++) expect((await logIn(app, '10.3.3.3')).statusCode).toBe(429);
      }
      expect((await first.inject('/readyz')).json()).toMatchObject({ status: 'degraded', redis: 'unreachable' });
      // One line per server for the cut, whatever the number of requests and reconnects; nothing says it is back.
      expect(said('Redis unreachable', cutAt)).toBe(2 - downAtCut);
      expect(said('Redis reachable again', cutAt)).toBe(0);

      await proxy.restore();
      for (const app of [first, second]) {
        await expect.poll(async () => (await app.inject('/readyz')).json().redis, { timeout: 5000 }).toBe('ok');
      }
      // Back in Redis: the count made there before the outage goes on (2, 3), then 429; the local count (24) is left behind.
      expect((await logIn(second, '10.3.3.3')).statusCode).toBe(401);
      expect((await logIn(first, '10.3.3.3')).statusCode).toBe(401);
      expect((await logIn(second, '10.3.3.3')).statusCode).toBe(429);
      expect(said('Redis reachable again', cutAt)).toBe(2);
      expect(said('Redis unreachable', cutAt)).toBe(2 - downAtCut);
    } finally {
      await proxy.close();
    }
  });
});
