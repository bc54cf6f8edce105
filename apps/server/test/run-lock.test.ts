import { randomUUID } from 'node:crypto';
import { checks, createCheck, type Db, runLocks } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, type Person, signUp, testApp } from './api-fixtures';
import { checkRow, pingRows } from './ping-fixtures';

const holder = (host = 'web-1', pid = 4242) => ({ id: randomUUID(), host, pid });
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe.each(testDatabaseKinds())('run lock on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let owner: Person;
  const db = (): Db => test.db;
  beforeAll(async () => {
    app = await testApp(test.database);
    owner = await signUp(app);
  });
  afterAll(() => app.close());

  const aCheck = (slug: string | null = null) =>
    createCheck(db(), { projectId: owner.projectId, name: 'nightly', slug, schedule: { kind: 'period', period: 3600 }, grace: 600 });
  const lock = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url: `${url}/lock`, ...(payload && { payload }), headers: { 'user-agent': 'cronbeat-client/test' } });
  const pingKey = async () =>
    (await app.inject({ method: 'GET', url: `/api/v1/projects/${owner.projectId}`, headers: owner.headers })).json().pingKey as string;

  it('grants the lease with fencing token 1 and its expiry, by ping code', async () => {
    const check = await aCheck();
    const before = Date.now();
    const response = await lock('POST', `/ping/${check.pingCode}`, { ttl: 30, holder: holder() });
    expect(response.statusCode, response.body).toBe(200);
    const grant = response.json();
    expect(grant).toEqual({ token: 1, ttl: 30, expiresAt: expect.stringMatching(ISO) });
    const expires = Date.parse(grant.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 29_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 31_000);
  });

  it('refuses a second runner with 409 naming the holder, and stores a skipped ping that changes nothing else', async () => {
    const check = await aCheck();
    const first = holder('web-1', 101);
    const granted = await lock('POST', `/ping/${check.pingCode}`, { holder: first });
    expect(granted.json().ttl).toBe(60);
    const rowBefore = await checkRow(db(), check.id);

    const refused = await lock('POST', `/ping/${check.pingCode}`, { holder: holder('web-2', 202) });
    expect(refused.statusCode).toBe(409);
    const answer = refused.json();
    expect(answer.error.code).toBe('CB_LOCK_HELD');
    expect(answer.error.message).toContain('web-1 (pid 101)');
    expect(answer.holder).toEqual({ host: 'web-1', pid: 101, since: expect.stringMatching(ISO), expiresAt: expect.stringMatching(ISO) });

    const [ping] = await pingRows(db(), check.id);
    expect(ping).toMatchObject({ n: 1, kind: 'skipped', method: 'POST', userAgent: 'cronbeat-client/test', exitStatus: null, rid: null });
    expect(ping!.body).toBe(`skipped: the run lock is held by web-1 (pid 101) since ${answer.holder.since}\nrefused: web-2 (pid 202)\n`);
    expect(ping!.bodySize).toBe(Buffer.byteLength(ping!.body!));
    const rowAfter = await checkRow(db(), check.id);
    expect(rowAfter.nPings).toBe(rowBefore.nPings + 1);
    expect({ ...rowAfter, nPings: 0 }).toEqual({ ...rowBefore, nPings: 0 });
  });

  it('lists the skipped ping in the API, and as a log ping in the v3 API', async () => {
    const check = await aCheck();
    await lock('POST', `/ping/${check.pingCode}`, { holder: holder('db-host', 7) });
    await lock('POST', `/ping/${check.pingCode}`, { holder: holder() });
    const listed = await app.inject({ method: 'GET', url: `/api/v1/checks/${check.id}/pings`, headers: owner.headers });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().pings).toMatchObject([{ n: 1, kind: 'skipped' }]);
    const body = await app.inject({ method: 'GET', url: `/api/v1/checks/${check.id}/pings/1/body`, headers: owner.headers });
    expect(body.body).toContain('held by db-host (pid 7)');

    const key = await createKey(app, owner);
    const v3 = await app.inject({ method: 'GET', url: `/api/v3/checks/${check.id}/pings`, headers: { 'x-api-key': key.key } });
    expect(v3.statusCode, v3.body).toBe(200);
    expect(v3.json().pings).toMatchObject([{ n: 1, type: 'log' }]);
  });

  it('works under the slug form, and leaves the slug ping of a check named "lock" as it was', async () => {
    const check = await aCheck('backup');
    const key = await pingKey();
    expect((await lock('POST', `/ping/${key}/backup`, { holder: holder() })).json().token).toBe(1);
    expect((await lock('POST', `/ping/${key}/backup`, { holder: holder() })).statusCode).toBe(409);
    expect((await pingRows(db(), check.id)).map((ping) => ping.kind)).toEqual(['skipped']);

    const named = await aCheck('lock');
    const ping = await app.inject({
      method: 'POST',
      url: `/ping/${key}/lock`,
      payload: 'output',
      headers: { 'content-type': 'text/plain' },
    });
    expect(ping.statusCode).toBe(200);
    expect(ping.body).toBe('OK');
    expect((await pingRows(db(), named.id)).map((row) => [row.kind, row.body])).toEqual([['success', 'output']]);
    expect((await app.inject({ method: 'PUT', url: `/ping/${key}/lock` })).statusCode).toBe(405);
    expect((await app.inject({ method: 'DELETE', url: `/ping/${check.pingCode}/start` })).statusCode).toBe(405);
  });

  it('raises the fencing token with every grant, keeps it for the holder asking again and for renewals', async () => {
    const check = await aCheck();
    const url = `/ping/${check.pingCode}`;
    const tokens: number[] = [];
    for (let round = 0; round < 5; round++) {
      const runner = holder();
      const granted = (await lock('POST', url, { holder: runner })).json();
      tokens.push(granted.token);
      // Its answer lost, the runner asks again: the same grant, not a new token.
      expect((await lock('POST', url, { holder: runner })).json().token).toBe(granted.token);
      expect((await lock('PUT', url, { holderId: runner.id, ttl: 10 })).json()).toMatchObject({ token: granted.token, ttl: 10 });
      expect((await lock('DELETE', url, { holderId: runner.id })).statusCode).toBe(204);
    }
    expect(tokens).toEqual([1, 2, 3, 4, 5]);
  });

  it('lets a lapsed lease go to the next runner; the old holder can then neither renew nor release it', async () => {
    const check = await aCheck();
    const url = `/ping/${check.pingCode}`;
    const dead = holder('gone', 1);
    expect((await lock('POST', url, { holder: dead })).json().token).toBe(1);
    // Its runner died: nobody renews, and the lease runs out (moved into the past rather than waited for).
    await db().update(runLocks).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(runLocks.checkId, check.id));
    const next = holder('alive', 2);
    expect((await lock('POST', url, { holder: next })).json().token).toBe(2);

    const renewal = await lock('PUT', url, { holderId: dead.id });
    expect(renewal.statusCode).toBe(409);
    expect(renewal.json().error.message).toContain('no longer held by this holder');
    expect((await lock('DELETE', url, { holderId: dead.id })).statusCode).toBe(409);
    expect((await lock('DELETE', url, { holderId: next.id })).statusCode).toBe(204);
    expect((await lock('DELETE', url, { holderId: next.id })).statusCode).toBe(409);
  });

  it('grants exactly one of many racing requests', async () => {
    const check = await aCheck();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => lock('POST', `/ping/${check.pingCode}`, { holder: holder(`racer-${i}`, i) })),
    );
    expect(answers.filter((answer) => answer.statusCode === 200)).toHaveLength(1);
    expect(answers.filter((answer) => answer.statusCode === 409)).toHaveLength(19);
    const skipped = await pingRows(db(), check.id);
    expect(skipped.map((ping) => ping.n)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
  });

  it('answers 404 for an address that leads to no check, as pings do', async () => {
    const key = await pingKey();
    for (const url of [`/ping/${randomUUID()}`, `/ping/${key}/no-such-slug`, `/ping/not-a-key/backup`]) {
      const response = await lock('POST', url, { holder: holder() });
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code).toBe('CB_NOT_FOUND');
    }
  });

  describe('?create=1 under the slug form', () => {
    /** A new person's project and its ping key, so limits and rates set here touch no other test. */
    const aProject = async () => {
      const person = await signUp(app);
      const key = (await app.inject({ method: 'GET', url: `/api/v1/projects/${person.projectId}`, headers: person.headers })).json()
        .pingKey as string;
      return { person, key };
    };
    const slugsOf = async (projectId: string) =>
      (await db().select({ slug: checks.slug, autoCreated: checks.autoCreated }).from(checks).where(eq(checks.projectId, projectId))).map(
        (row) => `${row.slug} ${row.autoCreated ? 'auto' : 'api'}`,
      );

    it('creates the check, as a slug ping with ?create=1 would, and grants its lease with token 1', async () => {
      const { person, key } = await aProject();
      const runner = holder();
      const noHolder = await app.inject({ method: 'POST', url: `/ping/${key}/nightly-backup/lock?create=1`, payload: {} });
      expect(noHolder.statusCode).toBe(400); // the body is judged first: a request that could not lock makes nothing
      expect(await slugsOf(person.projectId)).toEqual([]);

      const made = await app.inject({ method: 'POST', url: `/ping/${key}/nightly-backup/lock?create=1`, payload: { holder: runner } });
      expect(made.statusCode, made.body).toBe(200);
      expect(made.json()).toMatchObject({ token: 1, ttl: 60 });
      expect(await slugsOf(person.projectId)).toEqual(['nightly-backup auto']);
      // The check exists now: asking again finds it (the holder is granted again), `true` reads as `1`, and nothing more is made.
      const again = await app.inject({ method: 'POST', url: `/ping/${key}/nightly-backup/lock?create=true`, payload: { holder: runner } });
      expect(again.json().token).toBe(1);
      expect(await slugsOf(person.projectId)).toEqual(['nightly-backup auto']);
      expect((await lock('DELETE', `/ping/${key}/nightly-backup`, { holderId: runner.id })).statusCode).toBe(204);
    });

    it('creates nothing without ?create=1 (or with another value), for a ping code, for an unknown key, or for a slug the rule refuses', async () => {
      const { person, key } = await aProject();
      const post = (url: string) => app.inject({ method: 'POST', url, payload: { holder: holder() } });
      for (const url of [
        `/ping/${key}/job/lock`,
        `/ping/${key}/job/lock?create=0`,
        `/ping/${randomUUID()}/lock?create=1`,
        `/ping/not-a-key/job/lock?create=1`,
      ]) {
        const response = await post(url);
        expect(response.statusCode, url).toBe(404);
        expect(response.json().error.code).toBe('CB_NOT_FOUND');
      }
      const refused = await post(`/ping/${key}/Nightly/lock?create=1`);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.message).toMatch(/^slug must be 1 to 100 of a-z, 0-9, - and _; got "Nightly"/);
      expect(await slugsOf(person.projectId)).toEqual([]);
    });

    it("answers 403 at the project's limit on checks made by ?create=1, counting those the ping routes made", async () => {
      const { person, key } = await aProject();
      const limit = await app.inject({
        method: 'PATCH',
        url: `/api/v1/projects/${person.projectId}`,
        headers: person.headers,
        payload: { autoCreateLimit: 1 },
      });
      expect(limit.statusCode).toBe(200);
      expect((await app.inject({ url: `/ping/${key}/by-ping?create=1` })).statusCode).toBe(201);
      const refused = await app.inject({ method: 'POST', url: `/ping/${key}/by-lock/lock?create=1`, payload: { holder: holder() } });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error).toEqual({
        code: 'CB_FORBIDDEN',
        message:
          "this project already has 1 checks made by ?create=1, its limit: create the check in the dashboard or the API, or raise the limit in the project's settings",
      });
      expect(await slugsOf(person.projectId)).toEqual(['by-ping auto']);
      // A check that exists is locked whatever the limit.
      expect(
        (await app.inject({ method: 'POST', url: `/ping/${key}/by-ping/lock?create=1`, payload: { holder: holder() } })).statusCode,
      ).toBe(200);
    });

    it('draws on the same 60-a-minute bucket per ping key as the ping routes, answering 429 with Retry-After', async () => {
      const { key } = await aProject();
      // Interleaved, 40 each: one bucket of 60 runs dry (it refills one a second, far slower than this), a bucket each would not.
      const lockAnswers = [];
      for (let i = 0; i < 40; i++) {
        await app.inject({ url: `/ping/${key}/by-ping-${i}?create=1` });
        lockAnswers.push(
          await app.inject({ method: 'POST', url: `/ping/${key}/by-lock-${i}/lock?create=1`, payload: { holder: holder() } }),
        );
      }
      const limited = lockAnswers.find((answer) => answer.statusCode === 429);
      expect(limited, 'a lock answered 429').toBeDefined();
      expect(Number(limited!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(limited!.json().error).toEqual({
        code: 'CB_RATE_LIMITED',
        message: expect.stringMatching(/^too many checks created with this ping key \(at most 60 a minute\); try again in \d+ s$/),
      });
    });
  });

  it.each([
    [{ ttl: 4, holder: holder() }, 'ttl: must be >= 5'],
    [{ ttl: 3601, holder: holder() }, 'ttl: must be <= 3600'],
    [{ ttl: 1.5, holder: holder() }, 'ttl: must be integer'],
    [{}, 'holder'],
    [{ holder: { ...holder(), host: 'evil\nskipped: forged' } }, 'holder.host: must match pattern'],
    [{ holder: { ...holder(), pid: -1 } }, 'holder.pid: must be >= 0'],
    [{ holder: { ...holder(), id: '' } }, 'holder.id: must NOT have fewer than 1 characters'],
    [{ holder: holder(), owner: 'me' }, 'owner: is not a known field'],
  ])('refuses %j with a 400 that says what is wrong', async (payload, message) => {
    const check = await aCheck();
    const response = await lock('POST', `/ping/${check.pingCode}`, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain(message);
    expect(await pingRows(db(), check.id)).toEqual([]);
  });

  it('refuses a renewal with a ttl out of bounds, and a release without a holder id', async () => {
    const check = await aCheck();
    const runner = holder();
    await lock('POST', `/ping/${check.pingCode}`, { holder: runner });
    const renewal = await lock('PUT', `/ping/${check.pingCode}`, { holderId: runner.id, ttl: 0 });
    expect(renewal.statusCode).toBe(400);
    expect(renewal.json().error.message).toContain('ttl: must be >= 5');
    const release = await lock('DELETE', `/ping/${check.pingCode}`, {});
    expect(release.statusCode).toBe(400);
    expect(release.json().error.message).toContain('holderId');
  });
});
