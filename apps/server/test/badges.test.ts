import { parseMaintenanceWindow } from '@cronbeat/core';
import { checks, createMaintenanceWindow, endMaintenanceWindow } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, BASE_URL, bearer, createKey, injectApi, type Person, signUp, testApp } from './api-fixtures';

interface Badge {
  tag: string | null;
  label: string;
  svg: string;
  json: string;
  shields: string;
}

describe.each(testDatabaseKinds())('status badges on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let owner: Person;
  let rw: Record<string, string>;
  let badges: Badge[];
  const ids: Record<string, string> = {};
  const pingCodes: Record<string, string> = {};

  beforeAll(async () => {
    app = await testApp(test.database);
    owner = await signUp(app);
    rw = bearer((await createKey(app, owner, 'read-write')).key);
    const made: [string, string[]][] = [
      ['web', ['prod']],
      ['db', ['prod', 'db']],
      ['report', ['nightly']],
      ['archive', ['cold']],
      ['markup', ['<b>&"tag"']],
    ];
    for (const [name, tags] of made) {
      const created = await injectApi(app, 'POST', '/checks', rw, { name, tags, period: 3600 });
      ids[name] = created.json().id;
      pingCodes[name] = created.json().pingCode;
    }
    // db fails (down, through a real ping); report is late; archive is paused.
    expect((await app.inject({ method: 'POST', url: `/ping/${pingCodes.db}/fail` })).statusCode).toBe(200);
    await test.db.update(checks).set({ status: 'late' }).where(eq(checks.id, ids.report!));
    expect((await injectApi(app, 'POST', `/checks/${ids.archive}/pause`, rw, {})).statusCode).toBe(200);
    badges = (await injectApi(app, 'GET', '/badges', rw)).json().badges;
  });
  afterAll(() => app.close());

  /** GET of a badge URL the API gave out, on this app. */
  const fetchBadge = (url: string, method: 'GET' | 'HEAD' = 'GET') => app.inject({ method, url: url.slice(BASE_URL.length) });
  const badgeOf = (tag: string | null) => badges.find((badge) => badge.tag === tag)!;
  const stateOf = async (tag: string | null) => (await fetchBadge(badgeOf(tag).json)).json();

  it('lists one badge for the project and one per tag in use, behind a key that is not the ping key', async () => {
    expect(badges.map((badge) => badge.tag)).toEqual([null, '<b>&"tag"', 'cold', 'db', 'nightly', 'prod']);
    const project = badgeOf(null);
    const key = /^http:\/\/cronbeat\.test\/badge\/([0-9a-f]{32})\.svg$/.exec(project.svg)?.[1];
    expect(key).toBeDefined();
    expect(badgeOf('prod')).toMatchObject({
      label: 'prod',
      svg: `${BASE_URL}/badge/${key}/prod.svg`,
      json: `${BASE_URL}/badge/${key}/prod.json`,
      shields: `${BASE_URL}/badge/${key}/prod.shields`,
    });
    expect(badgeOf('<b>&"tag"').svg).toBe(`${BASE_URL}/badge/${key}/${encodeURIComponent('<b>&"tag"')}.svg`);
    const projects = (await app.inject({ method: 'GET', url: '/api/v1/projects', headers: owner.headers })).json().projects;
    expect(projects[0].pingKey).not.toBe(key);
    // A badge key pings nothing.
    expect((await app.inject({ method: 'GET', url: `/ping/${key}/web` })).statusCode).toBe(404);
    // A read-only key may see the badges too.
    const ro = { 'x-api-key': (await createKey(app, owner, 'read-only')).key };
    expect((await injectApi(app, 'GET', '/badges', ro)).json().badges).toEqual(badges);
  });

  it('says down while any check is down, else late while any is late, else up; paused and new count as up', async () => {
    expect(await stateOf(null)).toEqual({ status: 'down', total: 5, down: 1, late: 1 });
    expect(await stateOf('prod')).toEqual({ status: 'down', total: 2, down: 1, late: 0 });
    expect(await stateOf('nightly')).toEqual({ status: 'late', total: 1, down: 0, late: 1 });
    expect(await stateOf('cold')).toEqual({ status: 'up', total: 1, down: 0, late: 0 });

    expect((await app.inject({ method: 'POST', url: `/ping/${pingCodes.db}` })).statusCode).toBe(200);
    expect(await stateOf('prod')).toEqual({ status: 'up', total: 2, down: 0, late: 0 });
    expect(await stateOf(null)).toMatchObject({ status: 'late' });
  });

  it('draws an SVG with the label escaped and the state in words and colour, fetched afresh by image proxies', async () => {
    const svg = await fetchBadge(badgeOf('nightly').svg);
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(svg.headers['cache-control']).toBe('no-cache, max-age=0');
    expect(svg.headers['access-control-allow-origin']).toBe('*');
    expect(svg.body).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="20"/);
    expect(svg.body).toContain('aria-label="nightly: late"');
    expect(svg.body).toContain('fill="#dfb317"');

    const markup = (await fetchBadge(badgeOf('<b>&"tag"').svg)).body;
    expect(markup).toContain('&lt;b&gt;&amp;&quot;tag&quot;: up');
    expect(markup).not.toContain('<b>');

    const head = await fetchBadge(badgeOf('nightly').svg, 'HEAD');
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
  });

  it('serves a shields.io endpoint', async () => {
    const shields = await fetchBadge(badgeOf('nightly').shields);
    expect(shields.json()).toEqual({ schemaVersion: 1, label: 'nightly', message: 'late', color: 'yellow' });
  });

  it('says "no checks" for a tag nobody uses, and shows no other project', async () => {
    const unused = badgeOf('prod').json.replace('/prod.json', '/typo.json');
    expect((await fetchBadge(unused)).json()).toEqual({ status: 'none', total: 0, down: 0, late: 0 });
    expect((await fetchBadge(unused.replace('.json', '.svg'))).body).toContain('typo: no checks');

    const other = await signUp(app);
    const otherBadges: Badge[] = (await app.inject({ method: 'GET', url: '/api/v1/badges', headers: other.headers })).json().badges;
    expect(otherBadges.map((badge) => badge.tag)).toEqual([null]);
    expect(otherBadges[0]!.svg).not.toBe(badgeOf(null).svg);
    expect((await fetchBadge(otherBadges[0]!.json)).json()).toEqual({ status: 'none', total: 0, down: 0, late: 0 });
  });

  it('answers an unknown key with 404 and a URL without a known format with 400 saying so', async () => {
    const key = /\/badge\/([0-9a-f]{32})\.svg$/.exec(badgeOf(null).svg)![1]!;
    for (const url of [
      `/badge/${'0'.repeat(32)}.svg`,
      `/badge/${'0'.repeat(32)}/prod.svg`,
      '/badge/not-a-key.svg',
      `/badge/${key.toUpperCase()}.svg`,
    ]) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.message, url).toBe('Badge not found');
    }
    for (const url of [`/badge/${key}.png`, `/badge/${key}`, `/badge/${key}/prod`, `/badge/${key}/.svg`]) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error.message, url).toMatch(/ends in \.svg, \.json or \.shields/);
    }
    expect((await app.inject({ method: 'POST', url: `/badge/${key}.svg` })).statusCode).toBe(404);
  });

  it('rotates the badge key for admins only: the old addresses answer 404, the new ones work', async () => {
    const rotate = (headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: `/api/v1/projects/${owner.projectId}/badge-key`, headers, payload: {} });
    const reader = await addMember(app, owner, 'readonly');
    expect((await rotate(reader.headers)).statusCode).toBe(403);
    expect((await rotate(rw)).statusCode).toBe(403);
    expect((await fetchBadge(badgeOf(null).svg)).statusCode).toBe(200);

    expect((await rotate(owner.headers)).statusCode).toBe(204);
    expect((await fetchBadge(badgeOf(null).svg)).statusCode).toBe(404);
    expect((await fetchBadge(badgeOf('prod').json)).statusCode).toBe(404);
    const rotated: Badge[] = (await injectApi(app, 'GET', '/badges', rw)).json().badges;
    expect(rotated[0]!.svg).not.toBe(badgeOf(null).svg);
    expect((await fetchBadge(rotated.find((badge) => badge.tag === 'prod')!.json)).json()).toMatchObject({ total: 2 });
  });

  it('says maintenance while the only checks failing are inside a maintenance window, and down again once it ends', async () => {
    badges = (await injectApi(app, 'GET', '/badges', rw)).json().badges;
    expect((await app.inject({ method: 'POST', url: `/ping/${pingCodes.db}/fail` })).statusCode).toBe(200);
    expect(await stateOf('db')).toMatchObject({ status: 'down' });
    const window = await createMaintenanceWindow(
      test.db,
      owner.projectId,
      parseMaintenanceWindow({
        name: 'Database upgrade',
        kind: 'once',
        startsAt: new Date(Date.now() - 60_000),
        endsAt: new Date(Date.now() + 3_600_000),
        coverage: { kind: 'tags', tags: ['db'] },
      }),
    );
    expect(await stateOf('db')).toEqual({ status: 'maintenance', total: 1, down: 1, late: 0 });
    expect(await stateOf('prod')).toMatchObject({ status: 'maintenance' });
    expect((await fetchBadge(badgeOf('db').svg)).body).toContain('maintenance');
    expect((await fetchBadge(badgeOf('db').shields)).json()).toMatchObject({ message: 'maintenance', color: 'blue' });
    // A failing check outside the window still says so.
    expect(await stateOf('nightly')).toMatchObject({ status: 'late' });
    await endMaintenanceWindow(test.db, owner.projectId, window.id, new Date());
    expect(await stateOf('db')).toMatchObject({ status: 'down' });
  });

  it('serves one check’s badge by slug or by id, in every format, without taking a tag named "check" for it', async () => {
    const made = await injectApi(app, 'POST', '/checks', rw, {
      name: 'Nightly <export>',
      slug: 'nightly-export',
      tags: ['check'],
      period: 3600,
    });
    const id = made.json().id as string;
    badges = (await injectApi(app, 'GET', '/badges', rw)).json().badges;
    const key = /\/badge\/([0-9a-f]{32})\.svg$/.exec(badgeOf(null).svg)![1]!;
    const one = (await injectApi(app, 'GET', `/checks/${id}/badge`, rw)).json();
    const path = `${BASE_URL}/badge/${key}/check/nightly-export`;
    expect(one).toEqual({ checkId: id, label: 'Nightly <export>', svg: `${path}.svg`, json: `${path}.json`, shields: `${path}.shields` });
    // Never pinged: new, not up, though the tag's badge counts it as up.
    expect((await fetchBadge(one.json)).json()).toEqual({ status: 'new', total: 1, down: 0, late: 0 });
    expect((await fetchBadge(one.shields)).json()).toEqual({
      schemaVersion: 1,
      label: 'Nightly <export>',
      message: 'new',
      color: 'lightgrey',
    });
    expect((await fetchBadge(one.svg)).body).toContain('aria-label="Nightly &lt;export&gt;: new"');
    expect((await fetchBadge(badgeOf('check').json)).json()).toMatchObject({ status: 'up', total: 1 });
    expect((await app.inject({ method: 'POST', url: `/ping/${made.json().pingCode}` })).statusCode).toBe(200);
    expect((await fetchBadge(one.json)).json()).toEqual({ status: 'up', total: 1, down: 0, late: 0 });
    const svg = await fetchBadge(one.svg);
    expect(svg.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(svg.headers['cache-control']).toBe('no-cache, max-age=0');
    expect(svg.body).toContain('aria-label="Nightly &lt;export&gt;: up"');
    expect((await fetchBadge(one.shields)).json()).toEqual({
      schemaVersion: 1,
      label: 'Nightly <export>',
      message: 'up',
      color: 'brightgreen',
    });
    // By id as well; and the tag named "check" keeps its own two-segment badge.
    expect((await app.inject({ method: 'GET', url: `/badge/${key}/check/${id}.json` })).json()).toMatchObject({ status: 'up', total: 1 });
    expect(badgeOf('check').svg).toBe(`${BASE_URL}/badge/${key}/check.svg`);
    expect((await fetchBadge(badgeOf('check').json)).json()).toMatchObject({ total: 1 });

    // A paused check says paused; its tag's badge and the project's count it as up, as before.
    const archive = (await injectApi(app, 'GET', `/checks/${ids.archive}/badge`, rw)).json();
    expect((await fetchBadge(archive.json)).json()).toEqual({ status: 'paused', total: 1, down: 0, late: 0 });
    expect((await fetchBadge(archive.shields)).json()).toMatchObject({ message: 'paused', color: 'lightgrey' });
    expect((await fetchBadge(archive.svg)).body).toContain('aria-label="archive: paused"');
    expect(await stateOf('cold')).toMatchObject({ status: 'up', total: 1 });

    // A failing check's badge says so, and maintenance while a window covers it.
    expect((await app.inject({ method: 'POST', url: `/ping/${pingCodes.web}/fail` })).statusCode).toBe(200);
    const web = (await injectApi(app, 'GET', `/checks/${ids.web}/badge`, rw)).json();
    expect(web.label).toBe('web');
    expect((await fetchBadge(web.json)).json()).toEqual({ status: 'down', total: 1, down: 1, late: 0 });
    const window = await createMaintenanceWindow(
      test.db,
      owner.projectId,
      parseMaintenanceWindow({
        name: 'Web deploy',
        kind: 'once',
        startsAt: new Date(Date.now() - 60_000),
        endsAt: new Date(Date.now() + 3_600_000),
        coverage: { kind: 'tags', tags: ['prod'] },
      }),
    );
    expect((await fetchBadge(web.json)).json()).toEqual({ status: 'maintenance', total: 1, down: 1, late: 0 });
    await endMaintenanceWindow(test.db, owner.projectId, window.id, new Date());

    // Nothing of another project by this key, nor through the API; bad addresses say what is wrong.
    const other = await signUp(app);
    const theirs = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/checks',
        headers: { ...other.headers, origin: BASE_URL },
        payload: { name: 'theirs', slug: 'theirs', period: 60 },
      })
    ).json();
    for (const url of [
      `/badge/${key}/check/theirs.svg`,
      `/badge/${key}/check/${theirs.id}.json`,
      `/badge/${key}/check/nope.svg`,
      `/badge/${'0'.repeat(32)}/check/nightly-export.svg`,
    ]) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.message, url).toBe('Badge not found');
    }
    expect((await injectApi(app, 'GET', `/checks/${theirs.id}/badge`, rw)).statusCode).toBe(404);
    expect((await injectApi(app, 'GET', '/checks/not-a-uuid/badge', rw)).statusCode).toBe(400);
    const badFormat = await app.inject({ method: 'GET', url: `/badge/${key}/check/nightly-export.png` });
    expect(badFormat.statusCode).toBe(400);
    expect(badFormat.json().error.message).toMatch(/ends in \.svg, \.json or \.shields/);
  });
});
