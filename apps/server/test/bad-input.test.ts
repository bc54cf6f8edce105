/**
 * Input that used to reach the database and come back as a 500: NUL
 * characters (Postgres text cannot hold them), integers beyond Postgres's
 * 32 bits, dates outside its range and cursors naming impossible times.
 * Each must be a 400 that names the field.
 */
import { randomUUID } from 'node:crypto';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, bearer, createKey, type Person, signUp, testApp, uniqueEmail } from './api-fixtures';
import { aCheck, pingRows } from './ping-fixtures';

interface BadRequestCase {
  /** What is sent, as the test's name. */
  name: string;
  request: (context: Context) => InjectOptions;
  /** The field the answer must name, in its `fields` (and so its message). */
  field: string;
}

interface Context {
  owner: Person;
  key: Record<string, string>;
  checkId: string;
  channelId: string;
  badgeKey: string;
}

const NUL = '\u0000';
const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => (context: Context) =>
  ({ method, url: `/api/v1${url}`, headers: context.key, ...(payload && { payload }) }) as InjectOptions;
/** Project settings, keys and invitations are the dashboard's: signed in, not by API key. */
const dashboard = (method: 'POST' | 'PATCH', url: (context: Context) => string, payload: object) => (context: Context) =>
  ({ method, url: `/api/v1${url(context)}`, headers: context.owner.headers, payload }) as InjectOptions;
const cursor = (text: string) => Buffer.from(text).toString('base64url');

const cases: BadRequestCase[] = [
  // NUL in every kind of string field, signed in or not.
  {
    name: 'sign-up email with NUL',
    field: 'email',
    request: () => ({
      method: 'POST',
      url: '/auth/signup',
      headers: { origin: BASE_URL },
      payload: { email: `a${NUL}@example.com`, password: 'long enough pass' },
    }),
  },
  {
    name: 'sign-up project name with NUL',
    field: 'projectName',
    request: () => ({
      method: 'POST',
      url: '/auth/signup',
      headers: { origin: BASE_URL },
      payload: { email: uniqueEmail(), password: 'long enough pass', projectName: `P${NUL}` },
    }),
  },
  {
    name: 'log-in email with NUL',
    field: 'email',
    request: () => ({
      method: 'POST',
      url: '/auth/login',
      headers: { origin: BASE_URL },
      payload: { email: `x${NUL}y`, password: 'whatever' },
    }),
  },
  { name: 'project name with NUL', field: 'name', request: dashboard('POST', () => '/projects', { name: `p${NUL}` }) },
  {
    name: 'renamed project with NUL',
    field: 'name',
    request: dashboard('PATCH', (c) => `/projects/${c.owner.projectId}`, { name: `p${NUL}` }),
  },
  {
    name: 'API key name with NUL',
    field: 'name',
    request: dashboard('POST', (c) => `/projects/${c.owner.projectId}/api-keys`, { name: `k${NUL}`, access: 'read-only' }),
  },
  {
    name: 'invitation email with NUL',
    field: 'email',
    request: dashboard('POST', (c) => `/projects/${c.owner.projectId}/invitations`, { email: `a${NUL}b@example.com`, role: 'member' }),
  },
  { name: 'check name with NUL', field: 'name', request: api('POST', '/checks', { name: `c${NUL}` }) },
  { name: 'check description with NUL', field: 'description', request: api('POST', '/checks', { name: 'c', description: `d${NUL}` }) },
  { name: 'check tag with NUL', field: 'tags.0', request: api('POST', '/checks', { name: 'c', tags: [`t${NUL}`] }) },
  { name: 'check time zone with NUL', field: 'tz', request: api('POST', '/checks', { name: 'c', cron: '* * * * *', tz: `UTC${NUL}` }) },
  { name: 'check cron with NUL', field: 'cron', request: api('POST', '/checks', { name: 'c', cron: `* * * * *${NUL}` }) },
  { name: 'check cron "constructor"', field: 'cron', request: api('POST', '/checks', { name: 'c', cron: 'constructor' }) },
  { name: 'check cron "__proto__"', field: 'cron', request: api('POST', '/checks', { name: 'c', cron: '__proto__' }) },
  { name: 'check rename with NUL', field: 'name', request: (c) => api('PATCH', `/checks/${c.checkId}`, { name: `c${NUL}` })(c) },
  {
    name: 'check description edit with NUL',
    field: 'description',
    request: (c) => api('PATCH', `/checks/${c.checkId}`, { description: NUL })(c),
  },
  { name: 'check search with NUL', field: 'query.q', request: api('GET', '/checks?q=a%00b') },
  { name: 'check tag filter with NUL', field: 'query.tag', request: api('GET', '/checks?tag=a%00b') },
  {
    name: 'channel name with NUL',
    field: 'name',
    request: api('POST', '/channels', { kind: 'email', name: `n${NUL}`, config: { to: 'a@example.com' } }),
  },
  {
    name: 'channel config with NUL',
    field: 'config.to',
    request: api('POST', '/channels', { kind: 'email', name: 'n', config: { to: `a${NUL}@example.com` } }),
  },
  {
    name: 'channel config key with NUL',
    field: 'config',
    request: api('POST', '/channels', { kind: 'webhook', name: 'n', config: { url: 'https://example.com', [`x${NUL}`]: 1 } }),
  },
  { name: 'channel rename with NUL', field: 'name', request: (c) => api('PATCH', `/channels/${c.channelId}`, { name: `n${NUL}` })(c) },
  { name: 'schedule preview cron with NUL', field: 'cron', request: api('POST', '/schedule/preview', { cron: `${NUL}` }) },
  { name: 'badge tag with NUL', field: 'params.file', request: (c) => ({ method: 'GET', url: `/badge/${c.badgeKey}/a%00b.svg` }) },
  { name: 'badge key with NUL', field: 'params.file', request: () => ({ method: 'GET', url: '/badge/a%00b.svg' }) },

  // Integers Postgres's int4 cannot hold.
  { name: 'pings before 2^32', field: 'query.before', request: (c) => api('GET', `/checks/${c.checkId}/pings?before=4294967296`)(c) },
  { name: 'pings before 2^31', field: 'query.before', request: (c) => api('GET', `/checks/${c.checkId}/pings?before=2147483648`)(c) },
  { name: 'ping number 2^32', field: 'params.n', request: (c) => api('GET', `/checks/${c.checkId}/pings/4294967296/body`)(c) },
  { name: 'check period 2^40', field: 'period', request: api('POST', '/checks', { name: 'c', period: 2 ** 40 }) },
  { name: 'check grace 2^40', field: 'grace', request: api('POST', '/checks', { name: 'c', grace: 2 ** 40 }) },
  { name: 'check max runtime 2^40', field: 'maxRuntime', request: api('POST', '/checks', { name: 'c', maxRuntime: 2 ** 40 }) },
  // Falsy values of nullable fields: Ajv's type coercion once turned them into null (off) and stored that.
  { name: 'check remind every 0', field: 'remindEvery', request: api('POST', '/checks', { name: 'c', remindEvery: 0 }) },
  { name: 'check max runtime 0', field: 'maxRuntime', request: api('POST', '/checks', { name: 'c', maxRuntime: 0 }) },
  { name: 'check slug ""', field: 'slug', request: api('POST', '/checks', { name: 'c', slug: '' }) },
  {
    name: 'check remind every false',
    field: 'remindEvery',
    request: (c) => api('PATCH', `/checks/${c.checkId}`, { remindEvery: false })(c),
  },
  { name: 'check grace edit 2^53', field: 'grace', request: (c) => api('PATCH', `/checks/${c.checkId}`, { grace: 2 ** 53 })(c) },
  { name: 'ping number 1e20', field: 'params.n', request: (c) => api('GET', `/checks/${c.checkId}/pings/100000000000000000000/body`)(c) },

  { name: 'check page size Infinity', field: 'query.limit', request: api('GET', '/checks?limit=Infinity') },
  { name: 'pings page size -Infinity', field: 'query.limit', request: (c) => api('GET', `/checks/${c.checkId}/pings?limit=-Infinity`)(c) },
  // A fractional page size reached the query's LIMIT: a 500 (found by properties.test's fuzzing).
  {
    name: 'pings page size 1.0000000000000002',
    field: 'query.limit',
    request: (c) => api('GET', `/checks/${c.checkId}/pings?limit=1.0000000000000002`)(c),
  },
  { name: 'flips page size 2.5', field: 'query.limit', request: (c) => api('GET', `/checks/${c.checkId}/flips?limit=2.5`)(c) },
  { name: 'pings before 1e400', field: 'query.before', request: (c) => api('GET', `/checks/${c.checkId}/pings?before=1e400`)(c) },
  { name: 'ping number Infinity', field: 'params.n', request: (c) => api('GET', `/checks/${c.checkId}/pings/Infinity/body`)(c) },

  // Dates Postgres cannot store, or JavaScript cannot read.
  {
    name: 'flips since year 0',
    field: 'query.since',
    request: (c) => api('GET', `/checks/${c.checkId}/flips?since=0000-01-01T00:00:00Z`)(c),
  },
  {
    name: 'flips until year 0',
    field: 'query.until',
    request: (c) => api('GET', `/checks/${c.checkId}/flips?until=0000-06-01T00:00:00Z`)(c),
  },
  {
    name: 'flips since a leap second',
    field: 'query.since',
    request: (c) => api('GET', `/checks/${c.checkId}/flips?since=2016-12-31T23:59:60Z`)(c),
  },
  {
    name: 'schedule preview after year 0',
    field: 'after',
    request: api('POST', '/schedule/preview', { period: 3600, after: '0000-01-01T00:00:00Z' }),
  },
  {
    name: 'schedule preview after a leap second',
    field: 'after',
    request: api('POST', '/schedule/preview', { period: 3600, after: '2016-12-31T23:59:60Z' }),
  },
  {
    name: 'flips since February 30',
    field: 'query.since',
    request: (c) => api('GET', `/checks/${c.checkId}/flips?since=2026-02-30T00:00:00Z`)(c),
  },

  // Cursors of the right shape naming a time that does not exist.
  {
    name: 'cursor in month 13',
    field: 'query.after',
    request: api('GET', `/checks?after=${cursor(`2026-13-01 00:00:00+00|${randomUUID()}`)}`),
  },
  {
    name: 'cursor at 25 o’clock',
    field: 'query.after',
    request: api('GET', `/checks?after=${cursor(`2026-01-01 25:00:00+00|${randomUUID()}`)}`),
  },
  {
    name: 'cursor on February 30',
    field: 'query.after',
    request: api('GET', `/checks?after=${cursor(`2026-02-30 00:00:00+00|${randomUUID()}`)}`),
  },
  {
    name: 'cursor in year 0',
    field: 'query.after',
    request: api('GET', `/checks?after=${cursor(`0000-01-01 00:00:00+00|${randomUUID()}`)}`),
  },
  {
    name: 'cursor at offset +99',
    field: 'query.after',
    request: api('GET', `/checks?after=${cursor(`2026-01-01 00:00:00+99|${randomUUID()}`)}`),
  },
];

describe.each(testDatabaseKinds())('bad input on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let context: Context;
  beforeAll(async () => {
    app = await testApp(test.database);
    const owner = await signUp(app);
    const key = bearer((await createKey(app, owner)).key);
    const checkId = (await app.inject({ method: 'POST', url: '/api/v1/checks', headers: key, payload: { name: 'Target' } })).json().id;
    const channel = await app.inject({
      method: 'POST',
      url: '/api/v1/channels',
      headers: key,
      payload: { kind: 'email', name: 'Mail', config: { to: 'ops@example.com' } },
    });
    const badges = await app.inject({ url: '/api/v1/badges', headers: key });
    const badgeKey = new URL(badges.json().badges[0].svg).pathname.split('/')[2]!.replace(/\.svg$/, '');
    context = { owner, key, checkId, channelId: channel.json().id, badgeKey };
  });
  afterAll(() => app.close());

  it.each(cases)('answers $name with a 400 naming $field', async ({ request, field }) => {
    const response = await app.inject(request(context));
    expect(response.statusCode, response.body).toBe(400);
    const { error } = response.json();
    expect(Object.keys(error.fields ?? {}), response.body).toContain(field);
    expect(error.message).toContain(field);
  });
});

describe.each(testDatabaseKinds())('odd pings on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  beforeAll(async () => {
    // One proxy hop believed: what it forwards as the client's address is stored, if it is an address.
    app = await testApp(test.database, { TRUST_PROXY: '1' });
  });
  afterAll(() => app.close());

  it('stores only an IP address as a ping’s source, never the text a client forged', async () => {
    const { check } = await aCheck(test.db);
    const forwarded = ['<script>alert(1)</script>', 'x'.repeat(15_000), '203.0.113.7', '2001:db8::7', '1.2.3.4, 5.6.7.8 9'];
    for (const address of forwarded) {
      const response = await app.inject({
        url: `/ping/${check.pingCode}`,
        headers: { 'x-forwarded-for': address },
        remoteAddress: '10.0.0.2',
      });
      expect(response.statusCode).toBe(200);
    }
    const stored = (await pingRows(test.db, check.id)).map((ping) => ping.remoteAddr);
    expect(stored).toEqual([null, null, '203.0.113.7', '2001:db8::7', null]);
  });

  it('refuses the names of Object’s own methods as a ping kind, storing nothing', async () => {
    const { check } = await aCheck(test.db);
    for (const kind of ['valueOf', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const response = await app.inject({ url: `/ping/${check.pingCode}/${kind}` });
      expect(response.statusCode, `${kind}: ${response.body}`).toBe(400);
      expect(response.body).toContain('one of start, fail, log');
    }
    expect(await pingRows(test.db, check.id)).toEqual([]);
  });
});
