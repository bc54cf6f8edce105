import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ApiKeyAccess } from '@cronbeat/db';

/** scrypt's cost parameters. */
export interface PasswordCost {
  N: number;
  r: number;
  p: number;
}

/**
 * scrypt cost: N=2^15, r=8, p=1 uses 32 MiB and ~50–100 ms per hash, the
 * OWASP floor for interactive logins. Stored with the hash so it can be raised
 * later without invalidating existing passwords (and so a hash made at any
 * cost verifies: the test suites, which sign up a person per test, hash at a
 * lower one).
 */
export const PASSWORD_COST: PasswordCost = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 64;

function derive(password: string, salt: Buffer, params: PasswordCost & { keyLength: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFKC'),
      salt,
      params.keyLength,
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** `scrypt$N$r$p$salt$hash`, base64url parts. */
export async function hashPassword(password: string, cost: PasswordCost = PASSWORD_COST): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, { ...cost, keyLength: KEY_LENGTH });
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(N),
    r: Number(r),
    p: Number(p),
    keyLength: expected.length,
  });
  return timingSafeEqual(actual, expected);
}

/** A hash to verify against when the email is unknown, so a wrong email takes as long as a wrong password. */
export const decoyHash = hashPassword('decoy password, never matches');

export const sha256 = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** A session token for the cookie: 256 random bits. Only its SHA-256 is stored. */
export const newSessionToken = (): string => randomBytes(32).toString('base64url');

/** The token in an invitation's link: 256 random bits. Only its SHA-256 is stored. */
export const newInvitationToken = (): string => randomBytes(32).toString('base64url');

export const API_KEY_PREFIX = { 'read-write': 'cb_rw_', 'read-only': 'cb_ro_' } as const satisfies Record<ApiKeyAccess, string>;

/** A new API key: a prefix that tells its access at a glance, then 256 random bits. */
export function newApiKey(access: ApiKeyAccess): { key: string; prefix: string; keyHash: string } {
  const key = `${API_KEY_PREFIX[access]}${randomBytes(32).toString('base64url')}`;
  return { key, prefix: key.slice(0, 10), keyHash: sha256(key) };
}

/** Whether a string is shaped like one of our API keys; anything else is refused without a query. */
export const looksLikeApiKey = (value: string): boolean => /^cb_r[wo]_[A-Za-z0-9_-]{43}$/.test(value);
