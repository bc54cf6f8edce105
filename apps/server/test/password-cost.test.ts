import { loadConfig } from '@cronbeat/config';
import { userByEmail } from '@cronbeat/db';
import { useTestDatabase } from '@cronbeat/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { hashPassword, PASSWORD_COST, verifyPassword } from '../src/auth/secrets';
import { TEST_PASSWORD_COST } from '../src/testing';
import { BASE_URL, PASSWORD, uniqueEmail } from './api-fixtures';

describe('password hashing', () => {
  const test = useTestDatabase('pglite');
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', BASE_URL }), { database: test.database });
  });
  afterAll(() => app.close());

  it('stores new passwords at the production cost, N=2^15 r=8 p=1, unless told otherwise', async () => {
    expect(PASSWORD_COST).toEqual({ N: 32768, r: 8, p: 1 });
    const email = uniqueEmail();
    const response = await app.inject({
      method: 'POST',
      url: '/auth/signup',
      headers: { origin: BASE_URL },
      payload: { email, password: PASSWORD },
    });
    expect(response.statusCode).toBe(201);
    const stored = (await userByEmail(test.db, email))?.passwordHash ?? '';
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{86}$/);
    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
    expect(await verifyPassword(`${PASSWORD}!`, stored)).toBe(false);
  });

  it('verifies a hash by the cost stored with it, so a cost can change without locking anybody out', async () => {
    const cheap = await hashPassword(PASSWORD, TEST_PASSWORD_COST);
    expect(cheap).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword(PASSWORD, cheap)).toBe(true);
    expect(await verifyPassword('another', cheap)).toBe(false);
  });
});
