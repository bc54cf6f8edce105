import type { PasswordCost } from './auth/secrets';

/**
 * scrypt at 1/32 of the production cost (about 3 ms a hash instead of 85 on
 * the CI machine), for test servers: the suites sign up a person per test,
 * and at the production cost those hashes alone took over half a minute of
 * the run's CPU. Hashing itself is tested at the production cost
 * (test/auth-accounts.test.ts).
 */
export const TEST_PASSWORD_COST: PasswordCost = { N: 2 ** 10, r: 8, p: 1 };
