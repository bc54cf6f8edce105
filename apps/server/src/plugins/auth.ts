import type { Config } from '@cronbeat/config';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { PasswordCost } from '../auth/secrets';
import { RateLimited } from '../errors';
import { redisOrLocalStore } from './rate-limit-store';

/** Requests per minute; tests lower or raise them. */
export interface RateLimits {
  /** Per API key or session, on /api/v1. Default: 600. */
  apiPerMinute: number;
  /** Per client address on sign-up and log-in, and per account (the email tried) on log-in. Default: 10. */
  signInPerMinute: number;
  /** Per client address on public status pages (cached, but each unknown address guessed asks the database). Default: 600. */
  statusPagePerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { apiPerMinute: 600, signInPerMinute: 10, statusPagePerMinute: 600 };

export interface AccountSettings {
  baseUrl: string;
  /** What ping URLs the API shows start with (PING_BASE_URL): `<pingBaseUrl>/<ping-code>`. */
  pingBaseUrl: string;
  /** The origin that cookie-authenticated writes must come from (CSRF defence). */
  origin: string;
  registrationOpen: boolean;
  /** Cookies get `Secure` when people reach us over https. */
  secureCookies: boolean;
  /** Whether this server can send email (SMTP_URL is set): summary reports need it. */
  emailEnabled: boolean;
  limits: RateLimits;
  /** scrypt's cost for new password hashes. */
  passwordCost: PasswordCost;
}

declare module 'fastify' {
  interface FastifyInstance {
    accounts: AccountSettings;
  }
}

export const SESSION_COOKIE = 'cb_session';

/**
 * Rate limiting and the settings accounts and the API need. Rate limits are
 * counted in Redis when the server has it, so replicas share them, and in
 * process memory otherwise (`npm start`: one process) and while that Redis
 * is away. Cookies are not parsed here, for every route, but only where
 * sessions are (see `buildApp`).
 */
export const authPlugin = fp(
  async (app: FastifyInstance, options: { config: Config; limits?: Partial<RateLimits> | undefined; passwordCost: PasswordCost }) => {
    const { config } = options;
    app.decorate('accounts', {
      baseUrl: config.baseUrl,
      pingBaseUrl: config.pingBaseUrl,
      origin: new URL(config.baseUrl).origin,
      registrationOpen: config.registrationOpen,
      secureCookies: config.baseUrl.startsWith('https:'),
      emailEnabled: config.smtpUrl !== null,
      limits: { ...DEFAULT_RATE_LIMITS, ...options.limits },
      passwordCost: options.passwordCost,
    });
    app.decorateRequest('principal', null);
    app.decorateRequest('access', null);
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) => new RateLimited(context.after),
      // With Redis, every replica counts against the same limits. While Redis
      // is away each replica counts on its own (/readyz says degraded): the
      // limits hold, and sign-in and the API stay up.
      ...(app.redis && app.redisLink && { store: redisOrLocalStore(app.redis, app.redisLink, `${config.queuePrefix}:rate-limit:`) }),
    });
  },
);
