import { checks } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { arrayContains } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, BASE_URL, bearer, createKey, injectApi, type Method, type Person, signUp, testApp } from './api-fixtures';

describe.each(testDatabaseKinds())('checks API on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let owner: Person;
  let rw: Record<string, string>;
  let ro: Record<string, string>;
  beforeAll(async () => {
    app = await testApp(test.database);
    owner = await signUp(app);
    rw = bearer((await createKey(app, owner, 'read-write')).key);
    ro = { 'x-api-key': (await createKey(app, owner, 'read-only')).key };
  });
  afterAll(() => app.close());

  const call = (method: Method, url: string, payload?: unknown, headers = rw) => injectApi(app, method, url, headers, payload);

  it('creates a check with 201 and shows it in camelCase with ISO times and its ping URL', async () => {
    const created = await call('POST', '/checks', {
      name: 'Nightly backup',
      slug: 'nightly-backup',
      tags: ['prod', 'db'],
      cron: '0 3 * * *',
      tz: 'Europe/Berlin',
      grace: 600,
    });
    expect(created.statusCode).toBe(201);
    const check = created.json();
    expect(check).toMatchObject({
      name: 'Nightly backup',
      slug: 'nightly-backup',
      tags: ['prod', 'db'],
      period: null,
      cron: '0 3 * * *',
      tz: 'Europe/Berlin',
      grace: 600,
      maxRuntime: null,
      manualResume: false,
      alertOnLate: false,
      channels: [],
      status: 'new',
      running: false,
      lastPing: null,
      nextPing: null,
      nPings: 0,
      pingUrl: `${BASE_URL}/ping/${check.pingCode}`,
    });
    expect(check.pingCode).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(check.pingCode).not.toBe(check.id);
    expect(check.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect((await call('GET', `/checks/${check.id}`)).json()).toEqual(check);
  });

  it('accepts null for a max runtime, meaning the grace time', async () => {
    const created = await call('POST', '/checks', { name: 'No max runtime', period: 600, maxRuntime: null });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ maxRuntime: null });
  });

  it('defaults to the project schedule, and names the check after its slug', async () => {
    const check = (await call('POST', '/checks', { slug: 'defaults' })).json();
    expect(check).toMatchObject({ name: 'defaults', period: 86_400, grace: 3_600, cron: null, tz: 'UTC' });
  });

  it('filters by every tag, status, slug and a search term', async () => {
    await call('POST', '/checks', { name: 'Filter A', slug: 'filter-a', tags: ['f1', 'f2'] });
    await call('POST', '/checks', { name: 'Filter B', slug: 'filter-b', tags: ['f1'] });
    const names = async (query: string) => (await call('GET', `/checks?${query}`)).json().checks.map((c: { name: string }) => c.name);
    expect(await names('tag=f1&tag=f2')).toEqual(['Filter A']);
    expect(await names('tag=f1')).toEqual(['Filter A', 'Filter B']);
    expect(await names('slug=filter-b')).toEqual(['Filter B']);
    expect(await names('q=filter%20b')).toEqual(['Filter B']);
    expect(await names('q=%25')).toEqual([]);
    expect(await names('status=paused&tag=f1')).toEqual([]);
    const badStatus = await call('GET', '/checks?status=sleeping');
    expect(badStatus.statusCode).toBe(400);
    expect(badStatus.json().error.message).toMatch(/^query\.status: /);
  });

  describe('pages', () => {
    type Page = { checks: { name: string }[]; nextCursor: string | null };
    const page = async (query: string): Promise<Page> => {
      const response = await call('GET', `/checks?tag=paged&${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json();
    };
    /** Every name, following nextCursor from the first page of `limit`. */
    async function walk(limit: number): Promise<string[]> {
      const names: string[] = [];
      let cursor: string | null = '';
      do {
        const next: Page = await page(`limit=${limit}${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`);
        names.push(...next.checks.map((check) => check.name));
        cursor = next.nextCursor;
      } while (cursor);
      return names;
    }

    it('walks every check once in the order of the whole list, and says where the last page is', async () => {
      for (let i = 1; i <= 7; i++) await call('POST', '/checks', { name: `Paged ${i}`, tags: ['paged'] });
      const all = await page('');
      expect(all.nextCursor).toBeNull();
      expect(all.checks.map((check) => check.name)).toEqual(['Paged 1', 'Paged 2', 'Paged 3', 'Paged 4', 'Paged 5', 'Paged 6', 'Paged 7']);

      for (const limit of [1, 2, 3, 7, 1000]) expect(await walk(limit), `limit ${limit}`).toEqual(all.checks.map((check) => check.name));
      const exact = await page('limit=7');
      expect(exact.nextCursor).toBeNull();
      const first = await page('limit=3');
      expect(first.checks).toHaveLength(3);
      expect(first.nextCursor).toEqual(expect.any(String));
    });

    it('breaks ties in creation time by id, to the microsecond, and goes on past a deleted check', async () => {
      // Checks made in one transaction share their creation time; make four such.
      for (const name of ['Tied a', 'Tied b', 'Tied c', 'Tied d']) await call('POST', '/checks', { name, tags: ['paged', 'tied'] });
      await test.db
        .update(checks)
        .set({ createdAt: new Date() })
        .where(arrayContains(checks.tags, ['tied']));
      const all = (await page('')).checks.map((check) => check.name);
      expect(all.slice(-4).sort()).toEqual(['Tied a', 'Tied b', 'Tied c', 'Tied d']);
      expect(await walk(1)).toEqual(all);
      expect(await walk(2)).toEqual(all);

      const first = await page('limit=8');
      const [deleted] = (await call('GET', '/checks?tag=tied')).json().checks as { id: string; name: string }[];
      expect(first.checks.at(-1)!.name).toBe(deleted!.name);
      expect((await call('DELETE', `/checks/${deleted!.id}`)).statusCode).toBe(204);
      const rest = await page(`limit=100&after=${encodeURIComponent(first.nextCursor!)}`);
      expect(rest.checks.map((check) => check.name)).toEqual(all.slice(8));
    });

    it('refuses a limit out of range and a cursor it did not give out, with 400 naming the field', async () => {
      const refused = async (query: string) => {
        const response = await call('GET', `/checks?${query}`);
        expect(response.statusCode, query).toBe(400);
        return response.json().error.message as string;
      };
      expect(await refused('limit=0')).toMatch(/^query\.limit: /);
      expect(await refused('limit=1001')).toMatch(/^query\.limit: /);
      expect(await refused('limit=ten')).toMatch(/^query\.limit: /);
      expect(await refused('after=')).toMatch(/^query\.after: /);
      for (const forged of [
        'garbage',
        Buffer.from('2026-11-30 12:00:00+00|not-a-uuid').toString('base64url'),
        Buffer.from("x'; drop table checks; --|00000000-0000-0000-0000-000000000000").toString('base64url'),
      ]) {
        const message = await refused(`after=${encodeURIComponent(forged)}`);
        expect(message, forged).toMatch(/after/);
        expect(message, forged).toMatch(/nextCursor/);
      }
      expect((await page('')).checks.length).toBeGreaterThan(0);
    });
  });

  it('keeps reminders off by default, sets and clears them, and refuses an interval under 5 minutes or over 30 days', async () => {
    const created = await call('POST', '/checks', { name: 'Reminded', period: 600, remindEvery: 3600 });
    expect(created.json()).toMatchObject({ remindEvery: 3600 });
    const { id } = created.json();
    expect((await call('POST', '/checks', { name: 'Not reminded' })).json()).toMatchObject({ remindEvery: null });
    expect((await call('PATCH', `/checks/${id}`, { remindEvery: 86_400 })).json()).toMatchObject({ remindEvery: 86_400 });
    expect((await call('PATCH', `/checks/${id}`, { name: 'Still reminded' })).json()).toMatchObject({ remindEvery: 86_400 });
    for (const bad of [299, 2_592_001, 'hourly', 1.5]) {
      const refused = await call('PATCH', `/checks/${id}`, { remindEvery: bad });
      expect(refused.statusCode, String(bad)).toBe(400);
      expect(refused.json().error.message, String(bad)).toMatch(/remindEvery/);
    }
    expect((await call('GET', `/checks/${id}`)).json()).toMatchObject({ remindEvery: 86_400 });
    expect((await call('PATCH', `/checks/${id}`, { remindEvery: null })).json()).toMatchObject({ remindEvery: null });
  });

  it('gives a check made without saying where to alert every channel of its project, and none only when asked for []', async () => {
    const mail = (await call('POST', '/channels', { kind: 'email', name: 'Ops mail', config: { to: 'ops@example.com' } })).json().id;
    const hook = (await call('POST', '/channels', { kind: 'webhook', name: 'Hook', config: { url: 'https://hooks.example.com/x' } })).json()
      .id;
    const everywhere = (await call('POST', '/checks', { name: 'Says nothing', period: 3600 })).json();
    expect([...everywhere.channels].sort()).toEqual([mail, hook].sort());
    const nowhere = (await call('POST', '/checks', { name: 'Opts out', period: 3600, channels: [] })).json();
    expect(nowhere.channels).toEqual([]);
    const one = (await call('POST', '/checks', { name: 'One', period: 3600, channels: [mail] })).json();
    expect(one.channels).toEqual([mail]);
    // An edit that does not mention channels leaves them as they are.
    const edited = (await call('PATCH', `/checks/${nowhere.id}`, { name: 'Still nowhere' })).json();
    expect(edited.channels).toEqual([]);
    for (const id of [mail, hook]) await call('DELETE', `/channels/${id}`);
    for (const check of [everywhere, nowhere, one]) await call('DELETE', `/checks/${check.id}`);
  });

  it('alerts on late only when asked: off by default, set and cleared, and refused when not a boolean', async () => {
    const check = (await call('POST', '/checks', { name: 'Late-aware', period: 3600, alertOnLate: true })).json();
    expect(check.alertOnLate).toBe(true);
    expect((await call('GET', `/checks/${check.id}`)).json().alertOnLate).toBe(true);
    expect((await call('PATCH', `/checks/${check.id}`, { alertOnLate: false })).json().alertOnLate).toBe(false);
    const refused = await call('PATCH', `/checks/${check.id}`, { alertOnLate: 'yes' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain('alertOnLate');
    expect((await call('GET', `/checks/${check.id}`)).json().alertOnLate).toBe(false);
    await call('DELETE', `/checks/${check.id}`);
  });

  it('upserts by slug: 201 the first time, 200 and the same check after', async () => {
    const first = await call('POST', '/checks', { slug: 'upsert-me', period: 3600, unique: ['slug'] });
    expect(first.statusCode).toBe(201);
    const second = await call('POST', '/checks', { slug: 'upsert-me', period: 7200, tags: ['x'], unique: ['slug'] });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ id: first.json().id, period: 7200, tags: ['x'] });
    const noSlug = await call('POST', '/checks', { name: 'no slug', unique: ['slug'] });
    expect(noSlug.statusCode).toBe(400);
    expect(noSlug.json().error.fields).toHaveProperty('unique');
  });

  it('edits a check, switching between period and cron, and deletes it', async () => {
    const { id } = (await call('POST', '/checks', { name: 'Edit me', period: 600 })).json();
    const toCron = await call('PATCH', `/checks/${id}`, { cron: '*/5 * * * *', tz: 'America/New_York', description: 'every five' });
    expect(toCron.json()).toMatchObject({ period: null, cron: '*/5 * * * *', tz: 'America/New_York', description: 'every five' });
    const rezoned = await call('PATCH', `/checks/${id}`, { tz: 'Asia/Tokyo' });
    expect(rezoned.json()).toMatchObject({ cron: '*/5 * * * *', tz: 'Asia/Tokyo' });
    const back = await call('PATCH', `/checks/${id}`, { period: 120, maxRuntime: 300, manualResume: true });
    expect(back.json()).toMatchObject({ period: 120, cron: null, tz: 'UTC', maxRuntime: 300, manualResume: true, name: 'Edit me' });
    const cleared = await call('PATCH', `/checks/${id}`, { maxRuntime: null, slug: null });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json()).toMatchObject({ maxRuntime: null, slug: null });
    expect((await call('DELETE', `/checks/${id}`)).statusCode).toBe(204);
    expect((await call('GET', `/checks/${id}`)).statusCode).toBe(404);
    expect((await call('DELETE', `/checks/${id}`)).statusCode).toBe(404);
  });

  it('answers a slug used twice in a project with 409', async () => {
    await call('POST', '/checks', { slug: 'twice' });
    const again = await call('POST', '/checks', { slug: 'twice' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe('slug: "twice" is already used by another check in this project');
    const { id } = (await call('POST', '/checks', { slug: 'other' })).json();
    expect((await call('PATCH', `/checks/${id}`, { slug: 'twice' })).statusCode).toBe(409);
  });

  it.each([
    [{ cron: '61 * * * *' }, 'cron', /^"61 \* \* \* \*" is not a valid cron expression \(minute 61 out of range/],
    [{ cron: '* * * * *', tz: 'Mars/Olympus' }, 'tz', /^unknown time zone "Mars\/Olympus"/],
    [{ period: 10 }, 'period', /between 60 \(1 minute\) and 31536000 \(1 year\), got 10/],
    [{ period: 60, cron: '* * * * *' }, 'period', /either period or cron/],
    [{ period: 60, tz: 'UTC' }, 'tz', /only applies to cron/],
    [{ grace: 5 }, 'grace', /got 5/],
    [{ maxRuntime: 999_999_999 }, 'maxRuntime', /got 999999999/],
    [{ name: '' }, 'name', /must NOT have fewer than 1 characters/],
    [{ slug: 'Not A Slug' }, 'slug', /must match pattern/],
    [{ tags: ['has space'] }, 'tags.0', /must match pattern/],
    [{ grace: 'soon' }, 'grace', /must be integer/],
    [{ channels: ['not-a-uuid'] }, 'channels.0', /must match format "uuid"/],
    [{ gracee: 60 }, 'gracee', /^is not a known field \(known: name, slug/],
    [{ channels: ['00000000-0000-4000-8000-000000000000'] }, 'channels', /no channel 00000000-0000-4000-8000-000000000000 in this project/],
  ])('refuses %j with 400 naming %s and the rule', async (input, field, rule) => {
    const response = await call('POST', '/checks', { name: 'bad', ...input });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(Object.keys(error.fields)).toContain(field);
    expect(error.fields[field]).toMatch(rule);
    expect(error.message).toContain(`${field}: `);
  });

  it('refuses bad edits the same way and leaves the check as it was', async () => {
    const { id } = (await call('POST', '/checks', { name: 'Keep', period: 600 })).json();
    const bad = await call('PATCH', `/checks/${id}`, { cron: '61 * * * *' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('cron');
    expect((await call('PATCH', `/checks/${id}`, { tz: 'Europe/Paris' })).json().error.fields.tz).toMatch(/give cron too/);
    expect((await call('GET', `/checks/${id}`)).json()).toMatchObject({ period: 600, cron: null });
    expect((await call('GET', '/checks/not-a-uuid')).statusCode).toBe(400);
  });

  it('pauses and resumes a check, recording each flip', async () => {
    const { id } = (await call('POST', '/checks', { name: 'Pausable' })).json();
    const paused = await call('POST', `/checks/${id}/pause`);
    expect(paused.json().status).toBe('paused');
    expect((await call('POST', `/checks/${id}/pause`)).json().status).toBe('paused');
    expect((await call('POST', `/checks/${id}/resume`)).json().status).toBe('new');
    const flips = (await call('GET', `/checks/${id}/flips`)).json().flips;
    expect(flips.map((f: { from: string; to: string; reason: string }) => [f.from, f.to, f.reason])).toEqual([
      ['paused', 'new', 'resumed'],
      ['new', 'paused', 'paused'],
    ]);
  });

  it('shows read-only keys everything but ping codes, ping URLs and channel ids', async () => {
    const { id, pingCode } = (await call('POST', '/checks', { name: 'Secret URL' })).json();
    const seen = await call('GET', `/checks/${id}`, undefined, ro);
    expect(seen.json().name).toBe('Secret URL');
    expect(seen.json()).not.toHaveProperty('pingUrl');
    expect(seen.json()).not.toHaveProperty('pingCode');
    expect(seen.json()).not.toHaveProperty('channels');
    expect(seen.body).not.toContain(pingCode);
    const listed = await call('GET', '/checks', undefined, ro);
    expect(listed.json().checks.every((c: object) => !('pingUrl' in c) && !('pingCode' in c))).toBe(true);
    expect(listed.body).not.toContain(pingCode);
  });

  it('rotates a ping code: the old ping URL stops at once, the new one pings, the id never does', async () => {
    const before = (await call('POST', '/checks', { name: 'Leaked URL' })).json();
    expect((await app.inject({ url: `/ping/${before.pingCode}` })).statusCode).toBe(200); // the server now knows the check
    const rotated = await call('POST', `/checks/${before.id}/ping-code/rotate`);
    expect(rotated.statusCode).toBe(200);
    const after = rotated.json();
    expect(after).toMatchObject({ id: before.id, name: 'Leaked URL', nPings: 1, pingUrl: `${BASE_URL}/ping/${after.pingCode}` });
    expect(after.pingCode).not.toBe(before.pingCode);
    expect(await app.inject({ url: `/ping/${before.pingCode}` })).toMatchObject({ statusCode: 404, body: 'not found' });
    expect(await app.inject({ url: `/ping/${before.id}` })).toMatchObject({ statusCode: 404, body: 'not found' });
    expect((await app.inject({ url: `/ping/${after.pingCode}/fail` })).statusCode).toBe(200);
    expect((await call('GET', `/checks/${before.id}`)).json()).toMatchObject({ nPings: 2, status: 'down', pingCode: after.pingCode });
    expect((await call('POST', `/checks/${crypto.randomUUID()}/ping-code/rotate`)).statusCode).toBe(404);
  });

  it('lets admins, members and read-write keys rotate a ping code, and refuses read-only members and keys with 403', async () => {
    const { id, pingCode } = (await call('POST', '/checks', { name: 'Guarded URL' })).json();
    const readonly = await addMember(app, owner, 'readonly');
    const member = await addMember(app, owner, 'member');
    const memberView = (await injectApi(app, 'GET', `/checks/${id}`, readonly.headers)).json();
    expect(memberView).not.toHaveProperty('pingCode');
    expect(memberView).not.toHaveProperty('pingUrl');
    for (const headers of [ro, readonly.headers]) {
      const refused = await injectApi(app, 'POST', `/checks/${id}/ping-code/rotate`, headers, {});
      expect(refused.statusCode).toBe(403);
      expect(refused.body).not.toContain(pingCode);
    }
    expect((await call('GET', `/checks/${id}`)).json().pingCode).toBe(pingCode);
    const codes = new Set([pingCode]);
    for (const headers of [owner.headers, member.headers, rw]) {
      const rotated = await injectApi(app, 'POST', `/checks/${id}/ping-code/rotate`, headers, {});
      expect(rotated.statusCode).toBe(200);
      codes.add(rotated.json().pingCode);
    }
    expect(codes.size).toBe(4);
  });

  it('sums up the project by status', async () => {
    const summary = (await call('GET', '/status')).json();
    expect(summary.total).toBe((await call('GET', '/checks')).json().checks.length);
    expect(Object.keys(summary.byStatus).sort()).toEqual(['down', 'late', 'new', 'paused', 'up']);
  });

  it('previews the next times of a schedule', async () => {
    const preview = await call('POST', '/schedule/preview', { cron: '0 3 * * *', tz: 'Europe/Berlin', after: '2026-03-28T00:00:00Z' });
    expect(preview.json().times).toEqual([
      '2026-03-28T02:00:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T01:00:00.000Z',
      '2026-03-31T01:00:00.000Z',
      '2026-04-01T01:00:00.000Z',
    ]);
    const bad = await call('POST', '/schedule/preview', { cron: '61 * * * *' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.cron).toMatch(/minute 61 out of range/);
  });
});
