import { checks, flips } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, bearer, createKey, injectApi, type Method, type Person, signUp, testApp } from './api-fixtures';

const HOUR_MS = 3_600_000;

describe.each(testDatabaseKinds())('status pages on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let owner: Person;
  let key: Record<string, string>;
  beforeAll(async () => {
    app = await testApp(test.database);
    owner = await signUp(app);
    key = bearer((await createKey(app, owner)).key);
  });
  afterAll(() => app.close());

  const pages = () => `/projects/${owner.projectId}/status-pages`;
  const call = (method: Method, url: string, payload?: object, as = owner.headers) => injectApi(app, method, url, as, payload);
  async function createCheck(name: string, tags: string[] = []) {
    const response = await call('POST', '/checks', { name, period: 3600, grace: 600, tags }, key);
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; pingCode: string };
  }
  async function createPage(payload: object) {
    const response = await call('POST', pages(), payload);
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  describe('settings API', () => {
    it('creates a page with a random slug, lists, shows, edits and deletes it', async () => {
      const check = await createCheck('backup');
      const page = await createPage({ title: 'Acme status', checks: [check.id] });
      expect(page).toEqual({
        id: expect.any(String),
        slug: expect.stringMatching(/^[0-9a-f]{16}$/),
        url: `/status/${page.slug}`,
        title: 'Acme status',
        description: '',
        checks: [check.id],
        tags: [],
        publicNames: [],
        createdAt: expect.any(String),
      });
      expect((await call('GET', pages())).json().statusPages.map((p: { id: string }) => p.id)).toContain(page.id);
      expect((await call('GET', `${pages()}/${page.id}`)).json()).toEqual(page);
      const edited = await call('PATCH', `${pages()}/${page.id}`, {
        slug: 'acme-edited',
        publicNames: [{ check: check.id, name: 'Nightly backup' }],
      });
      expect(edited.statusCode, edited.body).toBe(200);
      expect(edited.json()).toMatchObject({ slug: 'acme-edited', publicNames: [{ check: check.id, name: 'Nightly backup' }] });
      expect((await app.inject(`/status/${page.slug}`)).statusCode).toBe(404);
      expect((await app.inject('/status/acme-edited')).statusCode).toBe(200);
      expect((await call('DELETE', `${pages()}/${page.id}`)).statusCode).toBe(204);
      expect((await call('GET', `${pages()}/${page.id}`)).statusCode).toBe(404);
      expect((await app.inject('/status/acme-edited')).statusCode).toBe(404);
      expect((await app.inject('/status/acme-edited.json')).statusCode).toBe(404);
    });

    it('lets read-only members and members see the settings, only owners and admins change them', async () => {
      const page = await createPage({ title: 'Roles' });
      for (const role of ['readonly', 'member'] as const) {
        const person = await addMember(app, owner, role);
        expect((await call('GET', `${pages()}/${page.id}`, undefined, person.headers)).statusCode).toBe(200);
        const refused = await call('PATCH', `${pages()}/${page.id}`, { title: 'Mine' }, person.headers);
        expect(refused.statusCode).toBe(403);
        expect((await call('POST', pages(), { title: 'Mine' }, person.headers)).statusCode).toBe(403);
        expect((await call('DELETE', `${pages()}/${page.id}`, undefined, person.headers)).statusCode).toBe(403);
      }
      const admin = await addMember(app, owner, 'admin');
      expect((await call('PATCH', `${pages()}/${page.id}`, { title: 'By admin' }, admin.headers)).statusCode).toBe(200);
    });

    it("hides another project's pages and refuses its checks, naming the field", async () => {
      const stranger = await signUp(app);
      const theirs = await call('POST', `/projects/${stranger.projectId}/status-pages`, { title: 'Theirs' }, stranger.headers);
      expect(theirs.statusCode).toBe(201);
      expect((await call('GET', `${pages()}/${theirs.json().id}`)).statusCode).toBe(404);
      expect((await call('GET', `/projects/${stranger.projectId}/status-pages`)).statusCode).toBe(404);
      const theirCheck = await call(
        'POST',
        `/checks`,
        { name: 'x', period: 60, grace: 60 },
        { ...stranger.headers, 'x-project-id': stranger.projectId },
      );
      for (const payload of [
        { title: 'T', checks: [theirCheck.json().id] },
        { title: 'T', publicNames: [{ check: theirCheck.json().id, name: 'x' }] },
      ]) {
        const refused = await call('POST', pages(), payload);
        expect(refused.statusCode).toBe(400);
        expect(refused.json().error.message).toMatch(Object.keys(payload)[1] as string);
      }
    });

    it('refuses bad slugs and titles naming the field, and a taken slug with 409', async () => {
      for (const slug of ['A-B', 'ab', '-abc', 'abc-', 'a b c', 'x'.repeat(65), 'dot.json']) {
        const refused = await call('POST', pages(), { title: 'T', slug });
        expect(refused.statusCode, slug).toBe(400);
        expect(refused.json().error.message).toMatch(/slug/);
      }
      for (const payload of [{}, { title: '   ' }, { title: 'T', extra: 1 }, { title: 'T', checks: ['nope'] }]) {
        const refused = await call('POST', pages(), payload);
        expect(refused.statusCode, JSON.stringify(payload)).toBe(400);
      }
      await createPage({ title: 'First', slug: 'taken-slug' });
      const stranger = await signUp(app);
      const taken = await call(
        'POST',
        `/projects/${stranger.projectId}/status-pages`,
        { title: 'T', slug: 'taken-slug' },
        stranger.headers,
      );
      expect(taken.statusCode).toBe(409);
      expect(taken.json().error.message).toMatch(/slug/);
    });
  });

  describe('public page', () => {
    let slug: string;
    let shown: { id: string; pingCode: string };
    let tagged: { id: string; pingCode: string };
    beforeAll(async () => {
      shown = await createCheck('internal-db-backup-7');
      tagged = await createCheck('web frontend', ['public']);
      await createCheck('not listed', ['private']);
      const now = Date.now();
      await test.db.update(checks).set({ status: 'up' }).where(eq(checks.id, shown.id));
      await test.db
        .update(checks)
        .set({ status: 'late', createdAt: new Date(now - 3 * 24 * HOUR_MS) })
        .where(eq(checks.id, tagged.id));
      await test.db.insert(flips).values([
        { checkId: tagged.id, createdAt: new Date(now - 2 * 24 * HOUR_MS), fromStatus: 'up', toStatus: 'down', reason: 'missed' },
        {
          checkId: tagged.id,
          createdAt: new Date(now - 2 * 24 * HOUR_MS + HOUR_MS),
          fromStatus: 'down',
          toStatus: 'up',
          reason: 'success',
        },
        { checkId: tagged.id, createdAt: new Date(now - 1000), fromStatus: 'up', toStatus: 'late', reason: 'missed' },
      ]);
      const page = await createPage({
        title: 'Acme <script>alert(1)</script>',
        description: 'Our "jobs" & more',
        checks: [shown.id],
        tags: ['public'],
        publicNames: [{ check: shown.id, name: 'Backups <b>' }],
      });
      slug = page.slug;
    });

    it('answers JSON with states, 90 days of uptime and incidents, and nothing private', async () => {
      const response = await app.inject(`/status/${slug}.json`);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toMatchObject({ title: 'Acme <script>alert(1)</script>', description: 'Our "jobs" & more', state: 'degraded' });
      expect(body.checks.map((c: { name: string; state: string }) => [c.name, c.state])).toEqual([
        ['Backups <b>', 'up'],
        ['web frontend', 'degraded'],
      ]);
      const web = body.checks[1];
      expect(web.days).toHaveLength(90);
      expect(web.uptime).toBeGreaterThan(0.98);
      expect(web.uptime).toBeLessThan(1);
      expect(body.incidents).toEqual([
        { check: 'web frontend', start: expect.any(String), end: expect.any(String), durationSeconds: 3600 },
      ]);
      for (const secret of [
        shown.id,
        shown.pingCode,
        tagged.id,
        tagged.pingCode,
        owner.email,
        'internal-db-backup-7',
        'not listed',
        owner.projectId,
      ]) {
        expect(response.body).not.toContain(secret);
      }
    });

    it('shows a down check inside a maintenance window as maintenance, and a paused one as paused', async () => {
      const resting = await createCheck('resting');
      const fixing = await createCheck('fixing');
      await test.db.update(checks).set({ status: 'paused' }).where(eq(checks.id, resting.id));
      await test.db.update(checks).set({ status: 'down' }).where(eq(checks.id, fixing.id));
      const window = await call(
        'POST',
        '/maintenance-windows',
        {
          name: 'Upgrade',
          kind: 'once',
          startsAt: new Date(Date.now() - 60_000).toISOString(),
          endsAt: new Date(Date.now() + HOUR_MS).toISOString(),
          checks: [fixing.id],
        },
        key,
      );
      expect(window.statusCode, window.body).toBe(201);
      const page = await createPage({ title: 'Maintenance', checks: [resting.id, fixing.id] });
      const body = (await app.inject(`/status/${page.slug}.json`)).json();
      expect(body.checks.map((check: { name: string; state: string }) => [check.name, check.state])).toEqual([
        ['fixing', 'maintenance'],
        ['resting', 'paused'],
      ]);
      expect(body.state).toBe('maintenance');
    });

    it('orders checks by the name shown, not the internal one', async () => {
      const page = await createPage({ title: 'Order', checks: [shown.id, tagged.id], publicNames: [{ check: shown.id, name: 'zulu' }] });
      const body = (await app.inject(`/status/${page.slug}.json`)).json();
      expect(body.checks.map((check: { name: string }) => check.name)).toEqual(['web frontend', 'zulu']);
    });

    it('renders HTML without scripts, every user string escaped, styles from a file', async () => {
      const response = await app.inject(`/status/${slug}`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      expect(response.body).not.toMatch(/<script/i);
      expect(response.body).not.toContain('<b>');
      expect(response.body).toContain('Acme &#60;script&#62;alert(1)&#60;/script&#62;');
      expect(response.body).toContain('Our &#34;jobs&#34; &#38; more');
      expect(response.body).toContain('Backups &#60;b&#62;');
      expect(response.body).not.toMatch(/style=/);
      // The web check was down one hour two days ago: that day's cell is shaded, the incident listed with its duration.
      expect(response.body.match(/class="cell cell-minor"/g)?.length).toBeGreaterThanOrEqual(1);
      expect(response.body).toContain('(1 h 0 min)');
      expect(response.body).toContain('Some systems degraded');
      for (const secret of [shown.id, shown.pingCode, tagged.pingCode, owner.email, 'internal-db-backup-7']) {
        expect(response.body).not.toContain(secret);
      }
      const css = await app.inject('/status/assets/page.css');
      expect(css.statusCode).toBe(200);
      expect(css.headers['content-type']).toMatch(/text\/css/);
    });

    it('serves 100 concurrent views from one database read, with Cache-Control and ETag/304', async () => {
      const page = await createPage({ title: 'Busy', checks: [shown.id] });
      const before = app.statusPageCache.loads;
      const views = await Promise.all(Array.from({ length: 100 }, () => app.inject(`/status/${page.slug}.json`)));
      expect(app.statusPageCache.loads - before).toBe(1);
      expect(new Set(views.map((view) => view.statusCode))).toEqual(new Set([200]));
      const etag = views[0]?.headers.etag as string;
      expect(views[0]?.headers['cache-control']).toBe('public, max-age=30');
      expect(etag).toMatch(/^".+"$/);
      const again = await app.inject({ url: `/status/${page.slug}.json`, headers: { 'if-none-match': etag } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      expect(app.statusPageCache.loads - before).toBe(1);
    });

    it('answers 404 for unknown and malformed slugs, caching the miss', async () => {
      for (const url of ['/status/no-such-page', '/status/no-such-page.json', '/status/NOPE', '/status/a']) {
        expect((await app.inject(url)).statusCode, url).toBe(404);
      }
      const page = await app.inject('/status/no-such-page');
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.body).toContain('Status page not found');
      expect((await app.inject('/status/no-such-page.json')).json().error.code).toBe('CB_NOT_FOUND');
      const before = app.statusPageCache.loads;
      expect((await app.inject('/status/no-such-page')).statusCode).toBe(404);
      expect(app.statusPageCache.loads).toBe(before);
    });

    it('limits each address, so slugs cannot be guessed quickly; cached pages, other addresses and the stylesheet are not held up', async () => {
      const page = await createPage({ title: 'Popular' });
      const limited = await testApp(test.database, {}, { signInPerMinute: 1000, apiPerMinute: 10_000, statusPagePerMinute: 3 });
      try {
        const view = (url: string, remoteAddress: string) => limited.inject({ url, remoteAddress });
        // The first view reads the page, and counts for its address; the cache answers the views after it.
        expect((await view(`/status/${page.slug}`, '198.51.100.9')).statusCode).toBe(200);
        for (let i = 0; i < 3; i++) expect((await view(`/status/guess-${i}`, '198.51.100.7')).statusCode).toBe(404);
        const refused = await view('/status/guess-3.json', '198.51.100.7');
        expect(refused.statusCode).toBe(429);
        expect(refused.json().error.message).toMatch(/too many requests: retry in/);
        // A guess already answered is still a guess: the cached miss counts too.
        expect((await view('/status/guess-0', '198.51.100.7')).statusCode).toBe(429);
        expect((await view('/status/guess-3', '198.51.100.8')).statusCode).toBe(404);
        expect((await view('/status/assets/page.css', '198.51.100.7')).statusCode).toBe(200);
        // Many viewers behind one proxy: the cached page is answered to the limited address, as often as asked.
        for (let i = 0; i < 10; i++) {
          expect((await view(i % 2 ? `/status/${page.slug}` : `/status/${page.slug}.json`, '198.51.100.7')).statusCode).toBe(200);
        }
      } finally {
        await limited.close();
      }
    });
  });
});
