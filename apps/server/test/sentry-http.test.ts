import { deflateSync, gzipSync } from 'node:zlib';
import { checks, pings } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectApi, type Person, signUp, testApp } from './api-fixtures';

/** An envelope as SDKs write it: a header line, then each item's header line and payload. */
const envelope = (...items: Array<[Record<string, unknown>, unknown]>) =>
  [
    JSON.stringify({ sent_at: new Date().toISOString() }),
    ...items.flatMap(([header, payload]) => [JSON.stringify(header), JSON.stringify(payload)]),
  ].join('\n');
const checkIn = (fields: Record<string, unknown>): [Record<string, unknown>, unknown] => [{ type: 'check_in' }, fields];
const HOURLY = { schedule: { type: 'crontab', value: '0 * * * *' } };

/** Envelopes and Sentry's HTTP check-in form as curl and hand-written clients send them: auth, encodings, malformed input. */
describe.each(testDatabaseKinds())('Sentry envelopes and HTTP check-ins on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testApp(test.database);
  });
  afterAll(() => app.close());

  async function aProject(): Promise<{ owner: Person; ref: string; key: string }> {
    const owner = await signUp(app);
    const dsn = new URL((await injectApi(app, 'GET', `/projects/${owner.projectId}`, owner.headers)).json().sentryDsn);
    return { owner, ref: dsn.pathname.slice(1), key: dsn.username };
  }
  const post = (ref: string, body: string | Buffer, headers: Record<string, string> = {}, query = '') =>
    app.inject({ method: 'POST', url: `/api/${ref}/envelope/${query}`, payload: body, headers });
  const checkOf = async (projectId: string, slug: string) =>
    (
      await test.db
        .select()
        .from(checks)
        .where(and(eq(checks.projectId, projectId), eq(checks.slug, slug)))
    )[0];
  const pingsOf = (checkId: string) => test.db.select().from(pings).where(eq(pings.checkId, checkId)).orderBy(asc(pings.n));
  const countChecks = async (projectId: string) => (await test.db.select().from(checks).where(eq(checks.projectId, projectId))).length;

  it('takes the key from X-Sentry-Auth, Authorization or ?sentry_key=, and answers as relay does', async () => {
    const { owner, ref, key } = await aProject();
    const body = envelope(checkIn({ monitor_slug: 'job', status: 'ok', monitor_config: HOURLY }));
    const auth = `Sentry sentry_version=7, sentry_client=curl/8, sentry_key=${key}`;
    const viaHeader = await post(ref, body, { 'x-sentry-auth': auth });
    expect(viaHeader.statusCode).toBe(200);
    expect(viaHeader.json()).toEqual({});
    expect((await post(ref, body, { authorization: auth })).statusCode).toBe(200);
    const withEvent = `${JSON.stringify({ event_id: '9ec79c33ec9942ab8353589fcb2e04dc' })}\n${JSON.stringify({ type: 'event' })}\n{}`;
    const viaQuery = await post(ref, withEvent, { 'content-type': 'application/x-sentry-envelope' }, `?sentry_key=${key}`);
    expect(viaQuery.statusCode).toBe(200);
    expect(viaQuery.json()).toEqual({ id: '9ec79c33ec9942ab8353589fcb2e04dc' });
    const check = (await checkOf(owner.projectId, 'job'))!;
    expect((await pingsOf(check.id)).map((ping) => ping.kind)).toEqual(['success', 'success']);
  });

  it('refuses a missing key (401), a wrong key or another project’s (403), a reference that is no number (400)', async () => {
    const { owner, ref, key } = await aProject();
    const other = await aProject();
    const body = envelope(checkIn({ monitor_slug: 'job', status: 'ok', monitor_config: HOURLY }));
    const missing = await post(ref, body);
    expect(missing.statusCode).toBe(401);
    expect(missing.json().detail).toMatch(/missing sentry_key/);
    for (const wrong of ['0'.repeat(32), other.key, 'a-b', '']) {
      const response = await post(ref, body, {}, `?sentry_key=${wrong}`);
      expect(response.statusCode, wrong).toBe(wrong === '' ? 401 : 403);
    }
    expect((await post(other.ref, body, {}, `?sentry_key=${key}`)).statusCode).toBe(403);
    expect((await post('99999999999999999999', body, {}, `?sentry_key=${key}`)).statusCode).toBe(400);
    const named = await post('my-project', body, {}, `?sentry_key=${key}`);
    expect(named.statusCode).toBe(400);
    expect(named.json().detail).toMatch(/the project in the URL must be the digits of a Sentry DSN/);
    expect(await countChecks(owner.projectId)).toBe(0);
    expect(await countChecks(other.owner.projectId)).toBe(0);
  });

  it('reads gzip, deflate (zlib or raw) and br bodies; refuses an unknown encoding, broken data and a bomb', async () => {
    const { owner, ref, key } = await aProject();
    const body = Buffer.from(envelope(checkIn({ monitor_slug: 'zipped', status: 'ok', monitor_config: HOURLY })));
    const q = `?sentry_key=${key}`;
    expect((await post(ref, gzipSync(body), { 'content-encoding': 'gzip' }, q)).statusCode).toBe(200);
    expect((await post(ref, deflateSync(body), { 'content-encoding': 'deflate' }, q)).statusCode).toBe(200);
    const { deflateRawSync, brotliCompressSync } = await import('node:zlib');
    expect((await post(ref, deflateRawSync(body), { 'content-encoding': 'deflate' }, q)).statusCode).toBe(200);
    expect((await post(ref, brotliCompressSync(body), { 'content-encoding': 'br' }, q)).statusCode).toBe(200);
    const check = (await checkOf(owner.projectId, 'zipped'))!;
    expect(await pingsOf(check.id)).toHaveLength(4);

    const unknown = await post(ref, body, { 'content-encoding': 'zstd' }, q);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().detail).toMatch(/Content-Encoding "zstd" is not supported/);
    const broken = await post(ref, body, { 'content-encoding': 'gzip' }, q);
    expect(broken.statusCode).toBe(400);
    expect(broken.json().detail).toBe('the body is not valid gzip data');
    // 5 MB of zeros gzip to a few KB: decompressing stops at the limit.
    const bomb = await post(ref, gzipSync(Buffer.alloc(5 * 1024 * 1024)), { 'content-encoding': 'gzip' }, q);
    expect(bomb.statusCode).toBe(413);
    const large = await post(ref, Buffer.alloc(2 * 1024 * 1024, 0x20), {}, q);
    expect(large.statusCode).toBe(413);
  });

  it.each([
    ['an empty body', '', /the body is empty/],
    ['a header that is not JSON', 'not json\n{}', /envelope header is not JSON/],
    ['a header that is an array', '[1]\n', /envelope header must be a JSON object/],
    ['an item header without a type', '{}\n{"length":2}\n{}', /item 1 has no type/],
    ['a length past the end', '{}\n{"type":"attachment","length":50}\nabc', /says it is 50 bytes long/],
    ['a negative length', '{}\n{"type":"attachment","length":-1}\n', /length must be a whole number of bytes/],
    ['a length not followed by a newline', '{}\n{"type":"attachment","length":2}\nabc', /a newline must follow its 2 bytes/],
    ['a check-in that is not JSON', '{}\n{"type":"check_in"}\n{oops', /check-in 1 is not JSON/],
    [
      'a check-in with an unknown status',
      envelope(checkIn({ monitor_slug: 'x', status: 'done' })),
      /invalid check-in: status: must be in_progress, ok or error/,
    ],
    ['a check-in without a monitor', envelope(checkIn({ status: 'ok' })), /invalid check-in: monitor_slug: is required/],
    ['a check-in with a bad id', envelope(checkIn({ monitor_slug: 'x', status: 'ok', check_in_id: '42' })), /check_in_id: must be a UUID/],
    [
      'a monitor_config with a bad crontab',
      envelope(checkIn({ monitor_slug: 'x', status: 'ok', monitor_config: { schedule: { type: 'crontab', value: '61 * * * *' } } })),
      /invalid check-in: monitor_config.schedule.value: /,
    ],
    [
      'a monitor_config with an unknown zone',
      envelope(checkIn({ monitor_slug: 'x', status: 'ok', monitor_config: { ...HOURLY, timezone: 'Europe/Atlantis' } })),
      /monitor_config.timezone: unknown time zone/,
    ],
  ])('answers %s with 400 and says what is wrong, recording nothing', async (_what, body, detail) => {
    const { owner, ref, key } = await aProject();
    const answer = await post(ref, body, {}, `?sentry_key=${key}`);
    expect(answer.statusCode).toBe(400);
    expect(answer.json().detail).toMatch(detail);
    expect(await countChecks(owner.projectId)).toBe(0);
  });

  it('records none of an envelope with one bad check-in, even those before it', async () => {
    const { owner, ref, key } = await aProject();
    const body = envelope(
      checkIn({ monitor_slug: 'good', status: 'ok', monitor_config: HOURLY }),
      checkIn({ monitor_slug: 'bad', status: 'finished' }),
    );
    expect((await post(ref, body, {}, `?sentry_key=${key}`)).statusCode).toBe(400);
    expect(await countChecks(owner.projectId)).toBe(0);
  });

  it('drops a check-in for a monitor no check stands for when it brings no monitor_config, as Sentry does', async () => {
    const { owner, ref, key } = await aProject();
    const response = await post(ref, envelope(checkIn({ monitor_slug: 'unknown', status: 'ok' })), {}, `?sentry_key=${key}`);
    expect(response.statusCode).toBe(200);
    expect(await countChecks(owner.projectId)).toBe(0);
  });

  it('an ok that overtakes the in_progress whose monitor_config makes its check is still recorded, after it', async () => {
    const { owner, ref, key } = await aProject();
    const id = '5f0c1e2d3b4a49c8a7e6d5c4b3a29180';
    const send = (fields: Record<string, unknown>) =>
      post(ref, envelope(checkIn({ monitor_slug: 'quick', check_in_id: id, ...fields })), {}, `?sentry_key=${key}`);
    const ok = send({ status: 'ok' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const start = send({ status: 'in_progress', monitor_config: HOURLY });
    expect((await Promise.all([ok, start])).map((response) => response.statusCode)).toEqual([200, 200]);
    const check = (await checkOf(owner.projectId, 'quick'))!;
    expect((await pingsOf(check.id)).map((ping) => ping.kind)).toEqual(['start', 'success']);
  });

  it('an in_progress that comes after its own ok is no new run, so no run is left open to fail', async () => {
    const { owner, ref, key } = await aProject();
    const q = `?sentry_key=${key}`;
    expect((await post(ref, envelope(checkIn({ monitor_slug: 'instant', status: 'ok', monitor_config: HOURLY })), {}, q)).statusCode).toBe(
      200,
    );
    const id = '7d8e9fa0b1c24d3e8f9a0b1c2d3e4f50';
    const send = (status: string) => post(ref, envelope(checkIn({ monitor_slug: 'instant', status, check_in_id: id })), {}, q);
    expect((await send('ok')).statusCode).toBe(200);
    expect((await send('in_progress')).statusCode).toBe(200);
    const check = (await checkOf(owner.projectId, 'instant'))!;
    expect((await pingsOf(check.id)).map((ping) => ping.kind)).toEqual(['success', 'success']);
    expect(check.lastStartRid).toBeNull();
    // In the usual order the same id opens and closes a run.
    const other = '8e9fa0b1c2d34e4f9a0b1c2d3e4f5061';
    const sendOther = (status: string) => post(ref, envelope(checkIn({ monitor_slug: 'instant', status, check_in_id: other })), {}, q);
    expect((await sendOther('in_progress')).statusCode).toBe(200);
    expect((await sendOther('ok')).statusCode).toBe(200);
    expect((await pingsOf(check.id)).map((ping) => ping.kind)).toEqual(['success', 'success', 'start', 'success']);
  });

  it("HTTP form, as Sentry's docs curl it: in_progress then ok with a check_in_id, environment, 202", async () => {
    const { owner, ref, key } = await aProject();
    const url = `/api/${ref}/cron/db-backup/${key}/`;
    // Created by a JSON body with monitor_config, as Sentry's docs show.
    const created = await app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: { status: 'ok', monitor_config: { schedule: { type: 'interval', value: 30, unit: 'minute' }, checkin_margin: 2 } },
    });
    expect(created.statusCode).toBe(202);
    const id = 'b5d2a9e7-2f1c-4d3e-9a8b-7c6d5e4f3a2b';
    expect((await app.inject({ url: `${url}?status=in_progress&check_in_id=${id}` })).statusCode).toBe(202);
    expect((await app.inject({ url: `${url}?status=ok&check_in_id=${id}&duration=1.5` })).statusCode).toBe(202);
    // A lone end with a duration (no in_progress pairs with it): the run's duration is the one sent.
    expect((await app.inject({ url: `${url}?status=ok&duration=2.5` })).statusCode).toBe(202);
    // Without the trailing slash too.
    expect((await app.inject({ url: `${url.slice(0, -1)}?status=error` })).statusCode).toBe(202);
    const check = (await checkOf(owner.projectId, 'db-backup'))!;
    expect(check).toMatchObject({ period: 1800, grace: 120 });
    expect((await pingsOf(check.id)).map((ping) => [ping.kind, ping.rid])).toEqual([
      ['success', null],
      ['start', id],
      ['success', id],
      ['success', null],
      ['fail', null],
    ]);
    expect((await pingsOf(check.id)).map((ping) => ping.duration)).toEqual([null, null, expect.any(Number), 2500, null]);

    const staging = await app.inject({ url: `${url}?status=ok&environment=staging` });
    expect(staging.statusCode).toBe(404);
    expect(staging.json().detail).toMatch(/no check stands for monitor "db-backup--staging": send a monitor_config/);
  });

  it('HTTP form refuses a wrong key (403), a bad status or duration (400) and a body that is not JSON (400)', async () => {
    const { owner, ref, key } = await aProject();
    expect((await app.inject({ url: `/api/${ref}/cron/job/${'0'.repeat(32)}/?status=ok` })).statusCode).toBe(403);
    const noStatus = await app.inject({ url: `/api/${ref}/cron/job/${key}/` });
    expect(noStatus.statusCode).toBe(400);
    expect(noStatus.json().detail).toMatch(/status: must be in_progress, ok or error, got nothing/);
    const badDuration = await app.inject({ url: `/api/${ref}/cron/job/${key}/?status=ok&duration=soon` });
    expect(badDuration.statusCode).toBe(400);
    expect(badDuration.json().detail).toMatch(/duration: must be a number of seconds/);
    const notJson = await app.inject({ method: 'POST', url: `/api/${ref}/cron/job/${key}/`, payload: 'status=ok' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().detail).toMatch(/the body is not JSON/);
    expect(await countChecks(owner.projectId)).toBe(0);
  });

  it('makes at most 60 checks a minute per project from monitor_config, then answers 429 with Retry-After', async () => {
    const { owner, ref, key } = await aProject();
    // The bucket refills at one a second while these are made, so 100 in one envelope run out of it.
    const items = Array.from({ length: 100 }, (_, n) => checkIn({ monitor_slug: `job-${n}`, status: 'ok', monitor_config: HOURLY }));
    const refused = await post(ref, envelope(...items), {}, `?sentry_key=${key}`);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.json().detail).toMatch(/too many checks created in this project \(at most 60 a minute\)/);
    const made = await countChecks(owner.projectId);
    expect(made).toBeGreaterThanOrEqual(60);
    expect(made).toBeLessThan(100);
    // Check-ins to checks that exist go on.
    expect((await post(ref, envelope(items[0]!), {}, `?sentry_key=${key}`)).statusCode).toBe(200);
  });

  it('answers 503 with Retry-After when check-ins cannot be stored, as pings are', async () => {
    const { ref, key } = await aProject();
    const closing = await testApp(test.database);
    try {
      // A recorder that takes no more pings (as while shutting down) refuses check-ins the way it refuses pings.
      await closing.pingRecorder.close();
      const body = envelope(checkIn({ monitor_slug: 'job', status: 'ok', monitor_config: HOURLY }));
      const refused = await closing.inject({ method: 'POST', url: `/api/${ref}/envelope/?sentry_key=${key}`, payload: body });
      expect(refused.statusCode).toBe(503);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.json().detail).toEqual(expect.any(String));
      const viaHttp = await closing.inject({ url: `/api/${ref}/cron/job/${key}/?status=ok` });
      expect(viaHttp.statusCode).toBe(503);
    } finally {
      await closing.close();
    }
  });

  it("monitor_config counts against the project's limit of checks made by pings (403), and changes a check it finds", async () => {
    const { owner, ref, key } = await aProject();
    await injectApi(app, 'PATCH', `/projects/${owner.projectId}`, owner.headers, { autoCreateLimit: 1 });
    const send = (slug: string, config: object) =>
      post(ref, envelope(checkIn({ monitor_slug: slug, status: 'ok', monitor_config: config })), {}, `?sentry_key=${key}`);
    expect((await send('first', HOURLY)).statusCode).toBe(200);
    const refused = await send('second', HOURLY);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toMatch(/allows 1 checks made by pings and check-ins/);
    // A check made in the API is not made by pings: a monitor_config changes it, within the limit.
    await injectApi(app, 'POST', '/checks', owner.headers, { slug: 'made-by-hand', period: 86_400 });
    expect(
      (await send('made-by-hand', { schedule: { type: 'crontab', value: '15 4 * * 1' }, timezone: 'America/New_York' })).statusCode,
    ).toBe(200);
    expect(await checkOf(owner.projectId, 'made-by-hand')).toMatchObject({ cron: '15 4 * * 1', tz: 'America/New_York', period: null });
  });
});
