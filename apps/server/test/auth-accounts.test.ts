import { users } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, PASSWORD, signUp, testApp, uniqueEmail } from './api-fixtures';

describe.each(testDatabaseKinds())('accounts and sessions on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testApp(test.database);
  });
  afterAll(() => app.close());

  const post = (url: string, payload: unknown, headers: Record<string, string> = { origin: BASE_URL }) =>
    app.inject({ method: 'POST', url, payload: payload as object, headers });

  it('makes the first account the admin, later ones not, each with a first project it owns', async () => {
    const first = await signUp(app);
    const second = await signUp(app);
    const me = (headers: Record<string, string>) => app.inject({ url: '/auth/me', headers }).then((r) => r.json());
    const firstMe = await me(first.headers);
    expect(firstMe.user.isAdmin).toBe(true);
    expect(firstMe.projects).toEqual([{ id: first.projectId, name: 'My project', role: 'owner' }]);
    expect((await me(second.headers)).user.isAdmin).toBe(false);
  });

  it('sets an httpOnly SameSite=Lax session cookie, not Secure over http', async () => {
    const response = await post('/auth/signup', { email: uniqueEmail(), password: PASSWORD });
    const cookie = response.cookies.find((c) => c.name === 'cb_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy();
    expect(response.body).not.toContain('passwordHash');
  });

  it('sets Secure cookies when BASE_URL is https', async () => {
    const secure = await testApp(test.database, { BASE_URL: 'https://cronbeat.example' });
    const response = await secure.inject({ method: 'POST', url: '/auth/signup', payload: { email: uniqueEmail(), password: PASSWORD } });
    expect(response.cookies.find((c) => c.name === 'cb_session')?.secure).toBe(true);
    await secure.close();
  });

  it('logs in case-insensitively and answers wrong email and wrong password alike', async () => {
    const person = await signUp(app);
    const ok = await post('/auth/login', { email: person.email.toUpperCase(), password: PASSWORD });
    expect(ok.statusCode).toBe(200);
    const wrongPassword = await post('/auth/login', { email: person.email, password: 'not the password' });
    const wrongEmail = await post('/auth/login', { email: uniqueEmail(), password: PASSWORD });
    expect(wrongPassword.statusCode).toBe(401);
    expect(wrongPassword.json()).toEqual(wrongEmail.json());
    expect(wrongPassword.json().error.message).toBe('wrong email or password');
  });

  it('refuses a taken email with 409 and a short password naming the field and the rule', async () => {
    const person = await signUp(app);
    const taken = await post('/auth/signup', { email: person.email, password: PASSWORD });
    expect(taken.statusCode).toBe(409);
    const short = await post('/auth/signup', { email: uniqueEmail(), password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.fields).toEqual({ password: 'must NOT have fewer than 10 characters' });
    const badEmail = await post('/auth/signup', { email: 'not-an-email', password: PASSWORD });
    expect(badEmail.json().error.message).toMatch(/^email: must match format "email"/);
    const missing = await post('/auth/signup', { password: PASSWORD });
    expect(missing.json().error.fields).toEqual({ email: 'is required' });
  });

  it('logs out by deleting the session: the cookie stops working at once', async () => {
    const person = await signUp(app);
    expect((await app.inject({ url: '/auth/me', headers: person.headers })).statusCode).toBe(200);
    expect((await post('/auth/logout', {}, person.headers)).statusCode).toBe(204);
    expect((await app.inject({ url: '/auth/me', headers: person.headers })).statusCode).toBe(401);
  });

  it('changes the password after checking the current one, and signs out other sessions', async () => {
    const person = await signUp(app);
    const other = await post('/auth/login', { email: person.email, password: PASSWORD });
    const otherHeaders = { cookie: `cb_session=${other.cookies[0]?.value}`, origin: BASE_URL };
    const wrong = await post('/auth/password', { currentPassword: 'nope', newPassword: 'a new long password' }, person.headers);
    expect(wrong.statusCode).toBe(401);
    const changed = await post('/auth/password', { currentPassword: PASSWORD, newPassword: 'a new long password' }, person.headers);
    expect(changed.statusCode).toBe(204);
    expect((await app.inject({ url: '/auth/me', headers: person.headers })).statusCode).toBe(200);
    expect((await app.inject({ url: '/auth/me', headers: otherHeaders })).statusCode).toBe(401);
    expect((await post('/auth/login', { email: person.email, password: PASSWORD })).statusCode).toBe(401);
    expect((await post('/auth/login', { email: person.email, password: 'a new long password' })).statusCode).toBe(200);
  });

  it('turns summary reports on and off, due next Monday or on the 1st, and only where the server can send email', async () => {
    const withEmail = await testApp(test.database, { SMTP_URL: 'smtp://127.0.0.1:2525' });
    const person = await signUp(withEmail);
    const patch = (target: FastifyInstance, payload: unknown, headers = person.headers) =>
      target.inject({ method: 'PATCH', url: '/auth/me', payload: payload as object, headers });
    const before = (await withEmail.inject({ url: '/auth/me', headers: person.headers })).json();
    expect(before.user).toMatchObject({ reportEvery: 'off', nextReportAt: null });
    expect(before.emailEnabled).toBe(true);

    const weekly = await patch(withEmail, { reportEvery: 'weekly' });
    expect(weekly.statusCode).toBe(200);
    const due = new Date(weekly.json().user.nextReportAt);
    expect(due.getUTCDay()).toBe(1);
    expect(due.getUTCHours()).toBe(9);
    expect(due.getTime() - Date.now()).toBeGreaterThan(0);
    expect(due.getTime() - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);
    // A report due now, not made yet: the same settings sent again leave it due rather than a week on.
    const dueNow = new Date(Date.now() - 60_000);
    await test.db.update(users).set({ nextReportAt: dueNow }).where(eq(users.id, weekly.json().user.id));
    for (const same of [{ reportEvery: 'weekly' }, { reportEvery: 'weekly', timeZone: 'UTC' }]) {
      const unchanged = await patch(withEmail, same);
      expect([JSON.stringify(same), unchanged.json().user.nextReportAt]).toEqual([JSON.stringify(same), dueNow.toISOString()]);
    }
    const monthly = (await patch(withEmail, { reportEvery: 'monthly' })).json().user;
    expect(new Date(monthly.nextReportAt).getUTCDate()).toBe(1);
    expect((await patch(withEmail, { reportEvery: 'off' })).json().user).toMatchObject({ reportEvery: 'off', nextReportAt: null });

    for (const bad of [{ reportEvery: 'daily' }, {}, { reportEvery: 'weekly', email: 'x@example.com' }]) {
      const refused = await patch(withEmail, bad);
      expect(refused.statusCode, JSON.stringify(bad)).toBe(400);
    }
    expect(
      (await patch(withEmail, { reportEvery: 'weekly' }, { origin: 'https://evil.example', cookie: person.headers.cookie! })).statusCode,
    ).toBe(403);
    expect(
      (await withEmail.inject({ method: 'PATCH', url: '/auth/me', payload: { reportEvery: 'weekly' }, headers: { origin: BASE_URL } }))
        .statusCode,
    ).toBe(401);
    await withEmail.close();

    // This suite's app has no SMTP_URL: nothing could send the report.
    const noEmail = await patch(app, { reportEvery: 'weekly' });
    expect(noEmail.statusCode).toBe(400);
    expect(noEmail.json().error.message).toMatch(/SMTP_URL/);
    expect((await app.inject({ url: '/auth/me', headers: person.headers })).json()).toMatchObject({
      emailEnabled: false,
      user: { reportEvery: 'off' },
    });
  });

  it('keeps a time zone per person (UTC at first), canonical, moving the next report to 09:00 there; refuses a zone it does not know', async () => {
    const withEmail = await testApp(test.database, { SMTP_URL: 'smtp://127.0.0.1:2525' });
    const person = await signUp(withEmail);
    const patch = (payload: unknown) =>
      withEmail.inject({ method: 'PATCH', url: '/auth/me', payload: payload as object, headers: person.headers });
    const clock = (zone: string) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit' });
    expect((await withEmail.inject({ url: '/auth/me', headers: person.headers })).json().user.timeZone).toBe('UTC');

    const weekly = (await patch({ reportEvery: 'weekly', timeZone: 'europe/berlin' })).json().user;
    expect(weekly.timeZone).toBe('Europe/Berlin');
    expect(clock('Europe/Berlin').format(new Date(weekly.nextReportAt))).toBe('Mon 09:00');
    // The zone alone moves the report already on.
    const moved = (await patch({ timeZone: 'America/New_York' })).json().user;
    expect(moved).toMatchObject({ reportEvery: 'weekly', timeZone: 'America/New_York' });
    expect(clock('America/New_York').format(new Date(moved.nextReportAt))).toBe('Mon 09:00');
    expect(moved.nextReportAt).not.toBe(weekly.nextReportAt);

    for (const bad of ['Mars/Olympus', ' ', 'x'.repeat(65), 42]) {
      const refused = await patch({ timeZone: bad });
      expect(refused.statusCode, String(bad)).toBe(400);
      expect(refused.json().error.message).toMatch(/timeZone/);
    }
    expect((await patch({ timeZone: 'Mars/Olympus' })).json().error.message).toBe(
      'timeZone: unknown time zone "Mars/Olympus": give an IANA name such as Europe/Berlin or UTC',
    );
    // Nothing was changed by the refusals.
    expect((await withEmail.inject({ url: '/auth/me', headers: person.headers })).json().user).toMatchObject({
      timeZone: 'America/New_York',
      nextReportAt: moved.nextReportAt,
    });
    await withEmail.close();

    // Without SMTP the zone can still be set (reports stay off).
    const other = await signUp(app);
    const zoned = await app.inject({ method: 'PATCH', url: '/auth/me', payload: { timeZone: 'Asia/Tokyo' }, headers: other.headers });
    expect(zoned.statusCode).toBe(200);
    expect(zoned.json().user).toMatchObject({ timeZone: 'Asia/Tokyo', reportEvery: 'off', nextReportAt: null });
  });

  it('refuses cookie-authenticated writes from another origin or without an Origin (CSRF)', async () => {
    const person = await signUp(app);
    const payload = { name: 'csrf' };
    const foreign = await app.inject({
      method: 'POST',
      url: '/api/v1/checks',
      payload,
      headers: { ...person.headers, origin: 'https://evil.example' },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('CB_CROSS_ORIGIN');
    const { origin: _origin, ...noOrigin } = person.headers;
    expect((await app.inject({ method: 'POST', url: '/api/v1/checks', payload, headers: noOrigin })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/checks', headers: noOrigin })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/v1/checks', payload, headers: person.headers })).statusCode).toBe(201);
    const login = await post('/auth/login', { email: person.email, password: PASSWORD }, { origin: 'https://evil.example' });
    expect(login.statusCode).toBe(403);
  });

  it('rate-limits sign-in attempts per address with 429 and Retry-After', async () => {
    const limited = await testApp(test.database, {}, { signInPerMinute: 3, apiPerMinute: 100 });
    const attempt = () =>
      limited.inject({
        method: 'POST',
        url: '/auth/login',
        remoteAddress: '10.9.8.7',
        payload: { email: uniqueEmail(), password: 'whatever1234' },
      });
    for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
    const refused = await attempt();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.json().error.code).toBe('CB_RATE_LIMITED');
    await limited.close();
  });
});

describe.each(testDatabaseKinds())('closed registration on %s', (kind) => {
  const test = useTestDatabase(kind);

  it('lets the first account sign up, then only people holding an invitation link (not merely its address)', async () => {
    const app = await testApp(test.database, { REGISTRATION_OPEN: 'false' });
    const first = await app.inject({ method: 'POST', url: '/auth/signup', payload: { email: uniqueEmail(), password: PASSWORD } });
    expect(first.statusCode).toBe(201);
    const second = await app.inject({ method: 'POST', url: '/auth/signup', payload: { email: uniqueEmail(), password: PASSWORD } });
    expect(second.statusCode).toBe(403);
    expect(second.json().error.code).toBe('CB_REGISTRATION_CLOSED');
    const owner = { cookie: `cb_session=${first.cookies[0]?.value}`, origin: BASE_URL };
    const projectId = first.json().projects[0].id;
    const email = uniqueEmail('invited');
    const sent = await app.inject({
      method: 'POST',
      url: `/api/v1/projects/${projectId}/invitations`,
      headers: owner,
      payload: { email, role: 'member' },
    });
    const token = new URL(sent.json().acceptUrl).pathname.split('/').at(-1);
    // The invited address alone proves nothing: nobody verified that the one signing up reads it.
    const byAddress = await app.inject({ method: 'POST', url: '/auth/signup', payload: { email, password: PASSWORD } });
    expect(byAddress.statusCode).toBe(403);
    const forged = await app.inject({
      method: 'POST',
      url: '/auth/signup',
      payload: { email, password: PASSWORD, invitation: 'x'.repeat(43) },
    });
    expect(forged.statusCode).toBe(403);
    const invited = await app.inject({ method: 'POST', url: '/auth/signup', payload: { email, password: PASSWORD, invitation: token } });
    expect(invited.statusCode).toBe(201);
    await app.close();
  });
});
