import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src';

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('email pings configuration', () => {
  it('is off unless EMAIL_PINGS_PORT and EMAIL_PINGS_DOMAIN are both set', () => {
    expect(loadConfig({}).emailPings).toBeNull();
  });

  it('reads port, domain (lower-cased), bind address and size limit; binds where the server does by default', () => {
    expect(loadConfig({ HOST: '0.0.0.0', EMAIL_PINGS_PORT: '2525', EMAIL_PINGS_DOMAIN: 'Pings.Example.COM' }).emailPings).toEqual({
      port: 2525,
      host: '0.0.0.0',
      domain: 'pings.example.com',
      maxBytes: 1_000_000,
    });
    expect(
      loadConfig({ EMAIL_PINGS_PORT: '25', EMAIL_PINGS_DOMAIN: 'hc.example.org', EMAIL_PINGS_HOST: '::', EMAIL_PINGS_MAX_BYTES: '250000' })
        .emailPings,
    ).toEqual({ port: 25, host: '::', domain: 'hc.example.org', maxBytes: 250_000 });
  });

  it.each([[{ EMAIL_PINGS_PORT: '2525' }], [{ EMAIL_PINGS_DOMAIN: 'pings.example.com' }]])(
    'refuses one without the other, saying both are needed: %j',
    (env) => {
      expect(problems(env)).toEqual([
        'EMAIL_PINGS_PORT and EMAIL_PINGS_DOMAIN turn email pings on together: set both (e.g. 2525 and pings.example.com) or neither',
      ]);
    },
  );

  it.each([
    [
      'EMAIL_PINGS_DOMAIN',
      'pings example.com',
      'EMAIL_PINGS_DOMAIN must be a mail domain such as pings.example.com, got "pings example.com"',
    ],
    [
      'EMAIL_PINGS_DOMAIN',
      '-pings.example.com',
      'EMAIL_PINGS_DOMAIN must be a mail domain such as pings.example.com, got "-pings.example.com"',
    ],
    ['EMAIL_PINGS_DOMAIN', 'a@b.example', 'EMAIL_PINGS_DOMAIN must be a mail domain such as pings.example.com, got "a@b.example"'],
    ['EMAIL_PINGS_PORT', '70000', 'EMAIL_PINGS_PORT must be an integer between 0 and 65535, got "70000"'],
    ['EMAIL_PINGS_MAX_BYTES', '10', 'EMAIL_PINGS_MAX_BYTES must be an integer between 1000 and 50000000, got "10"'],
  ])('refuses %s=%s', (name, value, message) => {
    expect(problems({ EMAIL_PINGS_PORT: '2525', EMAIL_PINGS_DOMAIN: 'pings.example.com', [name]: value })).toContain(message);
  });
});
