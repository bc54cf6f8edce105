import { channels as channelsTable, checkChannels, checks } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, injectApi, type Person, signUp, testApp } from './api-fixtures';

/** `?create=1`: what it refuses, how many it may make, how fast, and which channels its checks alert. */
describe.each(testDatabaseKinds())('checks made by ?create=1 pings on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testApp(test.database);
  });
  afterAll(() => app.close());

  /** A new person's project, its ping key, and two channels in it. */
  async function aProject(): Promise<{ owner: Person; pingKey: string; channelIds: string[] }> {
    const owner = await signUp(app);
    const { pingKey } = (await injectApi(app, 'GET', `/projects/${owner.projectId}`, owner.headers)).json();
    const made = await test.db
      .insert(channelsTable)
      .values([
        { projectId: owner.projectId, kind: 'email', name: 'ops', config: { to: 'ops@example.com' } },
        { projectId: owner.projectId, kind: 'webhook', name: 'hook', config: { url: 'https://hooks.example.com/' } },
      ])
      .returning();
    return { owner, pingKey, channelIds: made.map((channel) => channel.id).sort() };
  }
  const create = (pingKey: string, slug: string) => app.inject({ url: `/ping/${pingKey}/${encodeURIComponent(slug)}?create=1` });
  const checksOf = (projectId: string) => test.db.select().from(checks).where(eq(checks.projectId, projectId));
  const settings = (owner: Person, patch: Record<string, unknown>) =>
    injectApi(app, 'PATCH', `/projects/${owner.projectId}`, owner.headers, patch);

  it.each([
    ['a path', '../../etc/passwd'],
    ['an emoji', '💥'],
    ['a header injection', 'a\r\nSet-Cookie:x'],
    ['capitals', 'Nightly'],
    ['a dot', 'backup.sh'],
    ['a space', 'nightly backup'],
  ])('refuses a slug the API would refuse (%s) with 400 and a message, creating nothing', async (_what, slug) => {
    const { owner, pingKey } = await aProject();
    const response = await create(pingKey, slug);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body).toMatch(/^slug must be 1 to 100 of a-z, 0-9, - and _; got "/);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(await checksOf(owner.projectId)).toHaveLength(0);
    // The same slug through the API is refused too: one rule.
    expect((await injectApi(app, 'POST', '/checks', owner.headers, { slug })).statusCode).toBe(400);
  });

  it.each(['-x', '_x', 'x-', '0', 'a_b-c', 'z'.repeat(100)])(
    "creates %s: Healthchecks' slug rule is a-z, 0-9, - and _ in any order, and the API takes it too",
    async (slug) => {
      const { owner, pingKey } = await aProject();
      expect(await create(pingKey, slug)).toMatchObject({ statusCode: 201, body: 'Created' });
      expect((await checksOf(owner.projectId)).map((check) => check.slug)).toEqual([slug]);
      expect(
        (await injectApi(app, 'PATCH', `/checks/${(await checksOf(owner.projectId))[0]!.id}`, owner.headers, { slug })).statusCode,
      ).toBe(200);
    },
  );

  it('creates no check for a slug longer than 100 characters, which no check can have', async () => {
    const { owner, pingKey } = await aProject();
    // Longer than the router's longest path segment, so no ping route even matches: 404.
    expect((await create(pingKey, 'z'.repeat(101))).statusCode).toBe(404);
    expect(await checksOf(owner.projectId)).toHaveLength(0);
  });

  it('makes checks up to the project limit, then answers 403 saying so, while the API and existing slugs go on', async () => {
    const { owner, pingKey } = await aProject();
    expect((await injectApi(app, 'GET', `/projects/${owner.projectId}`, owner.headers)).json()).toMatchObject({
      autoCreateLimit: 1000,
      autoCreateAttachChannels: true,
    });
    expect((await settings(owner, { autoCreateLimit: 2 })).json()).toMatchObject({ autoCreateLimit: 2 });
    // Checks made in the API do not count against the limit.
    expect((await injectApi(app, 'POST', '/checks', owner.headers, { slug: 'by-api' })).statusCode).toBe(201);

    expect((await create(pingKey, 'one')).statusCode).toBe(201);
    expect((await create(pingKey, 'two')).statusCode).toBe(201);
    const refused = await create(pingKey, 'three');
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toBe(
      "this project already has 2 checks made by ?create=1, its limit: create the check in the dashboard or the API, or raise the limit in the project's settings",
    );
    expect((await checksOf(owner.projectId)).map((check) => check.slug).sort()).toEqual(['by-api', 'one', 'two']);

    expect(await create(pingKey, 'one')).toMatchObject({ statusCode: 200, body: 'OK' }); // pings to existing slugs go on
    expect((await injectApi(app, 'POST', '/checks', owner.headers, { slug: 'three' })).statusCode).toBe(201); // the API is not limited
    expect(await create(pingKey, 'three')).toMatchObject({ statusCode: 200, body: 'OK' });

    expect((await settings(owner, { autoCreateLimit: 3 })).statusCode).toBe(200);
    expect((await create(pingKey, 'four')).statusCode).toBe(201);
    expect((await create(pingKey, 'five')).statusCode).toBe(403);
    expect((await settings(owner, { autoCreateLimit: 0 })).statusCode).toBe(200);
    await test.db.delete(checks).where(and(eq(checks.projectId, owner.projectId), eq(checks.slug, 'four')));
    expect(await create(pingKey, 'four')).toMatchObject({
      statusCode: 403,
      body: "this project does not let ?create=1 make checks (its limit is 0): create the check in the dashboard or the API, or raise the limit in the project's settings",
    });
  });

  it('holds the limit when many new slugs arrive at once', async () => {
    const { owner, pingKey } = await aProject();
    await settings(owner, { autoCreateLimit: 5 });
    const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => create(pingKey, `burst-${i}`)));
    expect(responses.filter((r) => r.statusCode === 201)).toHaveLength(5);
    expect(responses.filter((r) => r.statusCode === 403)).toHaveLength(7);
    expect(await checksOf(owner.projectId)).toHaveLength(5);
  });

  it('makes at most 60 checks a minute per ping key, then answers 429 with Retry-After; other keys and existing slugs are not held up', async () => {
    const first = await aProject();
    const second = await aProject();
    // The bucket refills one a second, so a slow machine gets a few more than 60 before the first 429.
    const began = Date.now();
    let made = 0;
    let limited: Awaited<ReturnType<typeof create>> | undefined;
    while (!limited && made < 200) {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => create(first.pingKey, `job-${made + i}`)));
      for (const answer of answers) {
        if (answer.statusCode === 201) made += 1;
        else if (answer.statusCode === 429) limited ??= answer;
        else throw new Error(`unexpected ${answer.statusCode} ${answer.body}`);
      }
    }
    const refills = Math.ceil((Date.now() - began) / 1000);
    expect(made).toBeGreaterThanOrEqual(60);
    expect(made).toBeLessThanOrEqual(60 + refills);
    expect(limited?.statusCode).toBe(429);
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited?.body).toMatch(/^too many checks created with this ping key \(at most 60 a minute\); try again in \d+ s$/);
    expect(await checksOf(first.owner.projectId)).toHaveLength(made);

    expect(await create(first.pingKey, 'job-0')).toMatchObject({ statusCode: 200, body: 'OK' });
    expect((await create(second.pingKey, 'job-0')).statusCode).toBe(201);
  });

  it('attaches every channel of the project to a check it makes, or none once the project says so', async () => {
    const { owner, pingKey, channelIds } = await aProject();
    const channelsOf = async (slug: string) => {
      const [check] = await test.db
        .select()
        .from(checks)
        .where(and(eq(checks.projectId, owner.projectId), eq(checks.slug, slug)));
      return (await test.db.select().from(checkChannels).where(eq(checkChannels.checkId, check!.id))).map((row) => row.channelId).sort();
    };
    expect((await create(pingKey, 'alerting')).statusCode).toBe(201);
    expect(await channelsOf('alerting')).toEqual(channelIds);

    expect((await settings(owner, { autoCreateAttachChannels: false })).json()).toMatchObject({ autoCreateAttachChannels: false });
    expect((await create(pingKey, 'quiet')).statusCode).toBe(201);
    expect(await channelsOf('quiet')).toEqual([]);

    expect((await settings(owner, { autoCreateAttachChannels: true })).statusCode).toBe(200);
    expect((await create(pingKey, 'alerting-again')).statusCode).toBe(201);
    expect(await channelsOf('alerting-again')).toEqual(channelIds);
  });

  it('lets only admins change what ?create=1 may do, within bounds', async () => {
    const { owner } = await aProject();
    const member = await addMember(app, owner, 'member');
    expect((await settings(member, { autoCreateLimit: 5 })).statusCode).toBe(403);
    expect((await settings(owner, { autoCreateLimit: -1 })).statusCode).toBe(400);
    expect((await settings(owner, { autoCreateAttachChannels: 'yes' })).statusCode).toBe(400);
    const seen = (await injectApi(app, 'GET', `/projects/${owner.projectId}`, member.headers)).json();
    expect(seen).toMatchObject({ autoCreateLimit: 1000, autoCreateAttachChannels: true });
  });
});
