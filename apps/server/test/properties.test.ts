/**
 * Property tests (fast-check): arbitrary input never yields a 5xx or an
 * uncaught exception. The ping address parser and the source address check
 * are pure and get many runs; the API's request schemas get arbitrary JSON
 * bodies and query strings through the real app and database, with the
 * field names taken from the schemas themselves, so a new field is fuzzed
 * as soon as it is declared.
 */
import { isIP } from 'node:net';
import {
  ChannelCreate,
  ChannelPatch,
  CheckCreate,
  CheckPatch,
  CheckQuery,
  FlipQuery,
  PingQuery,
  SchedulePreview,
} from '@cronbeat/contract';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PingUrlError, parsePingAddress, sourceAddress } from '../src/ping/address';
import { bearer, createKey, signUp, testApp } from './api-fixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Strings people and scripts send by mistake or on purpose: NUL, control characters, lone surrogates, long runs. */
const nastyString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '💥', '../../etc/passwd', 'a\r\nSet-Cookie: x', '<script>', '%00', '%E0%A4%A', ' '),
  fc.constantFrom(
    '0000-01-01T00:00:00Z',
    '2016-12-31T23:59:60Z',
    '9999-12-31T23:59:59-23:59',
    '2026-02-29T00:00:00Z',
    '+275760-09-13T00:00:00Z',
  ),
  fc.constantFrom('* * * * *', '0 0 31 2 *', '@daily', 'UTC', 'Europe/Berlin', 'Mars/Olympus', '*'),
  fc.integer({ min: 0, max: 5000 }).map((length) => 'x'.repeat(length)),
  fc.uuid(),
);
/** Numbers at and past every boundary a column or a schedule has. */
const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 59, 60, 300, 31_536_000, 31_536_001, 2_147_483_647, 2_147_483_648, 2 ** 53, -(2 ** 63), 1e308, -0),
);
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: nastyString, weight: 3 },
  { arbitrary: nastyNumber, weight: 2 },
  fc.constantFrom(null, true, false, '*', []),
  fc.array(nastyString, { maxLength: 4 }),
  fc.array(fc.uuid(), { maxLength: 3 }),
  fc.dictionary(nastyString, nastyString, { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Objects with the schema's own fields (any subset) holding nasty values, now and then with a stranger. */
function shapedLike(schema: { properties: Record<string, unknown> }): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(Object.keys(schema.properties).map((key) => [key, nastyValue]));
  return fc
    .tuple(fc.record(fields, { requiredKeys: [] }), fc.option(fc.dictionary(nastyString, nastyValue, { maxKeys: 2 }), { nil: undefined }))
    .map(([known, extra]) => ({ ...extra, ...known }));
}
/** A body: shaped like the schema most of the time, else any JSON at all. */
const bodyFor = (schema: { properties: Record<string, unknown> }) =>
  fc.oneof({ arbitrary: shapedLike(schema), weight: 4 }, fc.jsonValue({ maxDepth: 4 }));

/** A query string with the schema's parameters (and others), each value any text, some repeated. */
function queryFor(schema: { properties: Record<string, unknown> }): fc.Arbitrary<string> {
  const key = fc.oneof({ arbitrary: fc.constantFrom(...Object.keys(schema.properties)), weight: 4 }, fc.string({ maxLength: 8 }));
  const value = fc.oneof(nastyString, nastyNumber.map(String));
  return fc.array(fc.tuple(key, value), { maxLength: 5 }).map((pairs) => {
    const params = new URLSearchParams();
    for (const [name, text] of pairs) params.append(name, text);
    return params.toString();
  });
}

/** A path segment: any text, percent-encoded or (sometimes) raw, so undecodable escapes arrive too. */
const pathSegment = fc.oneof(
  nastyString.map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, ''))),
  fc.constantFrom(
    '%00',
    '%E0%A4%A',
    '%',
    '..',
    '4294967296',
    '1e20',
    'Infinity',
    '-1',
    '0',
    '1',
    'start',
    'valueOf',
    '__proto__',
    'constructor',
  ),
  fc.uuid(),
);

describe('ping address parser properties', () => {
  const segment = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.uuid(),
    fc.constantFrom('valueOf', 'constructor', '__proto__', 'toString', 'hasOwnProperty'),
    fc.constantFrom('start', 'fail', 'log', '0', '1', '255', '256', '-1', '01', '1.5', '', '\u0000', 'a'.repeat(22)),
  );
  const query = fc.record(
    {
      rid: fc.oneof(fc.uuid(), nastyString, fc.array(fc.string(), { maxLength: 2 }), fc.constant(undefined)),
      create: fc.oneof(fc.constantFrom('1', 'true', '0', ''), nastyString, fc.array(fc.string(), { maxLength: 2 })),
      // Cronitor's telemetry parameters.
      state: fc.oneof(fc.constantFrom('run', 'complete', 'fail', 'ok', ''), nastyString, fc.array(fc.string(), { maxLength: 2 })),
      series: fc.oneof(fc.uuid(), nastyString, fc.array(fc.string(), { maxLength: 2 })),
      status_code: fc.oneof(fc.constantFrom('0', '1', '255', '256', '-1', '1.5'), nastyString),
      message: nastyString,
      host: nastyString,
      metric: fc.oneof(
        fc.constantFrom('duration:1.5', 'duration:', 'duration:-1', 'count:3'),
        nastyString,
        fc.array(nastyString, { maxLength: 3 }),
      ),
    },
    { requiredKeys: [] },
  );

  it('returns an address or null, or refuses with a PingUrlError, for any URL', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 3 }), query, (segments, q) => {
        let address: ReturnType<typeof parsePingAddress>;
        try {
          address = parsePingAddress(segments, q);
        } catch (error) {
          if (error instanceof PingUrlError) return;
          throw error;
        }
        if (address === null) return;
        expect(['success', 'start', 'fail', 'log']).toContain(address.kind);
        if (address.rid !== null) expect(address.rid).toMatch(UUID);
        if (address.exitStatus !== null) expect(Number.isInteger(address.exitStatus)).toBe(true);
        if ('pingCode' in address.target) expect(address.target.pingCode).toMatch(UUID);
        else expect(`${address.target.slug.pingKey}${address.target.slug.slug}`).not.toContain('\u0000');
      }),
      { numRuns: 5000 },
    );
  });

  it('keeps a source address only when it is an IP address', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.ipV4(), fc.ipV6(), fc.ipV4Extended()), (text) => {
        const kept = sourceAddress(text);
        if (kept !== null) {
          expect(kept).toBe(text);
          expect(isIP(kept)).not.toBe(0);
          expect(kept.length).toBeLessThanOrEqual(64);
        }
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (address) => {
        expect(sourceAddress(address)).toBe(address);
      }),
    );
    expect(sourceAddress(undefined)).toBeNull();
  });
});

describe.each(testDatabaseKinds())('API properties on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let headers: Record<string, string>;
  let checkId: string;
  let channelId: string;
  let pingKey: string;
  beforeAll(async () => {
    app = await testApp(test.database);
    const owner = await signUp(app);
    headers = bearer((await createKey(app, owner)).key);
    checkId = (await app.inject({ method: 'POST', url: '/api/v1/checks', headers, payload: { name: 'Fuzzed' } })).json().id;
    const channel = await app.inject({
      method: 'POST',
      url: '/api/v1/channels',
      headers,
      payload: { kind: 'webhook', name: 'Hook', config: { url: 'https://hooks.example.com/x' } },
    });
    channelId = channel.json().id;
    const project = await app.inject({ url: `/api/v1/projects/${owner.projectId}`, headers: owner.headers });
    pingKey = project.json().pingKey;
  });
  afterAll(() => app.close());

  /** Sends one request and fails the property on a 5xx, saying what was sent. */
  async function neverFails(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) {
    const response = await app.inject({
      method,
      url,
      headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
    expect(response.statusCode, `${method} ${url} ${JSON.stringify(body)} → ${response.body}`).toBeLessThan(500);
  }

  const runs = { numRuns: 300 };

  it('answers any body for creating and editing checks without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(bodyFor(CheckCreate), (body) => neverFails('POST', '/api/v1/checks', body)),
      runs,
    );
    await fc.assert(
      fc.asyncProperty(bodyFor(CheckPatch), (body) => neverFails('PATCH', `/api/v1/checks/${checkId}`, body)),
      runs,
    );
  });

  it('answers any body for creating and editing channels without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(bodyFor(ChannelCreate), (body) => neverFails('POST', '/api/v1/channels', body)),
      runs,
    );
    await fc.assert(
      fc.asyncProperty(bodyFor(ChannelPatch), (body) => neverFails('PATCH', `/api/v1/channels/${channelId}`, body)),
      runs,
    );
  });

  it('answers any search of checks without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(queryFor(CheckQuery), (query) => neverFails('GET', `/api/v1/checks?${query}`)),
      runs,
    );
  });

  it('answers any query for pings and flips, and any ping number, without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(queryFor(PingQuery), (query) => neverFails('GET', `/api/v1/checks/${checkId}/pings?${query}`)),
      runs,
    );
    await fc.assert(
      fc.asyncProperty(queryFor(FlipQuery), (query) => neverFails('GET', `/api/v1/checks/${checkId}/flips?${query}`)),
      runs,
    );
    await fc.assert(
      fc.asyncProperty(pathSegment, pathSegment, (id, n) => neverFails('GET', `/api/v1/checks/${id}/pings/${n}/body`)),
      runs,
    );
  });

  it('answers any schedule preview without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(bodyFor(SchedulePreview), (body) => neverFails('POST', '/api/v1/schedule/preview', body)),
      runs,
    );
  });

  it('answers any ping URL and any badge URL without a 5xx', async () => {
    const pingUrl = fc
      .tuple(
        fc.oneof(fc.constant(pingKey), pathSegment),
        fc.array(pathSegment, { maxLength: 2 }),
        fc.oneof(
          fc.constant(''),
          queryFor({
            properties: { rid: {}, create: {}, state: {}, series: {}, status_code: {}, message: {}, host: {}, env: {}, metric: {} },
          }),
        ),
        // Healthchecks' forms, and Cronitor's /p/<key>/<monitor>.
        fc.constantFrom('ping', 'p'),
      )
      .map(([first, rest, query, prefix]) => `/${prefix}/${[first, ...rest].join('/')}${query ? `?${query}` : ''}`);
    await fc.assert(
      fc.asyncProperty(pingUrl, (url) => neverFails('GET', url)),
      runs,
    );
    await fc.assert(
      fc.asyncProperty(fc.array(pathSegment, { minLength: 1, maxLength: 2 }), (segments) =>
        neverFails('GET', `/badge/${segments.join('/')}.svg`),
      ),
      runs,
    );
  });
});
