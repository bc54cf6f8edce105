import type { PasswordCost } from './auth/secrets';

/**
 * scrypt at 1/32 of the production cost (about 3 ms a hash instead of 85 on
 * the CI machine), for test servers: the suites sign up a person per test,
 * about 250 hashes a run (195 in apps/server's suites alone), some 20 s of
 * CPU at the production cost. Hashing itself is tested at the production
 * cost (test/password-cost.test.ts).
 */
export const TEST_PASSWORD_COST: PasswordCost = { N: 2 ** 10, r: 8, p: 1 };
