import { createHash } from 'node:crypto';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, createKey, injectApi, type Person, signUp, testApp } from './api-fixtures';
import { HC_TIME, injectV3, UUID, type V3Method } from './api-v3-fixtures';

describe.each(testDatabaseKinds())('Healthchecks API v3 checks on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let owner: Person;
  let rw: string;
  let ro: string;
  let otherRw: string;
  beforeAll(async () => {
    app = await testApp(test.database);
    owner = await signUp(app);
    rw = (await createKey(app, owner, 'read-write')).key;
    ro = (await createKey(app, owner, 'read-only')).key;
    otherRw = (await createKey(app, await signUp(app), 'read-write')).key;
  });
  afterAll(() => app.close());

  const call = (method: V3Method, url: string, payload?: unknown, key: string | null = rw) => injectV3(app, method, url, key, payload);

  it('creates a check from the documented example with 201 and shows it in Healthchecks fields', async () => {
    // The "Create a new check" example of Healthchecks' docs.
    const created = await call('POST', '/checks/', {
      name: 'Backups',
      slug: 'backups',
      tags: 'prod www',
      timeout: 3600,
      grace: 60,
    });
    expect(created.statusCode).toBe(201);
    const check = created.json();
    expect(check).toEqual({
      name: 'Backups',
      slug: 'backups',
      tags: 'prod www',
      desc: '',
      grace: 60,
      n_pings: 0,
      status: 'new',
      started: false,
      last_ping: null,
      next_ping: null,
      manual_resume: false,
      methods: '',
      subject: '',
      subject_fail: '',
      start_kw: '',
      success_kw: '',
      failure_kw: '',
      filter_subject: false,
      filter_body: false,
      filter_http_body: false,
      filter_default_fail: false,
      uuid: expect.stringMatching(UUID),
      ping_url: expect.stringMatching(new RegExp(`^${BASE_URL}/ping/[0-9a-f-]{36}$`)),
      update_url: `${BASE_URL}/api/v3/checks/${check.uuid}`,
      pause_url: `${BASE_URL}/api/v3/checks/${check.uuid}/pause`,
      resume_url: `${BASE_URL}/api/v3/checks/${check.uuid}/resume`,
      channels: '',
      timeout: 3600,
    });
    // The uuid is the check's id; its ping URL carries the ping code, which for a native check is another uuid.
    expect(check.ping_url).not.toContain(check.uuid);
    expect((await call('GET', `/checks/${check.uuid}`)).json()).toEqual(check);
  });

  it('takes the API key from the JSON body of a POST, as Healthchecks does', async () => {
    const created = await call('POST', '/checks/', { api_key: rw, name: 'Key in body' }, null);
    expect(created.statusCode).toBe(201);
    expect(created.json().name).toBe('Key in body');
  });

  it('answers 401 "missing api key" and "wrong api key", and refuses read-only keys on writes', async () => {
    expect((await call('GET', '/checks/', undefined, null)).json()).toEqual({ error: 'missing api key' });
    const wrong = await call('GET', '/checks/', undefined, 'cb_rw_0000000000000000000000000000000000000000000');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: 'wrong api key' });
    const readOnlyWrite = await call('POST', '/checks/', { name: 'nope' }, ro);
    expect(readOnlyWrite.statusCode).toBe(401);
    expect(readOnlyWrite.json()).toEqual({ error: 'wrong api key' });
    expect((await call('GET', '/channels/', undefined, ro)).statusCode).toBe(401);
  });

  it('makes a cron check with schedule and tz, and re-zones it with tz alone', async () => {
    const created = await call('POST', '/checks/', { name: 'Nightly', schedule: '15 5 * * *', tz: 'Europe/Riga', grace: 600 });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ schedule: '15 5 * * *', tz: 'Europe/Riga', grace: 600 });
    expect(created.json()).not.toHaveProperty('timeout');
    const rezoned = await call('POST', `/checks/${created.json().uuid}`, { tz: 'America/New_York' });
    expect(rezoned.json()).toMatchObject({ schedule: '15 5 * * *', tz: 'America/New_York' });
    const toPeriod = await call('POST', `/checks/${created.json().uuid}`, { timeout: 120 });
    expect(toPeriod.json()).toMatchObject({ timeout: 120 });
    expect(toPeriod.json()).not.toHaveProperty('schedule');
  });

  it('takes systemd OnCalendar schedules as Healthchecks does: anything but one line of five fields', async () => {
    const created = await call('POST', '/checks/', { name: 'Weekday mornings', schedule: 'Mon..Fri *-*-* 09:00', tz: 'Europe/Riga' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ schedule: 'Mon..Fri *-*-* 09:00', tz: 'Europe/Riga' });
    const rezoned = await call('POST', `/checks/${created.json().uuid}`, { tz: 'UTC' });
    expect(rezoned.json()).toMatchObject({ schedule: 'Mon..Fri *-*-* 09:00', tz: 'UTC' });
    const twoLines = await call('POST', `/checks/${created.json().uuid}`, { schedule: 'daily\n*-*-* 12:00' });
    expect(twoLines.json()).toMatchObject({ schedule: 'daily\n*-*-* 12:00' });
  });

  it('refuses bad input with 400 and Healthchecks messages naming the field', async () => {
    const refused = async (payload: unknown) => {
      const response = await call('POST', '/checks/', payload);
      expect(response.statusCode).toBe(400);
      return response.json().error;
    };
    expect(await refused({ timeout: 59 })).toBe('json validation error: timeout is too small');
    expect(await refused({ grace: 31_536_001 })).toBe('json validation error: grace is too large');
    expect(await refused({ timeout: '3600' })).toBe('json validation error: timeout is not a number');
    expect(await refused({ name: null })).toBe('json validation error: name is not a string');
    expect(await refused({ name: 'x'.repeat(101) })).toBe('json validation error: name is too long');
    expect(await refused({ slug: 'Not Valid' })).toBe('json validation error: slug does not match pattern');
    expect(await refused({ manual_resume: 'yes' })).toBe('json validation error: manual_resume is not a boolean');
    expect(await refused({ methods: 'GET' })).toBe('json validation error: methods has unexpected value');
    expect(await refused({ unique: ['desc'] })).toBe("json validation error: an item in 'unique' has unexpected value");
    expect(await refused({ unique: 'name' })).toBe('json validation error: unique is not an array');
    expect(await refused({ tz: 'Mars/Olympus' })).toBe('json validation error: tz is not a valid timezone');
    expect(await refused({ schedule: '61 * * * *' })).toMatch(
      /^json validation error: schedule is not a valid cron or OnCalendar expression \(/,
    );
    expect(await refused({ schedule: 'Mon..Fri *-*-* 25:00' })).toMatch(
      /^json validation error: schedule is not a valid cron or OnCalendar expression \(/,
    );
    expect(await refused({ channels: 'no-such-channel' })).toBe('invalid channel identifier: no-such-channel');
    expect(await refused({ channels: ',' })).toBe('empty channel identifier');
    expect(await refused({ start_kw: 'x'.repeat(201) })).toBe('json validation error: start_kw is too long');
    expect(await refused([1, 2])).toBe('json validation error: value is not an object');
    const notJson = await app.inject({
      method: 'POST',
      url: '/api/v3/checks/',
      headers: { 'x-api-key': rw, 'content-type': 'application/json' },
      payload: '{nope',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json()).toEqual({ error: 'could not parse request body' });
  });

  it('upserts with unique: 200 for the existing match, 201 when a named field differs or is absent', async () => {
    const first = await call('POST', '/checks/', { name: 'Upsert', tags: 'u1', timeout: 300, unique: ['name'] });
    expect(first.statusCode).toBe(201);
    const again = await call('POST', '/checks/', { name: 'Upsert', tags: 'u2', timeout: 600, unique: ['name'] });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ uuid: first.json().uuid, tags: 'u2', timeout: 600 });
    const byTwo = await call('POST', '/checks/', { name: 'Upsert', timeout: 900, unique: ['name', 'timeout'] });
    expect(byTwo.statusCode).toBe(201);
    const absentField = await call('POST', '/checks/', { name: 'Upsert other', unique: ['slug'] });
    expect(absentField.statusCode).toBe(201);
  });

  it('lists checks filtered by every repeated tag and by slug', async () => {
    await call('POST', '/checks/', { name: 'Tagged A', slug: 'tagged-a', tags: 'ta tb' });
    await call('POST', '/checks/', { name: 'Tagged B', slug: 'tagged-b', tags: 'ta' });
    const names = async (query: string) => (await call('GET', `/checks/?${query}`)).json().checks.map((c: { name: string }) => c.name);
    expect(await names('tag=ta&tag=tb')).toEqual(['Tagged A']);
    expect(await names('tag=ta')).toEqual(['Tagged A', 'Tagged B']);
    expect(await names('slug=tagged-b')).toEqual(['Tagged B']);
    expect(await names('slug=none-such')).toEqual([]);
  });

  it('shows read-only keys unique_key instead of uuid and URLs, and finds the check and its flips by it', async () => {
    const { uuid } = (await call('POST', '/checks/', { name: 'Read only view', slug: 'read-only-view' })).json();
    const listed = (await call('GET', '/checks/?slug=read-only-view', undefined, ro)).json().checks[0];
    const uniqueKey = createHash('sha1').update(uuid.replaceAll('-', '').slice(0, 16)).digest('hex');
    expect(listed.unique_key).toBe(uniqueKey);
    for (const hidden of ['uuid', 'ping_url', 'update_url', 'pause_url', 'resume_url', 'channels'])
      expect(listed).not.toHaveProperty(hidden);
    expect((await call('GET', `/checks/${uniqueKey}`, undefined, ro)).json()).toEqual(listed);
    expect((await call('GET', `/checks/${uniqueKey}/flips/`, undefined, ro)).json()).toEqual({ flips: [] });
    expect((await call('GET', `/checks/${uuid}`, undefined, ro)).json()).toEqual(listed);
  });

  it('answers 404 for a check of another project, on every route', async () => {
    const { uuid } = (await call('POST', '/checks/', { name: 'Mine' })).json();
    for (const [method, url] of [
      ['GET', `/checks/${uuid}`],
      ['POST', `/checks/${uuid}`],
      ['DELETE', `/checks/${uuid}`],
      ['POST', `/checks/${uuid}/pause`],
      ['POST', `/checks/${uuid}/resume`],
      ['GET', `/checks/${uuid}/pings/`],
      ['GET', `/checks/${uuid}/pings/1/body`],
      ['GET', `/checks/${uuid}/flips/`],
    ] as const) {
      const response = await call(method, url, method === 'POST' ? {} : undefined, otherRw);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json(), `${method} ${url}`).toEqual({ error: 'check not found' });
    }
    expect((await call('GET', `/checks/${uuid}`)).statusCode).toBe(200);
    expect((await call('GET', '/checks/not-a-uuid')).statusCode).toBe(404);
  });

  it('updates only the fields given, sets methods, and assigns channels by id, name, "*" and ""', async () => {
    const email = await injectApi(app, 'POST', '/channels', owner.headers, {
      kind: 'email',
      name: 'Ops mail',
      config: { to: 'ops@example.com' },
    });
    const hook = await injectApi(app, 'POST', '/channels', owner.headers, {
      kind: 'webhook',
      name: 'Hook',
      config: { url: 'https://example.com/hook' },
    });
    expect(email.statusCode).toBe(201);
    const [emailId, hookId] = [email.json().id as string, hook.json().id as string];
    const { uuid } = (await call('POST', '/checks/', { name: 'Edit me', desc: 'before', manual_resume: true })).json();
    const edited = await call('POST', `/checks/${uuid}`, { desc: 'after', methods: 'POST', channels: `Ops mail,${hookId}` });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({
      name: 'Edit me',
      desc: 'after',
      manual_resume: true,
      methods: 'POST',
      channels: [emailId, hookId].sort().join(','),
    });
    expect((await call('POST', `/checks/${uuid}`, { channels: '' })).json().channels).toBe('');
    expect((await call('POST', `/checks/${uuid}`, { channels: '*' })).json().channels.split(',')).toHaveLength(2);
    expect(
      (await call('POST', `/checks/${uuid}`, { success_kw: 'DONE, OK', failure_kw: 'ERROR', start_kw: 'Starting' })).json(),
    ).toMatchObject({
      success_kw: 'DONE,OK',
      failure_kw: 'ERROR',
      start_kw: 'Starting',
      filter_subject: true,
      filter_body: true,
      filter_http_body: true,
    });
  });

  it('pauses (twice is fine), resumes, refuses to resume a check that is not paused, and deletes answering the check', async () => {
    const { uuid } = (await call('POST', '/checks/', { name: 'Pause me' })).json();
    expect((await call('POST', `/checks/${uuid}/resume`)).statusCode).toBe(409);
    expect((await call('POST', `/checks/${uuid}/resume`)).json()).toEqual({ error: 'check is not paused' });
    const paused = await call('POST', `/checks/${uuid}/pause`);
    expect(paused.json()).toMatchObject({ status: 'paused' });
    expect((await call('POST', `/checks/${uuid}/pause`)).json()).toMatchObject({ status: 'paused' });
    expect((await call('POST', `/checks/${uuid}/resume`)).json()).toMatchObject({ status: 'new' });
    const deleted = await call('DELETE', `/checks/${uuid}`);
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toMatchObject({ uuid, name: 'Pause me' });
    expect((await call('GET', `/checks/${uuid}`)).statusCode).toBe(404);
  });

  it('shows a pinged check as up with its last ping in whole seconds, and a running one as started', async () => {
    const check = (await call('POST', '/checks/', { name: 'Pinged', timeout: 3600 })).json();
    expect((await app.inject({ method: 'POST', url: new URL(check.ping_url).pathname })).statusCode).toBe(200);
    const up = (await call('GET', `/checks/${check.uuid}`)).json();
    expect(up).toMatchObject({ status: 'up', started: false, n_pings: 1 });
    expect(up.last_ping).toMatch(HC_TIME);
    expect(up.next_ping).toMatch(HC_TIME);
    await app.inject({ method: 'POST', url: `${new URL(check.ping_url).pathname}/start` });
    const started = (await call('GET', `/checks/${check.uuid}`)).json();
    expect(started).toMatchObject({ status: 'up', started: true });
    // While a run is open, its grace starts from the start, as Healthchecks counts it.
    expect(Date.parse(started.next_ping)).toBeLessThan(Date.parse(up.next_ping));
    expect(Date.parse(started.next_ping)).toBeGreaterThanOrEqual(Date.parse(up.last_ping));
    const paused = (await call('POST', `/checks/${check.uuid}/pause`)).json();
    expect(paused).toMatchObject({ status: 'paused', started: false, next_ping: null });
  });

  it('documents every /api/v3 route in OpenAPI under its own tag', async () => {
    const { paths } = (await app.inject('/api/v1/openapi.json')).json() as { paths: Record<string, Record<string, { tags?: string[] }>> };
    const v3 = Object.entries(paths).filter(([path]) => path.startsWith('/api/v3/'));
    expect(v3.map(([path]) => path).sort()).toEqual([
      '/api/v3/badges',
      '/api/v3/channels',
      '/api/v3/checks',
      '/api/v3/checks/{code}',
      '/api/v3/checks/{code}/flips',
      '/api/v3/checks/{code}/pause',
      '/api/v3/checks/{code}/pings',
      '/api/v3/checks/{code}/pings/{n}/body',
      '/api/v3/checks/{code}/resume',
      '/api/v3/status',
    ]);
    for (const [path, operations] of v3) {
      for (const [method, operation] of Object.entries(operations))
        expect(operation.tags, `${method} ${path}`).toEqual(['Healthchecks API v3']);
    }
  });

  it("limits requests per key, answering 429 in Healthchecks' shape", async () => {
    const limited = await testApp(test.database, {}, { signInPerMinute: 1000, apiPerMinute: 2 });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await injectV3(limited, 'GET', '/checks/', rw)).statusCode);
      expect(statuses).toEqual([200, 200, 429]);
      const refused = await injectV3(limited, 'GET', '/checks/', rw);
      expect(refused.json()).toEqual({ error: expect.stringMatching(/^too many requests: retry in /) });
      // Another key of the project counts on its own.
      expect((await injectV3(limited, 'GET', '/checks/', ro)).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('answers GET /api/v3/status/ with OK, without a key', async () => {
    const response = await call('GET', '/status/', undefined, null);
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('OK');
  });
});
