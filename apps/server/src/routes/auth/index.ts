import { AccountPatch, authErrors, ChangePassword, canonicalZone, LogIn, Me, SignUp } from '@cronbeat/contract';
import {
  changeReportSettings,
  createAccount,
  createSession,
  deleteOtherSessions,
  deleteSession,
  hasUsers,
  invitationByToken,
  projectsOfUser,
  setPasswordHash,
  type User,
  userByEmail,
} from '@cronbeat/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { assertSameOrigin, identify } from '../../auth/authenticate';
import { decoyHash, hashPassword, newSessionToken, sha256, verifyPassword } from '../../auth/secrets';
import { Conflict, FieldError, RateLimited, RegistrationClosed, Unauthorized } from '../../errors';
import { SESSION_COOKIE } from '../../plugins/auth';
import { iso } from '../../schemas/common';
import { refuseUnknownFields } from '../../schemas/strict-body';

/** An email address as accounts are looked up by it (lower case), without the spaces a form may add. */
const normalisedEmail = (email: string): string => email.trim().toLowerCase();

/** Days a session lasts. */
const SESSION_DAYS = 30;
const tags = ['auth'];
const errors = { ...authErrors, 409: authErrors[400] };

/** /auth/*: accounts and sessions for the dashboard. */
export async function authRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { accounts } = app;
  const signInLimit = { rateLimit: { max: accounts.limits.signInPerMinute, timeWindow: 60_000 } };
  // Per account as well as per address: guesses at one password from many
  // addresses (a botnet, or clients choosing their own through a proxy)
  // count together. Keyed by the address as typed, normalised, whether or
  // not it has an account, so a 429 tells nobody which accounts exist.
  const countAccountAttempt = app.createRateLimit({
    max: accounts.limits.signInPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `sign-in-account:${normalisedEmail((request.body as { email: string }).email)}`,
  });

  /** Counts an attempt at signing in as the account in the body; refuses it once the account has had its share this minute. */
  async function throttleAccount(request: FastifyRequest, reply: FastifyReply) {
    const attempt = await countAccountAttempt(request);
    if (attempt.isAllowed || !attempt.isExceeded) return;
    const seconds = Math.max(1, attempt.ttlInSeconds);
    reply.header('retry-after', String(seconds));
    throw new RateLimited(`${seconds} seconds: too many attempts at this account`);
  }

  // Login CSRF: a foreign page must not sign a browser into someone else's account.
  app.addHook('onRequest', async (request) => {
    if (request.method !== 'GET') assertSameOrigin(request, accounts.origin, false);
  });
  app.addHook('preValidation', refuseUnknownFields);

  async function startSession(request: FastifyRequest, reply: FastifyReply, user: User) {
    const token = newSessionToken();
    const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
    await createSession(app.db, { tokenHash: sha256(token), userId: user.id, expiresAt, userAgent: request.headers['user-agent'] ?? null });
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: accounts.secureCookies,
      expires: expiresAt,
    });
  }

  async function me(user: User) {
    const projects = await projectsOfUser(app.db, user.id);
    return {
      user: {
        id: user.id,
        email: user.email,
        isAdmin: user.isAdmin,
        createdAt: iso(user.createdAt),
        reportEvery: user.reportEvery,
        nextReportAt: user.nextReportAt ? iso(user.nextReportAt) : null,
        timeZone: user.timeZone,
      },
      emailEnabled: accounts.emailEnabled,
      projects: projects.map(({ id, name, role }) => ({ id, name, role })),
    };
  }

  async function signedIn(request: FastifyRequest) {
    const principal = await identify(request);
    if (principal?.kind !== 'session') throw new Unauthorized('not signed in');
    return principal;
  }

  app.post(
    '/signup',
    {
      config: signInLimit,
      schema: { tags, summary: 'Create an account and its first project', body: SignUp, response: { 201: Me, ...errors } },
    },
    async (request, reply) => {
      // The first account can always be made, or a closed install could never be set up.
      const { email, password, projectName = 'My project', invitation } = request.body;
      // Closed sign-up still admits people holding an invitation's link (not merely its address, which proves nothing).
      if (
        !accounts.registrationOpen &&
        (await hasUsers(app.db)) &&
        !(invitation && (await invitationByToken(app.db, sha256(invitation))))
      ) {
        throw new RegistrationClosed();
      }
      const account = await createAccount(app.db, {
        email,
        passwordHash: await hashPassword(password, accounts.passwordCost),
        projectName,
      });
      if (!account) throw new Conflict('email: an account with this email already exists');
      await startSession(request, reply, account.user);
      return reply.status(201).send(await me(account.user));
    },
  );

  app.post(
    '/login',
    {
      config: signInLimit,
      preHandler: throttleAccount,
      schema: { tags, summary: 'Sign in; sets the session cookie', body: LogIn, response: { 200: Me, ...errors } },
    },
    async (request, reply) => {
      const user = await userByEmail(app.db, request.body.email);
      const matches = await verifyPassword(request.body.password, user?.passwordHash ?? (await decoyHash));
      if (!user || !matches) throw new Unauthorized('wrong email or password');
      await startSession(request, reply, user);
      return me(user);
    },
  );

  app.post('/logout', { schema: { tags, summary: 'Sign out this session', response: { 204: Type.Null() } } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      assertSameOrigin(request, accounts.origin, true);
      await deleteSession(app.db, sha256(token));
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get(
    '/me',
    { schema: { tags, summary: 'The signed-in user and their projects', response: { 200: Me, ...errors } } },
    async (request) => me((await signedIn(request)).user),
  );

  app.patch(
    '/me',
    {
      schema: {
        tags,
        summary: 'Change your account settings: how often you get a summary report, and the time zone of its 09:00',
        body: AccountPatch,
        response: { 200: Me, ...errors },
      },
    },
    async (request) => {
      const { user } = await signedIn(request);
      assertSameOrigin(request, accounts.origin, true);
      const { reportEvery } = request.body;
      if (reportEvery !== undefined && reportEvery !== 'off' && !accounts.emailEnabled) {
        throw new FieldError('reportEvery', 'reports are sent by email, and this server has no SMTP_URL set');
      }
      const timeZone = request.body.timeZone === undefined ? undefined : canonicalZone(request.body.timeZone);
      if (timeZone === null) {
        throw new FieldError('timeZone', `unknown time zone "${request.body.timeZone}": give an IANA name such as Europe/Berlin or UTC`);
      }
      const updated = await changeReportSettings(app.db, user.id, { reportEvery, timeZone }, new Date());
      if (!updated) throw new Unauthorized('not signed in');
      return me(updated);
    },
  );

  app.post(
    '/password',
    {
      config: signInLimit,
      schema: {
        tags,
        summary: 'Change password; signs out other sessions',
        body: ChangePassword,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const { user, tokenHash } = await signedIn(request);
      assertSameOrigin(request, accounts.origin, true);
      if (!(await verifyPassword(request.body.currentPassword, user.passwordHash)))
        throw new Unauthorized('currentPassword: wrong password');
      await setPasswordHash(app.db, user.id, await hashPassword(request.body.newPassword, accounts.passwordCost));
      await deleteOtherSessions(app.db, user.id, tokenHash);
      return reply.status(204).send(null);
    },
  );
}
