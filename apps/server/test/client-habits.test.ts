import { useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Person, signUp, testApp } from './api-fixtures';
import { aCheck, pingRows } from './ping-fixtures';

/**
 * What common HTTP clients do that is no mistake: a JSON content type on a
 * request without a body, a trailing slash on a URL. Routing and body
 * parsing do not depend on the database, so PGlite alone is enough.
 */
describe('requests as HTTP clients commonly send them', () => {
  const test = useTestDatabase('pglite');
  let app: FastifyInstance;
  let owner: Person;

  beforeAll(async () => {
    app = await testApp(test.database, { ALLOW_PRIVATE_TARGETS: '127.0.0.0/8' });
    owner = await signUp(app);
  });
  afterAll(() => app.close());

  /** Where jobs and SDKs send what they report, in bodies of their own (pings, Cronitor telemetry, Sentry envelopes): not action routes. */
  const isIngestion = (path: string) => path.startsWith('/ping') || path.startsWith('/p/') || path.startsWith('/api/{ref}/');

  /** Every POST the OpenAPI document lists without a request body: the action routes, derived so a new one cannot escape. */
  function actionRoutes(): string[] {
    const paths = (app.swagger() as { paths: Record<string, Record<string, { requestBody?: unknown; tags?: string[] }>> }).paths;
    return Object.entries(paths)
      .filter(([path, operations]) => operations.post && !operations.post.requestBody && !isIngestion(path))
      .map(([path]) => path);
  }

  interface Ids {
    projectId: string;
    /** A read-write API key of the project: /api/v3 (Healthchecks' API) takes keys only. */
    apiKey: string;
    id: Record<'checks' | 'channels' | 'maintenance-windows', string>;
  }

  /** A new person with a check, a channel and a maintenance window in force (which /end ends), each action route may act on. */
  async function somebodyWithObjects(): Promise<{ person: Person; ids: Ids }> {
    const person = await signUp(app);
    const post = (url: string, payload: object) => app.inject({ method: 'POST', url: `/api/v1${url}`, headers: person.headers, payload });
    // Port 9 (discard) refuses: the channel test route answers 200 with the failure.
    const channel = (await post('/channels', { kind: 'webhook', name: 'Hook', config: { url: 'http://127.0.0.1:9/' } })).json();
    const check = (await post('/checks', { name: 'Nightly' })).json();
    // Down, so that /acknowledge has an incident to acknowledge.
    expect((await app.inject({ method: 'POST', url: `/ping/${check.pingCode}/fail` })).statusCode).toBe(200);
    const hour = 3_600_000;
    const window = (
      await post('/maintenance-windows', {
        name: 'Now',
        kind: 'once',
        startsAt: new Date(Date.now() - hour).toISOString(),
        endsAt: new Date(Date.now() + hour).toISOString(),
      })
    ).json();
    const { key } = (await post(`/projects/${person.projectId}/api-keys`, { name: 'v3', access: 'read-write' })).json();
    return {
      person,
      ids: {
        projectId: person.projectId,
        apiKey: key,
        id: { checks: check.id, channels: channel.id, 'maintenance-windows': window.id },
      },
    };
  }

  /** A path of the document with real ids in it. */
  function filledIn(path: string, ids: Ids): string {
    return path.replace(/\{(\w+)\}/g, (_whole, name: string) => {
      if (name === 'projectId') return ids.projectId;
      if (name === 'code' && path.startsWith('/api/v3/checks/')) return ids.id.checks;
      const collection = path.split('/')[3] as keyof typeof ids.id;
      if (name === 'id' && collection in ids.id) return ids.id[collection];
      throw new Error(`no value for {${name}} in ${path}: add one to this test`);
    });
  }

  it('finds the action routes in the route table', () => {
    expect(actionRoutes()).toEqual(
      expect.arrayContaining(['/api/v1/checks/{id}/pause', '/api/v1/checks/{id}/resume', '/api/v1/checks/{id}/ping-code/rotate']),
    );
  });

  it.each(['application/json', 'application/json; charset=utf-8'])(
    'accepts an empty body with Content-Type: %s on every action route',
    async (contentType) => {
      const { person, ids } = await somebodyWithObjects();
      // Acknowledging needs the check still down (before /pause): it goes first. Signing out ends the session the others need: it goes last.
      const order = (path: string) => (path.endsWith('/acknowledge') ? -1 : Number(path === '/auth/logout'));
      const routes = actionRoutes().sort((a, b) => order(a) - order(b));
      for (const path of routes) {
        const response = await app.inject({
          method: 'POST',
          url: filledIn(path, ids),
          headers: { ...person.headers, ...(path.startsWith('/api/v3/') && { 'x-api-key': ids.apiKey }), 'content-type': contentType },
          payload: '',
        });
        expect(response.statusCode, `${path}: ${response.body}`).toBeLessThan(300);
      }
    },
  );

  it('still refuses a body that is not JSON, saying so', async () => {
    const check = (
      await app.inject({ method: 'POST', url: '/api/v1/checks', headers: owner.headers, payload: { name: 'Broken body' } })
    ).json();
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/checks/${check.id}/pause`,
      headers: { ...owner.headers, 'content-type': 'application/json' },
      payload: '{"reason":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'FST_ERR_CTP_INVALID_JSON_BODY',
      message: expect.stringMatching(/not valid JSON/),
    });
  });

  it('refuses an empty body where the route needs one, naming the body', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/checks',
      headers: { ...owner.headers, 'content-type': 'application/json' },
      payload: '',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'CB_INVALID_REQUEST', fields: { body: expect.any(String) } });
  });

  it('refuses prototype poisoning in a JSON body as before', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/checks',
      headers: { ...owner.headers, 'content-type': 'application/json' },
      payload: '{"name":"x","__proto__":{"admin":true}}',
    });
    expect(response.statusCode).toBe(400);
  });

  it('serves /api/v1/checks/ with a trailing slash as /api/v1/checks', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/v1/checks/', headers: owner.headers, payload: { name: 'Slashed' } });
    expect(created.statusCode).toBe(201);
    const listed = await app.inject({ method: 'GET', url: '/api/v1/checks/', headers: owner.headers });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().checks.map((check: { name: string }) => check.name)).toContain('Slashed');
    const one = await app.inject({ method: 'GET', url: `/api/v1/checks/${created.json().id}/`, headers: owner.headers });
    expect(one.json()).toMatchObject({ name: 'Slashed' });
  });

  it('records a ping whose URL ends in a slash, and still answers plain text for forms that are no ping', async () => {
    const { check } = await aCheck(test.db);
    const slashed = await app.inject({ method: 'GET', url: `/ping/${check.pingCode}/` });
    expect(slashed.statusCode).toBe(200);
    expect(slashed.body).toBe('OK');
    expect(await app.inject({ method: 'GET', url: `/ping/${check.pingCode}/fail/` }).then((r) => r.statusCode)).toBe(200);
    expect((await pingRows(test.db, check.id)).map((ping) => ping.kind)).toEqual(['success', 'fail']);
    for (const url of ['/ping/', '/ping', `/ping/${check.pingCode}/start/extra/`]) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.body, url).toBe('not found');
      expect(response.headers['content-type'], url).toBe('text/plain; charset=utf-8');
    }
  });
});
