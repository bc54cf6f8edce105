/**
 * Acknowledging a down check's incident through the API: who may, what it
 * answers, that it is idempotent (the first acknowledgement stands), and
 * the clear refusals: a check that is not down (409), a read-only caller
 * (403), another project's check (404), a malformed id (400).
 */
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, bearer, createKey, injectApi, type Method, type Person, signUp, testApp } from './api-fixtures';

describe.each(testDatabaseKinds())('acknowledging incidents on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let owner: Person;
  beforeAll(async () => {
    app = await testApp(test.database);
    owner = await signUp(app);
  });
  afterAll(() => app.close());

  const call = (method: Method, url: string, headers: Record<string, string>, payload?: object) =>
    injectApi(app, method, url, headers, payload);
  const acknowledge = (checkId: string, headers: Record<string, string>) => call('POST', `/checks/${checkId}/acknowledge`, headers);

  /** A check of the owner's project that a fail ping has put down, as a job would. */
  async function downCheck(name: string): Promise<{ id: string; pingCode: string }> {
    const check = (await call('POST', '/checks', owner.headers, { name })).json();
    const ping = await app.inject({ method: 'POST', url: `/ping/${check.pingCode}/fail`, payload: 'disk full' });
    expect(ping.statusCode).toBe(200);
    expect((await call('GET', `/checks/${check.id}`, owner.headers)).json().status).toBe('down');
    return check;
  }

  it('acknowledges the incident as the signed-in person, once: a second call by someone else answers the first', async () => {
    const check = await downCheck('Backups');
    const before = Date.now();
    const first = await acknowledge(check.id, owner.headers);
    expect(first.statusCode).toBe(200);
    const { flip } = first.json();
    expect(flip).toMatchObject({ from: 'new', to: 'down', reason: 'failed', acknowledgedBy: owner.email });
    expect(Date.parse(flip.acknowledgedAt)).toBeGreaterThanOrEqual(before - 1000);

    const member = await addMember(app, owner, 'member');
    const again = await acknowledge(check.id, member.headers);
    expect(again.statusCode).toBe(200);
    expect(again.json().flip).toEqual(flip);
    const rwKey = bearer((await createKey(app, owner)).key);
    expect((await acknowledge(check.id, rwKey)).json().flip).toEqual(flip);

    // The history says so too, for members and read-only keys alike.
    const readOnly = bearer((await createKey(app, owner, 'read-only')).key);
    const listed = (await call('GET', `/checks/${check.id}/flips`, readOnly)).json().flips;
    expect(listed).toEqual([flip]);
  });

  it('records an acknowledgement by an API key without a person', async () => {
    const check = await downCheck('Key acknowledged');
    const answer = await acknowledge(check.id, bearer((await createKey(app, owner)).key));
    expect(answer.statusCode).toBe(200);
    expect(answer.json().flip).toMatchObject({ to: 'down', acknowledgedAt: expect.stringMatching(/Z$/), acknowledgedBy: null });
  });

  it('refuses with 409 a check that is not down, and after its recovery, leaving the old incident acknowledged', async () => {
    const fresh = (await call('POST', '/checks', owner.headers, { name: 'Never pinged' })).json();
    const refused = await acknowledge(fresh.id, owner.headers);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toEqual({
      code: 'CB_CONFLICT',
      message: "the check is new, not down: only a down check's incident can be acknowledged",
    });

    const check = await downCheck('Recovers');
    expect((await acknowledge(check.id, owner.headers)).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: `/ping/${check.pingCode}` })).statusCode).toBe(200);
    const afterRecovery = await acknowledge(check.id, owner.headers);
    expect(afterRecovery.statusCode).toBe(409);
    expect(afterRecovery.json().error.message).toMatch(/^the check is up, not down/);
    const [recovery, down] = (await call('GET', `/checks/${check.id}/flips`, owner.headers)).json().flips;
    expect(recovery).toMatchObject({ from: 'down', to: 'up', acknowledgedAt: null, acknowledgedBy: null });
    expect(down).toMatchObject({ to: 'down', acknowledgedBy: owner.email });

    // Down again: a new incident, not acknowledged until someone says so.
    await app.inject({ method: 'POST', url: `/ping/${check.pingCode}/fail` });
    const next = (await acknowledge(check.id, owner.headers)).json().flip;
    expect(next.id).toBeGreaterThan(down.id);
    expect(Date.parse(next.acknowledgedAt)).toBeGreaterThanOrEqual(Date.parse(down.acknowledgedAt));
  });

  it('refuses read-only members and keys with 403, and changes nothing', async () => {
    const check = await downCheck('Read-only');
    const viewer = await addMember(app, owner, 'readonly');
    const readOnlyKey = bearer((await createKey(app, owner, 'read-only')).key);
    for (const headers of [viewer.headers, readOnlyKey]) {
      const refused = await acknowledge(check.id, headers);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('CB_FORBIDDEN');
    }
    const [flip] = (await call('GET', `/checks/${check.id}/flips`, owner.headers)).json().flips;
    expect(flip).toMatchObject({ to: 'down', acknowledgedAt: null, acknowledgedBy: null });
  });

  it("answers 404 for another project's check or none, and 400 for an id that is not one", async () => {
    const check = await downCheck('Elsewhere');
    const stranger = await signUp(app);
    expect((await acknowledge(check.id, stranger.headers)).statusCode).toBe(404);
    expect((await acknowledge('00000000-0000-4000-8000-000000000000', owner.headers)).json().error.code).toBe('CB_NOT_FOUND');
    const malformed = await acknowledge('not-a-uuid', owner.headers);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.message).toMatch(/params\.id/);
    const [flip] = (await call('GET', `/checks/${check.id}/flips`, owner.headers)).json().flips;
    expect(flip.acknowledgedAt).toBeNull();
  });
});
