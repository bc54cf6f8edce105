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
