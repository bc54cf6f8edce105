import { flips, pings } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, createKey, injectApi, type Person, signUp, testApp } from './api-fixtures';
import { injectV3 } from './api-v3-fixtures';

describe.each(testDatabaseKinds())('Healthchecks API v3 pings, flips, channels and badges on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let owner: Person;
  let rw: string;
  let ro: string;
  let uuid: string;
  beforeAll(async () => {
    app = await testApp(test.database, { PING_BASE_URL: 'https://ping.example.com' });
    owner = await signUp(app);
    rw = (await createKey(app, owner, 'read-write')).key;
    ro = (await createKey(app, owner, 'read-only')).key;
    uuid = (await injectV3(app, 'POST', '/checks/', rw, { name: 'History', tags: 'db nightly' })).json().uuid;
    await test.db.insert(pings).values([
      {
        checkId: uuid,
        n: 1,
        kind: 'start',
        createdAt: new Date('2026-01-01T00:00:00.250Z'),
        method: 'GET',
        scheme: 'https',
        userAgent: 'curl/8',
      },
      {
        checkId: uuid,
        n: 2,
        kind: 'success',
        createdAt: new Date('2026-01-01T00:01:00Z'),
        method: 'POST',
        scheme: 'https',
        remoteAddr: '192.0.2.7',
        body: 'backup done',
        bodySize: 11,
        duration: 59_754,
        rid: '5a8e3f49-9f6b-4d8f-9a4e-2f7c8f1e0a11',
      },
      { checkId: uuid, n: 3, kind: 'ignored', createdAt: new Date('2026-01-01T00:02:00Z'), method: 'GET', scheme: 'http' },
    ]);
    await test.db.insert(flips).values(<(typeof flips.$inferInsert)[]>[
      { checkId: uuid, createdAt: new Date('2026-01-01T00:01:00Z'), fromStatus: 'new', toStatus: 'up', reason: 'success' },
      { checkId: uuid, createdAt: new Date('2026-01-02T00:00:00Z'), fromStatus: 'up', toStatus: 'late', reason: 'missed' },
      { checkId: uuid, createdAt: new Date('2026-01-02T00:30:00Z'), fromStatus: 'late', toStatus: 'down', reason: 'missed' },
      { checkId: uuid, createdAt: new Date('2026-01-03T00:00:00Z'), fromStatus: 'down', toStatus: 'up', reason: 'success' },
    ]);
  });
  afterAll(() => app.close());

  it('lists pings newest first in Healthchecks fields, with body URLs and durations in seconds', async () => {
    const response = await injectV3(app, 'GET', `/checks/${uuid}/pings/`, rw);
    expect(response.statusCode).toBe(200);
    expect(response.json().pings).toEqual([
      {
        type: 'ign',
        date: '2026-01-01T00:02:00.000+00:00',
        n: 3,
        scheme: 'http',
        remote_addr: null,
        method: 'GET',
        ua: '',
        rid: null,
        body_url: null,
      },
      {
        type: 'success',
        date: '2026-01-01T00:01:00.000+00:00',
        n: 2,
        scheme: 'https',
        remote_addr: '192.0.2.7',
        method: 'POST',
        ua: '',
        rid: '5a8e3f49-9f6b-4d8f-9a4e-2f7c8f1e0a11',
        body_url: `${BASE_URL}/api/v3/checks/${uuid}/pings/2/body`,
        duration: 59.75,
      },
      {
        type: 'start',
        date: '2026-01-01T00:00:00.250+00:00',
        n: 1,
        scheme: 'https',
        remote_addr: null,
        method: 'GET',
        ua: 'curl/8',
        rid: null,
        body_url: null,
      },
    ]);
    expect((await injectV3(app, 'GET', `/checks/${uuid}/pings/`, ro)).statusCode).toBe(401);
  });

  it("serves a ping's body as text/plain, and 404 for a ping without one", async () => {
    const body = await injectV3(app, 'GET', `/checks/${uuid}/pings/2/body`, rw);
    expect(body.statusCode).toBe(200);
    expect(body.headers['content-type']).toMatch(/^text\/plain/);
    // Served as an attachment in a sandbox, never as a page of Cronbeat's origin.
    expect(body.headers['content-security-policy']).toBe('sandbox');
    expect(body.headers['content-disposition']).toBe('attachment; filename="ping-2.txt"');
    expect(body.body).toBe('backup done');
    expect((await injectV3(app, 'GET', `/checks/${uuid}/pings/1/body`, rw)).statusCode).toBe(404);
    expect((await injectV3(app, 'GET', `/checks/${uuid}/pings/99/body`, rw)).statusCode).toBe(404);
  });

  it('lists flips between up and down as Healthchecks records them, filtered by start, end and seconds', async () => {
    const flipsOf = async (query: string) => (await injectV3(app, 'GET', `/checks/${uuid}/flips/${query}`, ro)).json();
    expect(await flipsOf('')).toEqual({
      flips: [
        { timestamp: '2026-01-03T00:00:00+00:00', up: 1 },
        { timestamp: '2026-01-02T00:30:00+00:00', up: 0 },
        { timestamp: '2026-01-01T00:01:00+00:00', up: 1 },
      ],
    });
    const jan2 = Date.parse('2026-01-02T00:00:00Z') / 1000;
    const jan3 = Date.parse('2026-01-03T00:00:00Z') / 1000;
    expect((await flipsOf(`?start=${jan2}&end=${jan3}`)).flips).toEqual([{ timestamp: '2026-01-02T00:30:00+00:00', up: 0 }]);
    expect((await flipsOf('?seconds=3600')).flips).toEqual([]);
    for (const bad of ['?seconds=-1', '?seconds=31536001', '?start=abc', '?end=10000000001']) {
      const response = await injectV3(app, 'GET', `/checks/${uuid}/flips/${bad}`, ro);
      expect(response.statusCode, bad).toBe(400);
      expect(response.json().error, bad).toMatch(/^(seconds|start|end)/);
    }
  });

  it('gives ping URLs on PING_BASE_URL, carrying the ping code', async () => {
    const check = (await injectV3(app, 'GET', `/checks/${uuid}`, rw)).json();
    const own = (await injectApi(app, 'GET', `/checks/${uuid}`, { 'x-api-key': rw })).json();
    expect(check.ping_url).toBe(`https://ping.example.com/${own.pingCode}`);
  });

  it('lists integrations with id, name and kind, for read-write keys', async () => {
    const created = await injectApi(app, 'POST', '/channels', owner.headers, {
      kind: 'email',
      name: 'Ops',
      config: { to: 'ops@example.com' },
    });
    expect((await injectV3(app, 'GET', '/channels/', rw)).json()).toEqual({
      channels: [{ id: created.json().id, name: 'Ops', kind: 'email' }],
    });
  });

  it('lists badge URLs for every check and each tag, and they answer', async () => {
    const { badges } = (await injectV3(app, 'GET', '/badges/', ro)).json();
    expect(Object.keys(badges).sort()).toEqual(['*', 'db', 'nightly']);
    expect(badges.db.svg).toMatch(new RegExp(`^${BASE_URL}/badge/[0-9a-f]{32}/db\\.svg$`));
    expect(badges['*'].json).toMatch(new RegExp(`^${BASE_URL}/badge/[0-9a-f]{32}\\.json$`));
    const answer = await app.inject({ url: new URL(badges.db.json).pathname });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ total: 1 });
  });
});
