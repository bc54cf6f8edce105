import { addressList, boolean, integer, oneOf, type Parser, Problem, pattern, text, url } from './parse';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  /** TCP port the server listens on. Default: 3000. */
  port: number;
  /** Interface the server binds to. Default: 127.0.0.1 (use 0.0.0.0 in containers). */
  host: string;
  /** Public URL people and jobs reach Cronbeat at, without a trailing slash. Default: http://localhost:<port>. */
  baseUrl: string;
  /**
   * The prefix of every ping URL Cronbeat shows (the API, the dashboard),
   * without a trailing slash: `<pingBaseUrl>/<ping-code>`,
   * `<pingBaseUrl>/<ping-key>/<slug>`. Default: `<baseUrl>/ping`. When its
   * host is not the host of `baseUrl` (a dedicated ping host, as
   * hc-ping.com is to Healthchecks), requests for that host are served the
   * ping forms at the root too; see `pingHost`.
   */
  pingBaseUrl: string;
  /** Postgres connection string; when unset, Cronbeat embeds PGlite with its data in `dataDir`. */
  databaseUrl: string | null;
  /** Redis connection string; when unset, jobs run on the in-process runner. */
  redisUrl: string | null;
  /** Where the embedded database keeps its files. Default: ./data. */
  dataDir: string;
  /** SMTP server for email alerts (smtp:// or smtps://); email channels fail without it. */
  smtpUrl: string | null;
  /** From address of alert emails. Default: Cronbeat <cronbeat@localhost>. */
  emailFrom: string;
  /** Bytes of each ping's body that are stored; the rest is cut. Default: 100,000. */
  pingBodyLimit: number;
  /** Pino log level. Default: info. */
  logLevel: LogLevel;
  /**
   * Which reverse proxies' X-Forwarded-For to believe: false (the default)
   * believes none; a number believes that many hops nearest to Cronbeat; a
   * list believes the proxies at those addresses or CIDR ranges. Never "any",
   * or clients would choose their own address.
   */
  trustProxy: false | number | readonly string[];
  /** Whether anyone may sign up. The first account can always be created. Default: true. */
  registrationOpen: boolean;
  /** Pings kept per check. Default: 1,000. */
  pingRetention: number;
  /** Days of flips and notifications kept. Default: 90. */
  historyDays: number;
  /** URL the worker pings after every sweep, so the alerting itself is watched. */
  selfPingUrl: string | null;
  /** Port a worker running on its own serves Prometheus `/metrics` on; null (the default) serves none. */
  metricsPort: number | null;
  /** Bearer token that Prometheus `/metrics` (server and worker) require when set; null (the default) leaves them open. */
  metricsToken: string | null;
  /**
   * Address ranges (CIDR) of private, loopback, link-local and other
   * non-public addresses that channels may nevertheless reach, for
   * self-hosted installs whose webhooks live on the local network. Empty
   * (the default) refuses them all; ALLOW_PRIVATE_TARGETS=true allows them all.
   */
  privateTargetsAllowed: readonly string[];
  /**
   * Whether a server or worker brings the Postgres schema up to date when it
   * starts. Default: false, as `npm run db:migrate` (compose's `migrate`
   * service, the Kubernetes Job) runs them once per release; a process that
   * finds the schema behind refuses to start and says so. `npm start` (one
   * process) and the embedded database always migrate.
   */
  migrateOnStart: boolean;
  /**
   * The inbound SMTP listener that takes pings by email
   * (`<ping-code>@<domain>`, `<slug>+<ping-key>@<domain>`); null (the
   * default) runs none. EMAIL_PINGS_PORT and EMAIL_PINGS_DOMAIN turn it on
   * together.
   */
  emailPings: EmailPingsConfig | null;
  /** Prefix of Cronbeat's keys in Redis (BullMQ queues, the servers' rate limits); deployments sharing one Redis need different ones. Default: cronbeat. */
  queuePrefix: string;
}

export interface EmailPingsConfig {
  /** TCP port the SMTP listener binds (EMAIL_PINGS_PORT); 0 picks a free one (tests). */
  port: number;
  /** Interface it binds (EMAIL_PINGS_HOST). Default: the server's `host`. */
  host: string;
  /** The mail domain of ping addresses (EMAIL_PINGS_DOMAIN), lower case; mail to any other domain is refused. */
  domain: string;
  /** Largest message taken, in bytes (EMAIL_PINGS_MAX_BYTES); a larger one is refused with 552. Default: 1,000,000. */
  maxBytes: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

/** Validates the environment (default: `process.env`) and returns the configuration; throws ConfigError. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  function read<T>(name: string, parse: Parser<T>, fallback: T): T {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = parse(raw, name);
    if (value instanceof Problem) {
      problems.push(value.message);
      return fallback;
    }
    return value;
  }

  const port = read('PORT', integer(1, 65535), 3000);
  const host = read('HOST', text(), '127.0.0.1');
  const baseUrl = read('BASE_URL', url(['http:', 'https:']), `http://localhost:${port}`).replace(/\/+$/, '');
  const config: Config = {
    port,
    host,
    baseUrl,
    pingBaseUrl: read('PING_BASE_URL', urlPrefix, `${baseUrl}/ping`).replace(/\/+$/, ''),
    databaseUrl: read<string | null>('DATABASE_URL', url(['postgres:', 'postgresql:']), null),
    redisUrl: read<string | null>('REDIS_URL', url(['redis:', 'rediss:']), null),
    dataDir: read('DATA_DIR', text(), './data'),
    smtpUrl: read<string | null>('SMTP_URL', url(['smtp:', 'smtps:']), null),
    emailFrom: read('EMAIL_FROM', text(3), 'Cronbeat <cronbeat@localhost>'),
    pingBodyLimit: read('PING_BODY_LIMIT', integer(0, 10_000_000), 100_000),
    logLevel: read('LOG_LEVEL', oneOf(LOG_LEVELS), 'info'),
    trustProxy: read<Config['trustProxy']>('TRUST_PROXY', proxies, false),
    registrationOpen: read('REGISTRATION_OPEN', boolean, true),
    pingRetention: read('PING_RETENTION', integer(1, 1_000_000), 1000),
    historyDays: read('HISTORY_DAYS', integer(1, 36_500), 90),
    selfPingUrl: read<string | null>('SELF_PING_URL', url(['http:', 'https:']), null),
    metricsPort: read<number | null>('METRICS_PORT', integer(1, 65535), null),
    metricsToken: read<string | null>('METRICS_TOKEN', pattern(/^[\x21-\x7e]{16,256}$/, '16 to 256 printable characters, no spaces'), null),
    privateTargetsAllowed: read<readonly string[]>('ALLOW_PRIVATE_TARGETS', privateTargets, []),
    migrateOnStart: read('MIGRATE_ON_START', boolean, false),
    emailPings: readEmailPings(host),
    queuePrefix: read('QUEUE_PREFIX', pattern(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, ".", "_" or "-" (at most 64)'), 'cronbeat'),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);

  /** Both EMAIL_PINGS_PORT and EMAIL_PINGS_DOMAIN, or neither: one without the other is a mistake, not "off". */
  function readEmailPings(serverHost: string): EmailPingsConfig | null {
    const port = read<number | null>('EMAIL_PINGS_PORT', integer(0, 65535), null);
    const domain = read<string | null>('EMAIL_PINGS_DOMAIN', mailDomain, null);
    const host = read('EMAIL_PINGS_HOST', text(), serverHost);
    const maxBytes = read('EMAIL_PINGS_MAX_BYTES', integer(1000, 50_000_000), 1_000_000);
    const given = (name: string) => env[name] !== undefined && env[name] !== '';
    if (given('EMAIL_PINGS_PORT') !== given('EMAIL_PINGS_DOMAIN')) {
      problems.push(
        'EMAIL_PINGS_PORT and EMAIL_PINGS_DOMAIN turn email pings on together: set both (e.g. 2525 and pings.example.com) or neither',
      );
      return null;
    }
    return port === null || domain === null ? null : { port, host, domain, maxBytes };
  }
}

/** EMAIL_PINGS_DOMAIN: a host name (letters, digits, hyphens, dots), lower-cased as mail domains compare. */
const mailDomain: Parser<string> = (raw, name) => {
  const domain = raw.trim().toLowerCase();
  const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
  return domain.length <= 253 && domain.split('.').every((part) => label.test(part))
    ? domain
    : new Problem(`${name} must be a mail domain such as pings.example.com, got "${raw}"`);
};

/**
 * The host name that gets the ping forms at its root: PING_BASE_URL's, when
 * it is not BASE_URL's (lower case, without a port, as `Host` is compared);
 * null when pings share the site's host, whose root is the dashboard's.
 */
export function pingHost(config: Pick<Config, 'baseUrl' | 'pingBaseUrl'>): string | null {
  const ping = new URL(config.pingBaseUrl).hostname;
  return ping === new URL(config.baseUrl).hostname ? null : ping;
}

/** PING_BASE_URL: an http(s) URL that paths are appended to, so no query, fragment or credentials. */
const urlPrefix: Parser<string> = (raw, name) => {
  const checked = url(['http:', 'https:'])(raw, name);
  if (checked instanceof Problem) return checked;
  const parsed = new URL(raw);
  if (parsed.search || parsed.hash || parsed.username || parsed.password || raw.includes('?') || raw.includes('#')) {
    return new Problem(
      `${name} must be a plain http or https URL that ping paths are appended to (no ?query, #fragment or user:password@)`,
    );
  }
  return raw;
};

/** TRUST_PROXY: off, a hop count, or the proxies' addresses; `true` is refused, as it would believe any client. */
const proxies: Parser<Config['trustProxy']> = (raw, name) => {
  const value = raw.trim().toLowerCase();
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  if (['true', 'yes', 'on'].includes(value)) {
    return new Problem(
      `${name}=${raw} would believe any client's X-Forwarded-For; give the number of proxies in front of Cronbeat (e.g. 1) or their addresses (e.g. 10.0.0.0/8)`,
    );
  }
  if (/^\d+$/.test(value)) return integer(1, 10)(value, name);
  return addressList(raw, name);
};

/** ALLOW_PRIVATE_TARGETS: true (every range), false, or the CIDR ranges allowed. */
const privateTargets: Parser<readonly string[]> = (raw, name) => {
  const flag = boolean(raw, name);
  if (flag === true) return ['0.0.0.0/0', '::/0'];
  if (flag === false) return [];
  return addressList(raw, name);
};

/** True under CI (`CI=true`), where a missing database, Redis or browser fails a test run instead of skipping. */
export function isCi(env: Env = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}

/**
 * Just the external services (DATABASE_URL, REDIS_URL), validated: for test
 * harnesses, whose runner sets variables of its own (Vite's BASE_URL is "/").
 */
export function loadServices(env: Env = process.env): Pick<Config, 'databaseUrl' | 'redisUrl'> {
  const { databaseUrl, redisUrl } = loadConfig({ DATABASE_URL: env.DATABASE_URL, REDIS_URL: env.REDIS_URL });
  return { databaseUrl, redisUrl };
}
