import { channels } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createKey, injectApi, type Method, signUp, testApp } from './api-fixtures';

/**
 * Channel secrets are write-only: answers say only that one is set, a PATCH
 * that leaves one out (or sends back { "set": true }) keeps it, a new value
 * replaces it and null removes it.
 */
describe.each(testDatabaseKinds())('channel secrets through the API on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let headers: Record<string, string>;
  beforeAll(async () => {
    app = await testApp(test.database);
    headers = bearer((await createKey(app, await signUp(app))).key);
  });
  afterAll(() => app.close());

  const call = (method: Method, url: string, payload?: object) => injectApi(app, method, url, headers, payload);

  it('never shows a secret back, says it is set, and keeps it when a config is replaced without it', async () => {
    const routingKey = 'R0123456789abcdef0123456789ABCDE';
    const created = await call('POST', '/channels', { kind: 'pagerduty', name: 'Pager', config: { routingKey, severity: 'error' } });
    expect(created.statusCode).toBe(201);
    const channel = created.json();
    // An incident tool is not sent late alerts unless asked: it would open nothing, and nothing would close it.
    expect(channel.events).toEqual(['down', 'still_down', 'up']);
    expect(channel.config).toEqual({ routingKey: { set: true }, severity: 'error', baseUrl: 'https://events.pagerduty.com' });
    for (const answer of [await call('GET', `/channels/${channel.id}`), await call('GET', '/channels')])
      expect(answer.body).not.toContain(routingKey);
    // A client sends back what it read ({ "set": true }), or leaves the secret out: the stored one stays.
    const edited = await call('PATCH', `/channels/${channel.id}`, { config: { ...channel.config, severity: 'warning' } });
    expect(edited.statusCode).toBe(200);
    expect(edited.body).not.toContain(routingKey);
    await call('PATCH', `/channels/${channel.id}`, { config: { severity: 'info' } });
    const [stored] = await test.db.select().from(channels).where(eq(channels.id, channel.id));
    expect(stored?.config).toMatchObject({ routingKey, severity: 'info' });
    // A new secret replaces it.
    const replaced = 'Z0123456789abcdef0123456789ABCDE';
    await call('PATCH', `/channels/${channel.id}`, { config: { routingKey: replaced } });
    const [after] = await test.db.select().from(channels).where(eq(channels.id, channel.id));
    expect(after?.config).toMatchObject({ routingKey: replaced });
  });

  it('removes a secret sent as null, whether or not its kind takes null, and refuses removing a required one by name', async () => {
    const created = await call('POST', '/channels', { kind: 'ntfy', name: 'Phone', config: { topic: 'alerts', token: 'tk_gone-soon' } });
    const id = created.json().id;
    // A rename leaves the config alone.
    expect((await call('PATCH', `/channels/${id}`, { name: 'Phone 2' })).json().config).toMatchObject({ token: { set: true } });
    const removed = await call('PATCH', `/channels/${id}`, { config: { topic: 'alerts', token: null } });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().config).not.toHaveProperty('token');
    const [stored] = await test.db.select().from(channels).where(eq(channels.id, id));
    expect(stored?.config).not.toHaveProperty('token');
    const pager = (
      await call('POST', '/channels', { kind: 'pagerduty', name: 'P', config: { routingKey: 'R0123456789abcdef0123456789ABCDE' } })
    ).json();
    const refused = await call('PATCH', `/channels/${pager.id}`, { config: { routingKey: null } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields['config.routingKey']).toMatch(/required/);
  });

  it('keeps a Slack webhook URL write-only: shown as set, kept on a rename or when left out, replaced when given', async () => {
    const url = 'https://hooks.slack.com/services/T000/B000/slack-token-not-to-show';
    const created = await call('POST', '/channels', { kind: 'slack', name: 'Chat', config: { url } });
    expect(created.statusCode).toBe(201);
    expect(created.json().config).toEqual({ url: { set: true } });
    const id = created.json().id;
    for (const answer of [created, await call('GET', `/channels/${id}`), await call('GET', '/channels')])
      expect(answer.body).not.toContain(url);
    expect((await call('PATCH', `/channels/${id}`, { name: 'Chat 2', config: {} })).statusCode).toBe(200);
    const [kept] = await test.db.select().from(channels).where(eq(channels.id, id));
    expect(kept?.config).toEqual({ url });
    const next = 'https://hooks.slack.com/services/T000/B000/another';
    await call('PATCH', `/channels/${id}`, { config: { url: next } });
    const [replaced] = await test.db.select().from(channels).where(eq(channels.id, id));
    expect(replaced?.config).toEqual({ url: next });
  });
});
