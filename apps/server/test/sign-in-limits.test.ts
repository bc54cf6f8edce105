/**
 * Sign-in is throttled per account as well as per address: password
 * guesses spread over many addresses still count against the account.
 */
import { randomUUID } from 'node:crypto';
import { isCi, loadServices } from '@cronbeat/config';
import { useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { BASE_URL, PASSWORD, signUp, testApp, uniqueEmail } from './api-fixtures';

const { redisUrl } = loadServices();
if (!redisUrl && isCi()) throw new Error('CI=true but REDIS_URL is not set: the shared per-account limit would go untested');

const LIMIT = 3;
const logIn = (app: FastifyInstance, remoteAddress: string, email: string, password = 'not the password') =>
  app.inject({ method: 'POST', url: '/auth/login', remoteAddress, headers: { origin: BASE_URL }, payload: { email, password } });

/** A new address for every attempt, as a botnet would use: the per-address limit never bites. */
let lastOctet = 0;
const freshAddress = () => `198.51.100.${++lastOctet % 250}`;

const counters: Array<{ name: string; env: Record<string, string> }> = [
  { name: 'in this process', env: {} },
  ...(redisUrl ? [{ name: 'in Redis', env: { REDIS_URL: redisUrl } }] : []),
];

describe.each(counters)('sign-in limits counted $name', ({ env }) => {
  const test = useTestDatabase('pglite');
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  const replica = async (prefix: string) => {
    const app = await testApp(test.database, { ...env, QUEUE_PREFIX: prefix }, { signInPerMinute: LIMIT, apiPerMinute: 1000 });
    apps.push(app);
    if ('REDIS_URL' in env) await expect.poll(async () => (await app.inject('/readyz')).json().redis, { timeout: 5000 }).toBe('ok');
    return app;
  };

  it('refuses guesses at one account from many addresses once the account has had its share', async () => {
    const app = await replica(`cbtest-signin-${randomUUID().slice(0, 8)}`);
    const victim = await signUp(app);
    for (let i = 0; i < LIMIT; i++) expect((await logIn(app, freshAddress(), victim.email)).statusCode).toBe(401);
    const refused = await logIn(app, freshAddress(), victim.email);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('CB_RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // The same account however it is typed.
    expect((await logIn(app, freshAddress(), `  ${victim.email.toUpperCase()} `)).statusCode).toBe(429);
    // Even the right password waits out the minute: the guesses cannot be told from the owner.
    expect((await logIn(app, freshAddress(), victim.email, PASSWORD)).statusCode).toBe(429);
    // Other accounts are untouched.
    const other = await signUp(app);
    expect((await logIn(app, freshAddress(), other.email, PASSWORD)).statusCode).toBe(200);
  });

  it('answers an address with no account the same way, so a 429 says nothing about which accounts exist', async () => {
    const app = await replica(`cbtest-signin-${randomUUID().slice(0, 8)}`);
    const nobody = uniqueEmail('nobody');
    for (let i = 0; i < LIMIT; i++) expect((await logIn(app, freshAddress(), nobody)).statusCode).toBe(401);
    expect((await logIn(app, freshAddress(), nobody)).statusCode).toBe(429);
  });

  it('still limits each address on its own', async () => {
    const app = await replica(`cbtest-signin-${randomUUID().slice(0, 8)}`);
    const address = freshAddress();
    for (let i = 0; i < LIMIT; i++) expect((await logIn(app, address, uniqueEmail())).statusCode).toBe(401);
    expect((await logIn(app, address, uniqueEmail())).statusCode).toBe(429);
  });
});

describe.skipIf(!redisUrl)('sign-in limits of a deployment', () => {
  const test = useTestDatabase('pglite');
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  const replica = async (prefix: string) => {
    const app = await testApp(
      test.database,
      { REDIS_URL: redisUrl ?? '', QUEUE_PREFIX: prefix },
      { signInPerMinute: LIMIT, apiPerMinute: 1000 },
    );
    apps.push(app);
    await expect.poll(async () => (await app.inject('/readyz')).json().redis, { timeout: 5000 }).toBe('ok');
    return app;
  };

  it('counts an account’s attempts across every server of the deployment', async () => {
    const prefix = `cbtest-signin-${randomUUID().slice(0, 8)}`;
    const [first, second] = [await replica(prefix), await replica(prefix)];
    const email = uniqueEmail();
    for (let i = 0; i < LIMIT; i++) expect((await logIn(i % 2 ? first : second, freshAddress(), email)).statusCode).toBe(401);
    expect((await logIn(first, freshAddress(), email)).statusCode).toBe(429);
    expect((await logIn(second, freshAddress(), email)).statusCode).toBe(429);
  });
});
