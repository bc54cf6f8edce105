/** Invitations: a one-time link, emailed when SMTP is set; accepting never demotes; the address alone admits nobody. */
import { invitations } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { type SmtpReceiver, startSmtpReceiver } from '@cronbeat/notify/testing';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, BASE_URL, injectApi, invitationToken, type Method, type Person, signUp, testApp } from './api-fixtures';

describe.each(testDatabaseKinds())('invitations on %s', (kind) => {
  const test = useTestDatabase(kind);
  let smtp: SmtpReceiver;
  let app: FastifyInstance;
  let owner: Person;
  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    app = await testApp(test.database, { SMTP_URL: smtp.url });
    owner = await signUp(app);
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  const call = (method: Method, url: string, headers: Record<string, string>, payload?: object) =>
    injectApi(app, method, url, headers, payload);
  const invite = async (email: string, role: string) => {
    const response = await call('POST', `/projects/${owner.projectId}/invitations`, owner.headers, { email, role });
    expect(response.statusCode).toBe(201);
    return response.json();
  };

  it('emails a one-time link that shows who invited to which project, and joins whoever opens it signed in', async () => {
    const invitee = await signUp(app);
    const sent = await invite(invitee.email.toUpperCase(), 'member');
    expect(sent).toMatchObject({ email: invitee.email, role: 'member', emailed: true });
    expect(sent.acceptUrl).toMatch(new RegExp(`^${BASE_URL}/join/[A-Za-z0-9_-]{43}$`));
    expect(Date.parse(sent.expiresAt) - Date.now()).toBeGreaterThan(6 * 86_400_000);
    const token = invitationToken(sent);

    await expect.poll(() => smtp.mails.find((mail) => mail.text?.includes(sent.acceptUrl))).toBeDefined();
    const mail = smtp.mails.find((m) => m.text?.includes(sent.acceptUrl))!;
    expect(mail.to).toMatchObject({ text: invitee.email });
    expect(mail.subject).toBe(`${owner.email} invited you to My project on Cronbeat`);
    expect(mail.html).toContain(`href="${sent.acceptUrl}"`);

    // The link, not the address, admits: the old by-id acceptance is gone, and the pending list never shows the token.
    expect((await call('POST', `/invitations/${sent.id}/accept`, invitee.headers)).statusCode).toBe(404);
    expect(JSON.stringify((await call('GET', `/projects/${owner.projectId}/invitations`, owner.headers)).json())).not.toContain(token);

    const preview = await call('GET', `/invitations/${token}`, invitee.headers);
    expect(preview.json()).toMatchObject({ projectName: 'My project', role: 'member', invitedBy: owner.email, email: invitee.email });
    const accepted = await call('POST', '/invitations/accept', invitee.headers, { token });
    expect(accepted.statusCode).toBe(200);
    const members = (await call('GET', `/projects/${owner.projectId}/members`, owner.headers)).json().members;
    expect(members).toContainEqual(expect.objectContaining({ userId: invitee.userId, role: 'member' }));
    expect((await call('GET', `/projects/${owner.projectId}/invitations`, owner.headers)).json().invitations).toEqual([]);

    // Used up: a second use, or a look, finds nothing.
    expect((await call('POST', '/invitations/accept', invitee.headers, { token })).statusCode).toBe(404);
    expect((await call('GET', `/invitations/${token}`, invitee.headers)).statusCode).toBe(404);
  });

  it('replaces the link when the same email is invited again, and stops honouring an expired one', async () => {
    const invitee = await signUp(app);
    const first = invitationToken(await invite(invitee.email, 'readonly'));
    const second = invitationToken(await invite(invitee.email, 'member'));
    expect((await call('POST', '/invitations/accept', invitee.headers, { token: first })).statusCode).toBe(404);

    await test.db.update(invitations).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(invitations.email, invitee.email));
    const expired = await call('POST', '/invitations/accept', invitee.headers, { token: second });
    expect(expired.statusCode).toBe(404);
    expect(expired.json().error.code).toBe('CB_NOT_FOUND');
  });

  it('never lowers a role by invitation, so the last owner stays owner; it may raise one', async () => {
    const selfInvite = invitationToken(await invite(owner.email, 'readonly'));
    expect((await call('POST', '/invitations/accept', owner.headers, { token: selfInvite })).statusCode).toBe(200);
    const admin = await addMember(app, owner, 'admin');
    const demote = invitationToken(await invite(admin.email, 'member'));
    expect((await call('POST', '/invitations/accept', admin.headers, { token: demote })).statusCode).toBe(200);
    const reader = await addMember(app, owner, 'readonly');
    const promote = invitationToken(await invite(reader.email, 'admin'));
    expect((await call('POST', '/invitations/accept', reader.headers, { token: promote })).statusCode).toBe(200);

    const roles = Object.fromEntries(
      (await call('GET', `/projects/${owner.projectId}/members`, owner.headers))
        .json()
        .members.map((member: { userId: string; role: string }) => [member.userId, member.role]),
    );
    expect(roles[owner.userId]).toBe('owner');
    expect(roles[admin.userId]).toBe('admin');
    expect(roles[reader.userId]).toBe('admin');
  });

  it('answers malformed tokens with a 400 naming the field', async () => {
    const bad = await call('POST', '/invitations/accept', owner.headers, { token: '../../etc/passwd' });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual(['token']);
    const badRole = await call('POST', `/projects/${owner.projectId}/invitations`, owner.headers, { email: 'x@example.com', role: 'god' });
    expect(badRole.statusCode).toBe(400);
    expect(Object.keys(badRole.json().error.fields)).toEqual(['role']);
  });
});

describe('invitations without SMTP', () => {
  const test = useTestDatabase('pglite');

  it('still make the link, for the admin to pass on, and say it was not emailed', async () => {
    const app = await testApp(test.database);
    const owner = await signUp(app);
    const sent = await injectApi(app, 'POST', `/projects/${owner.projectId}/invitations`, owner.headers, {
      email: 'someone@example.com',
      role: 'member',
    });
    expect(sent.json()).toMatchObject({ emailed: false, acceptUrl: expect.stringMatching(/\/join\//) });
    await app.close();
  });
});
