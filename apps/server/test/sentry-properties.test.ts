import { checks } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectApi, signUp, testApp } from './api-fixtures';

/** Any value a JSON field of a check-in might hold, the odd ones weighted in. */
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    'in_progress',
    'ok',
    'error',
    '',
    '\u0000',
    'a\u0000b',
    '💥',
    '../x',
    'Europe/Berlin',
    'Mars/Base',
    '0 * * * *',
    '* * * * * *',
  ),
  fc.constantFrom(0, -1, 1.5, 1e308, 101, 525_601, Number.MAX_SAFE_INTEGER),
);
const anyMonitorConfig = fc.record(
  {
    schedule: fc.oneof(
      anyValue,
      fc.record({ type: fc.constantFrom('crontab', 'interval', 'cron', ''), value: anyValue, unit: anyValue }, { requiredKeys: [] }),
    ),
    timezone: anyValue,
    checkin_margin: anyValue,
    max_runtime: anyValue,
    failure_issue_threshold: anyValue,
    recovery_threshold: anyValue,
  },
  { requiredKeys: [] },
);
const anyCheckIn = fc.record(
  {
    monitor_slug: fc.oneof(anyValue, fc.string({ maxLength: 80 })),
    status: anyValue,
    check_in_id: fc.oneof(anyValue, fc.uuid()),
    environment: anyValue,
    duration: anyValue,
    monitor_config: fc.oneof(anyValue, anyMonitorConfig),
  },
  { requiredKeys: [] },
);
/** An envelope's text: a header, then items of any type, some check-ins, some with a length that may lie. */
const anyEnvelope = fc
  .tuple(
    fc.oneof(fc.constant('{}'), fc.json({ maxDepth: 1 }), fc.string({ maxLength: 20 })),
    fc.array(
      fc.oneof(
        anyCheckIn.map((payload) => `{"type":"check_in"}\n${JSON.stringify(payload)}`),
        fc
          .tuple(
            fc.constantFrom('event', 'session', 'attachment', 'check_in', ''),
            fc.string({ maxLength: 40 }),
            fc.option(fc.integer({ min: -2, max: 60 })),
          )
          .map(([type, payload, length]) => `${JSON.stringify({ type, ...(length !== null && { length }) })}\n${payload}`),
        fc.string({ unit: 'binary', maxLength: 40 }),
      ),
      { maxLength: 4 },
    ),
  )
  .map(([header, items]) => [header, ...items].join('\n'));

/** A check-in's fields as a query string would carry them: strings as they are, anything else as JSON. */
const queryOf = (fields: Record<string, unknown>): Array<[string, string]> =>
  Object.entries(fields).map(([name, value]) => [name, typeof value === 'string' ? value : (JSON.stringify(value) ?? '')]);

/** Invariant 6 for Sentry's routes: arbitrary envelopes and HTTP check-ins get an answer below 500, and no bad value is stored. */
describe.each(testDatabaseKinds())('Sentry routes with arbitrary input on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let ref: string;
  let key: string;
  let projectId: string;
  beforeAll(async () => {
    app = await testApp(test.database);
    const owner = await signUp(app);
    projectId = owner.projectId;
    const dsn = new URL((await injectApi(app, 'GET', `/projects/${owner.projectId}`, owner.headers)).json().sentryDsn);
    ref = dsn.pathname.slice(1);
    key = dsn.username;
  });
  afterAll(() => app.close());

  it('answers any envelope below 500', async () => {
    await fc.assert(
      fc.asyncProperty(anyEnvelope, async (body) => {
        const response = await app.inject({ method: 'POST', url: `/api/${ref}/envelope/?sentry_key=${key}`, payload: body });
        expect(response.statusCode, `${response.statusCode} ${response.body} for ${JSON.stringify(body)}`).toBeLessThan(500);
        expect([200, 400, 403, 429]).toContain(response.statusCode);
      }),
      { numRuns: 150 },
    );
  });

  it('answers any HTTP check-in below 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), anyCheckIn, fc.boolean(), async (monitor, fields, asBody) => {
        const url = `/api/${ref}/cron/${encodeURIComponent(monitor) || 'x'}/${key}/`;
        const response = asBody
          ? await app.inject({ method: 'POST', url, payload: JSON.stringify(fields), headers: { 'content-type': 'application/json' } })
          : await app.inject({
              url: `${url}?${new URLSearchParams(queryOf(fields))}`,
            });
        expect(response.statusCode, `${response.statusCode} ${response.body}`).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
    // Whatever was made has a slug the API would take.
    for (const { slug } of await test.db.select({ slug: checks.slug }).from(checks).where(eq(checks.projectId, projectId))) {
      expect(slug).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
    }
  });
});
