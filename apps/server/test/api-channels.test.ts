import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { channels } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createKey, injectApi, type Method, signUp, testApp } from './api-fixtures';

describe.each(testDatabaseKinds())('channels API on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let headers: Record<string, string>;
  let receiver: Server;
  let receiverUrl: string;
  const received: Array<{ body: string; signature: string | undefined }> = [];
  beforeAll(async () => {
    // The receiver listens on loopback, which channels reach only when the operator allows it.
    app = await testApp(test.database, { ALLOW_PRIVATE_TARGETS: '127.0.0.0/8' });
    headers = bearer((await createKey(app, await signUp(app))).key);
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push({ body, signature: request.headers['x-cronbeat-signature'] as string | undefined });
        if (request.url === '/leaky') {
          // An internal service answering with what it knows; none of it may reach the caller.
          response.statusMessage = 'Vault-Sealed';
          response.writeHead(500).end('{"aws_secret_access_key":"hunter2"}');
          return;
        }
        response.statusCode = request.url === '/gone' ? 410 : 200;
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  const call = (method: Method, url: string, payload?: object) => injectApi(app, method, url, headers, payload);

  it('creates, lists, edits and deletes channels', async () => {
    const created = await call('POST', '/channels', {
      kind: 'webhook',
      name: 'Ops hook',
      config: { url: `${receiverUrl}/hook`, secret: 'a-long-enough-secret' },
    });
    expect(created.statusCode).toBe(201);
    const channel = created.json();
    expect(channel).toMatchObject({
      kind: 'webhook',
      name: 'Ops hook',
      // The signing secret is write-only: shown only as set.
      config: { url: `${receiverUrl}/hook`, secret: { set: true } },
      events: ['down', 'up', 'late', 'still_down'],
      lastError: null,
    });
    expect((await call('GET', '/channels')).json().channels.map((c: { id: string }) => c.id)).toContain(channel.id);
    const renamed = await call('PATCH', `/channels/${channel.id}`, { name: 'Renamed', config: { url: `${receiverUrl}/other` } });
    expect(renamed.json()).toMatchObject({ name: 'Renamed', config: { url: `${receiverUrl}/other`, secret: { set: true } } });
    const cleared = await call('PATCH', `/channels/${channel.id}`, { config: { url: `${receiverUrl}/other`, secret: null } });
    expect(cleared.json().config).toEqual({ url: `${receiverUrl}/other` });
    expect((await call('DELETE', `/channels/${channel.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/channels/${channel.id}`)).statusCode).toBe(404);
  });

  it('attaches channels to checks by id or with "*" for all', async () => {
    const one = (
      await call('POST', '/channels', { kind: 'slack', name: 'Slack', config: { url: 'https://hooks.slack.com/services/T/B/X' } })
    ).json();
    const two = (
      await call('POST', '/channels', { kind: 'email', name: 'Mail', config: { to: ['a@example.com', 'b@example.com'] } })
    ).json();
    const check = (await call('POST', '/checks', { name: 'Alerting', channels: [one.id] })).json();
    expect(check.channels).toEqual([one.id]);
    const all = (await call('PATCH', `/checks/${check.id}`, { channels: '*' })).json();
    expect(all.channels.sort()).toEqual(expect.arrayContaining([one.id, two.id]));
    expect((await call('PATCH', `/checks/${check.id}`, { channels: [] })).json().channels).toEqual([]);
  });

  it('attaches a new channel to every existing check of its project by default, and to none when asked not to', async () => {
    const person = await signUp(app);
    const own = (method: Method, url: string, payload?: object) => injectApi(app, method, url, person.headers, payload);
    const quiet = (await own('POST', '/checks', { name: 'Quiet', channels: [] })).json();
    const backup = (await own('POST', '/checks', { name: 'Backup', channels: [] })).json();
    const elsewhere = (await call('POST', '/checks', { name: 'Another project', channels: [] })).json();

    const everywhere = await own('POST', '/channels', { kind: 'email', name: 'On call', config: { to: 'oncall@example.com' } });
    expect(everywhere.statusCode).toBe(201);
    const channelsOf = async (id: string, as = own) => (await as('GET', `/checks/${id}`)).json().channels;
    await expect(channelsOf(quiet.id)).resolves.toEqual([everywhere.json().id]);
    await expect(channelsOf(backup.id)).resolves.toEqual([everywhere.json().id]);
    await expect(channelsOf(elsewhere.id, call)).resolves.toEqual([]);

    const apart = await own('POST', '/channels', {
      kind: 'slack',
      name: 'Only when chosen',
      config: { url: 'https://hooks.slack.com/services/T/B/X' },
      attachToAllChecks: false,
    });
    expect(apart.statusCode).toBe(201);
    await expect(channelsOf(quiet.id)).resolves.toEqual([everywhere.json().id]);
    await expect(channelsOf(backup.id)).resolves.toEqual([everywhere.json().id]);
  });

  it('documents attachToAllChecks and its default in the OpenAPI document', async () => {
    const document = (await app.inject({ url: '/api/v1/openapi.json' })).json();
    const body = document.paths['/api/v1/channels'].post.requestBody.content['application/json'].schema;
    expect(body.anyOf[0].properties.attachToAllChecks).toMatchObject({
      type: 'boolean',
      default: true,
      description: expect.stringContaining('Default: true'),
    });
  });

  it.each([
    [{ kind: 'email', name: 'x', config: { to: 'a@example.com' }, attachToAllChecks: 'yes' }, 'attachToAllChecks', /must be boolean/],
    [
      { kind: 'email', name: 'x', config: { to: 'a@example.com' }, attachToAllChecks: { all: true } },
      'attachToAllChecks',
      /must be boolean/,
    ],
    [{ kind: 'webhook', name: 'x', config: { url: 'ftp://example.com' } }, 'config.url', /https:\/\/ or http:\/\//],
    [{ kind: 'webhook', name: 'x', config: { url: 'http://example.com', secret: 'short' } }, 'config.secret', /16 to 256/],
    [{ kind: 'email', name: 'x', config: { to: 'not-an-address' } }, 'config.to', /is not an email address/],
    [{ kind: 'pager', name: 'x', config: {} }, 'kind', /must be one of email, slack, webhook, /],
    [{ kind: 'slack', name: '', config: { url: 'https://hooks.slack.com/x' } }, 'name', /fewer than 1 characters/],
    [{ kind: 'slack', name: 'x' }, 'config', /is required/],
  ])('refuses %j with 400 naming %s', async (input, field, rule) => {
    const response = await call('POST', '/channels', input);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields[field]).toMatch(rule);
  });

  it('sends a test alert and reports delivery, or the failure and whether it is permanent', async () => {
    const good = (
      await call('POST', '/channels', {
        kind: 'webhook',
        name: 'Good',
        config: { url: `${receiverUrl}/ok`, secret: 'a-long-enough-secret' },
      })
    ).json();
    received.length = 0;
    const sent = await call('POST', `/channels/${good.id}/test`);
    expect(sent.json()).toEqual({ delivered: true, error: null, permanent: null });
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ event: 'check.down' });
    expect(received[0]!.signature).toMatch(/^sha256=/);
    const gone = (await call('POST', '/channels', { kind: 'webhook', name: 'Gone', config: { url: `${receiverUrl}/gone` } })).json();
    const failed = (await call('POST', `/channels/${gone.id}/test`)).json();
    expect(failed).toMatchObject({ delivered: false, permanent: true });
    expect(failed.error).toBe('webhook: HTTP 410 Gone');
  });

  it("reports a failed test alert by status and a short reason, never the target's answer", async () => {
    const leaky = (await call('POST', '/channels', { kind: 'webhook', name: 'Leaky', config: { url: `${receiverUrl}/leaky` } })).json();
    const failed = (await call('POST', `/channels/${leaky.id}/test`)).json();
    expect(failed).toEqual({ delivered: false, error: 'webhook: HTTP 500 Internal Server Error', permanent: false });
  });

  it.each([
    [{ kind: 'discord', name: 'x', config: { url: 'ftp://discord.com/api/webhooks/1/a' } }, 'config.url', /./],
    [{ kind: 'ntfy', name: 'x', config: {} }, 'config.topic', /is required/],
    [{ kind: 'ntfy', name: 'x', config: { topic: 'alerts', colour: 'red' } }, 'config.colour', /not a setting of ntfy/],
    [{ kind: 'pagerduty', name: 'x', config: { routingKey: 'short' } }, 'config.routingKey', /pattern/],
    [{ kind: 'pagerduty', name: 'x', config: { routingKey: { set: true } } }, 'config.routingKey', /string/],
    [{ kind: 'email', name: 'x', config: { to: 'a@example.com' }, events: 'down' }, 'events', /must be a list/],
    [{ kind: 'email', name: 'x', config: { to: 'a@example.com' }, events: ['down', 'sideways'] }, 'events.1', /must be one of/],
    [{ kind: 'email', name: 'x', config: { to: 'a@example.com' }, events: ['down', 'down'] }, 'events', /twice/],
    [{ kind: 'email', name: 'x', config: { to: 'a@example.com' }, colour: 'red' }, 'colour', /not a known field/],
  ])('refuses a channel of a module kind or with bad events, %j, with 400 naming %s', async (input, field, rule) => {
    const response = await call('POST', '/channels', input);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields[field]).toMatch(rule);
  });

  it('takes the events a channel is sent on create and PATCH, all by default', async () => {
    const created = await call('POST', '/channels', { kind: 'email', name: 'Pages', config: { to: 'a@example.com' }, events: ['down'] });
    expect(created.json().events).toEqual(['down']);
    const edited = await call('PATCH', `/channels/${created.json().id}`, { events: ['up', 'still_down'] });
    expect(edited.json().events).toEqual(['up', 'still_down']);
    expect((await call('PATCH', `/channels/${created.json().id}`, { events: [] })).json().events).toEqual([]);
    const bad = await call('PATCH', `/channels/${created.json().id}`, { events: ['late', 'never'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields['events.1']).toMatch(/must be one of down, up, late, still_down/);
    expect((await call('PATCH', `/channels/${created.json().id}`, {})).statusCode).toBe(400);
    const everything = await call('POST', '/channels', { kind: 'email', name: 'All', config: { to: 'b@example.com' } });
    expect(everything.json().events).toEqual(['down', 'up', 'late', 'still_down']);
    const paged = await call('POST', '/channels', { kind: 'opsgenie', name: 'Ops', config: { apiKey: 'k'.repeat(36) }, events: ['late'] });
    expect(paged.json().events).toEqual(['late']);
  });

  it('sends a PagerDuty test as a trigger resolved at once under one test key, so no incident stays open', async () => {
    const created = await call('POST', '/channels', {
      kind: 'pagerduty',
      name: 'Pager test',
      config: { routingKey: 'R0123456789abcdef0123456789ABCDE', baseUrl: `${receiverUrl}/pd` },
    });
    received.length = 0;
    expect((await call('POST', `/channels/${created.json().id}/test`)).json()).toEqual({ delivered: true, error: null, permanent: null });
    const events = received.map((request) => JSON.parse(request.body) as { event_action: string; dedup_key: string });
    expect(events.map((event) => event.event_action)).toEqual(['trigger', 'resolve']);
    expect(events[0]?.dedup_key).toMatch(/^cronbeat-test-[0-9a-f-]{36}$/);
    expect(events[1]?.dedup_key).toBe(events[0]?.dedup_key);
  });

  it('sends a test alert through a kind module (ntfy) to its server', async () => {
    const created = await call('POST', '/channels', {
      kind: 'ntfy',
      name: 'Phone',
      config: { serverUrl: `${receiverUrl}/ntfy`, topic: 'cronbeat-alerts', token: 'tk_secret' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().config).toMatchObject({ topic: 'cronbeat-alerts', token: { set: true } });
    received.length = 0;
    expect((await call('POST', `/channels/${created.json().id}/test`)).json()).toEqual({ delivered: true, error: null, permanent: null });
    expect(received).toHaveLength(1);
    expect(received[0]!.body).toContain('Test alert for channel');
  });

  it('publishes the channel configs in OpenAPI as one union by kind, every kind with its schema and its secrets write-only', async () => {
    const document = (await app.inject({ url: '/api/v1/openapi.json' })).json();
    const body = document.paths['/api/v1/channels'].post.requestBody.content['application/json'].schema;
    expect(body.discriminator).toEqual({ propertyName: 'kind' });
    type Branch = { properties: { kind: { const?: string; enum?: string[] } } };
    const kindOf = (branch: Branch) => branch.properties.kind.const ?? branch.properties.kind.enum?.[0];
    const kinds = body.anyOf.map(kindOf);
    expect(kinds).toEqual(expect.arrayContaining(['email', 'slack', 'webhook', 'discord', 'pagerduty', 'ntfy']));
    const pagerduty = body.anyOf.find((branch: Branch) => kindOf(branch) === 'pagerduty');
    expect(pagerduty.properties.config.required).toContain('routingKey');
    expect(pagerduty.properties.config.properties.routingKey).toMatchObject({
      writeOnly: true,
      description: expect.stringContaining('"set": true'),
    });
    expect(pagerduty.properties.events.items.enum ?? pagerduty.properties.events.items.anyOf).toBeDefined();
    const patch = document.paths['/api/v1/channels/{id}'].patch.requestBody.content['application/json'].schema;
    expect(patch.properties.config.anyOf.length).toBe(kinds.length);
  });

  it('shows a last error stored before bodies were dropped only up to its status', async () => {
    const channel = (await call('POST', '/channels', { kind: 'webhook', name: 'Old', config: { url: `${receiverUrl}/old` } })).json();
    await test.db
      .update(channels)
      .set({ lastError: 'webhook: HTTP 500 {"aws_secret_access_key":"hunter2"}', lastErrorAt: new Date() })
      .where(eq(channels.id, channel.id));
    expect((await call('GET', `/channels/${channel.id}`)).json().lastError).toBe('webhook: HTTP 500 Internal Server Error');
  });

  it('refuses to send a test alert to an address the operator did not allow, without connecting', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1:8080/', 'http://[fd00::1]/']) {
      for (const kind of ['webhook', 'slack'] as const) {
        const channel = (await call('POST', '/channels', { kind, name: 'Internal', config: { url } })).json();
        const failed = (await call('POST', `/channels/${channel.id}/test`)).json();
        expect(failed).toMatchObject({ delivered: false, permanent: true });
        expect(failed.error).toMatch(/refused: .* is not a public address \((link-local|private|unique-local)\)/);
      }
    }
  });
});
