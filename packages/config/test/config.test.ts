import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, pingHost } from '../src';

describe('loadConfig', () => {
  it('runs with nothing set: embedded database, in-process jobs, local URL', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      baseUrl: 'http://localhost:3000',
      databaseUrl: null,
      redisUrl: null,
      dataDir: './data',
      pingBodyLimit: 100_000,
      logLevel: 'info',
      trustProxy: false,
      registrationOpen: true,
    });
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      BASE_URL: 'https://cron.example.com/',
      DATABASE_URL: 'postgres://u:p@db:5432/cronbeat',
      REDIS_URL: 'redis://redis:6379',
      DATA_DIR: '/var/lib/cronbeat',
      SMTP_URL: 'smtp://mail:25',
      EMAIL_FROM: 'alerts@example.com',
      PING_BODY_LIMIT: '1000',
      LOG_LEVEL: 'debug',
      TRUST_PROXY: '1',
      ALLOW_PRIVATE_TARGETS: '10.0.0.0/8, fd00::/8',
      REGISTRATION_OPEN: 'no',
    });
    expect(config).toMatchObject({
      port: 8080,
      baseUrl: 'https://cron.example.com',
      databaseUrl: 'postgres://u:p@db:5432/cronbeat',
      redisUrl: 'redis://redis:6379',
      trustProxy: 1,
      privateTargetsAllowed: ['10.0.0.0/8', 'fd00::/8'],
      registrationOpen: false,
      pingBodyLimit: 1000,
    });
  });

  it('fails fast with one clear line per problem', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', EMAIL_FROM: 'x' });
      } catch (caught) {
        return caught as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.problems).toEqual([
      'PORT must be an integer between 1 and 65535, got "abc"',
      'DATABASE_URL must be a postgres or postgresql URL, got "mysql://…"',
      'EMAIL_FROM must be at least 3 characters long',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ]);
  });

  it('never echoes a password from a malformed URL', () => {
    for (const REDIS_URL of ['nonsense://user:hunter2@', 'mysql://user:hunter2@host', 'redis//user:hunter2@host']) {
      expect(() => loadConfig({ REDIS_URL })).toThrow(/REDIS_URL must be/);
      expect(() => loadConfig({ REDIS_URL })).not.toThrow(/hunter2/);
    }
  });

  it('reads METRICS_PORT and QUEUE_PREFIX, and refuses values that would break them', () => {
    expect(loadConfig({})).toMatchObject({ metricsPort: null, queuePrefix: 'cronbeat' });
    expect(loadConfig({ METRICS_PORT: '9464', QUEUE_PREFIX: 'cronbeat-staging' })).toMatchObject({
      metricsPort: 9464,
      queuePrefix: 'cronbeat-staging',
    });
    expect(() => loadConfig({ METRICS_PORT: '70000', QUEUE_PREFIX: 'a:b' })).toThrow(
      /METRICS_PORT must be an integer between 1 and 65535, got "70000"\n.*QUEUE_PREFIX must be letters, digits/,
    );
  });

  it('reads METRICS_TOKEN, and refuses one too short or with spaces', () => {
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(loadConfig({ METRICS_TOKEN: 'k3y-for-prometheus' }).metricsToken).toBe('k3y-for-prometheus');
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be 16 to 256 printable characters, no spaces/);
    expect(() => loadConfig({ METRICS_TOKEN: 'with a space in the middle' })).toThrow(/METRICS_TOKEN must be 16 to 256 printable/);
  });

  it('reads TRUST_PROXY as a hop count or proxy addresses, and refuses "true", which would believe any client', () => {
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 172.16.0.0/12,::1' }).trustProxy).toEqual(['10.0.0.1', '172.16.0.0/12', '::1']);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY=true would believe any client's X-Forwarded-For/);
    expect(() => loadConfig({ TRUST_PROXY: '11' })).toThrow(/TRUST_PROXY must be an integer between 1 and 10/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(
      /TRUST_PROXY must list IP addresses or CIDR ranges .* got "10.0.0.0\/33"/,
    );
  });

  it('reads ALLOW_PRIVATE_TARGETS as all, none, or CIDR ranges', () => {
    expect(loadConfig({}).privateTargetsAllowed).toEqual([]);
    expect(loadConfig({ ALLOW_PRIVATE_TARGETS: 'true' }).privateTargetsAllowed).toEqual(['0.0.0.0/0', '::/0']);
    expect(loadConfig({ ALLOW_PRIVATE_TARGETS: 'false' }).privateTargetsAllowed).toEqual([]);
    expect(loadConfig({ ALLOW_PRIVATE_TARGETS: '192.168.1.0/24' }).privateTargetsAllowed).toEqual(['192.168.1.0/24']);
    expect(() => loadConfig({ ALLOW_PRIVATE_TARGETS: 'intranet.local' })).toThrow(
      /ALLOW_PRIVATE_TARGETS must list IP addresses or CIDR ranges/,
    );
  });

  it('reads PING_BASE_URL: the site URL + /ping by default, a dedicated host, never a query or fragment', () => {
    expect(loadConfig({ BASE_URL: 'https://cron.example.com/' }).pingBaseUrl).toBe('https://cron.example.com/ping');
    expect(loadConfig({ PING_BASE_URL: 'https://ping.example.com/' }).pingBaseUrl).toBe('https://ping.example.com');
    expect(() => loadConfig({ PING_BASE_URL: 'ftp://ping.example.com' })).toThrow(/PING_BASE_URL must be a http or https URL/);
    expect(() => loadConfig({ PING_BASE_URL: 'https://ping.example.com/?x=1' })).toThrow(/PING_BASE_URL must be a plain http or https URL/);
    expect(() => loadConfig({ PING_BASE_URL: 'https://ping.example.com/#top' })).toThrow(/no \?query, #fragment/);
  });

  it('serves pings at the root only of a ping host that is not the site host', () => {
    expect(pingHost(loadConfig({ BASE_URL: 'https://cron.example.com' }))).toBeNull();
    expect(pingHost(loadConfig({ BASE_URL: 'https://cron.example.com', PING_BASE_URL: 'https://cron.example.com/hc' }))).toBeNull();
    expect(pingHost(loadConfig({ BASE_URL: 'https://cron.example.com', PING_BASE_URL: 'https://Ping.Example.com:8443' }))).toBe(
      'ping.example.com',
    );
  });
});
