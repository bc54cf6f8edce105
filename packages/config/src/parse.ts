import { isIP } from 'node:net';

/** Reads one variable: returns its parsed value, or a sentence saying what is wrong with it. */
export type Parser<T> = (raw: string, name: string) => T | Problem;

export class Problem {
  constructor(readonly message: string) {}
}

export const integer =
  (min: number, max: number): Parser<number> =>
  (raw, name) => {
    const value = Number(raw);
    return /^-?\d+$/.test(raw.trim()) && value >= min && value <= max
      ? value
      : new Problem(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  };

export const boolean: Parser<boolean> = (raw, name) => {
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(value)) return false;
  return new Problem(`${name} must be true or false, got "${raw}"`);
};

export const url =
  (protocols: readonly string[]): Parser<string> =>
  (raw, name) => {
    try {
      const parsed = new URL(raw);
      if (protocols.includes(parsed.protocol)) return raw;
      return new Problem(`${name} must be a ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL, got "${parsed.protocol}//…"`);
    } catch {
      return new Problem(`${name} must be a URL, got "${redact(raw)}"`);
    }
  };

export const oneOf =
  <T extends string>(values: readonly T[]): Parser<T> =>
  (raw, name) =>
    (values as readonly string[]).includes(raw) ? (raw as T) : new Problem(`${name} must be one of ${values.join(', ')}, got "${raw}"`);

export const text =
  (minLength = 1): Parser<string> =>
  (raw, name) =>
    raw.length >= minLength ? raw : new Problem(`${name} must be at least ${minLength} characters long`);

export const pattern =
  (shape: RegExp, description: string): Parser<string> =>
  (raw, name) =>
    shape.test(raw) ? raw : new Problem(`${name} must be ${description}, got "${raw}"`);

/** Keeps secrets in URLs out of error messages and logs. */
export function redact(raw: string): string {
  return raw.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}

/** Whether `raw` is an IPv4 or IPv6 address, or one with a prefix length (`10.0.0.0/8`, `fd00::/8`). */
function isAddressOrRange(raw: string): boolean {
  const [address = '', prefix, ...rest] = raw.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

/** A comma-separated list of addresses and CIDR ranges, each checked. */
export const addressList: Parser<string[]> = (raw, name) => {
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const bad = entries.filter((entry) => !isAddressOrRange(entry));
  if (entries.length === 0 || bad.length > 0) {
    return new Problem(`${name} must list IP addresses or CIDR ranges separated by commas, got "${bad.join(',') || raw}"`);
  }
  return entries;
};
