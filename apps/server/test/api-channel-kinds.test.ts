import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance } from 'fastify';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, bearer, createKey, injectApi, signUp, testApp } from './api-fixtures';

interface KindInfo {
  kind: string;
  title: string;
  secrets: string[];
  defaultEvents: string[];
  schema: { type: string; properties: Record<string, { description?: string }>; required?: string[] };
}

describe.each(testDatabaseKinds())('channel kinds API on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testApp(test.database);
  });
  afterAll(() => app.close());

  it('lists every kind with its title, write-only fields and config JSON Schema, to any member of the project', async () => {
    const owner = await signUp(app);
    const readonly = await addMember(app, owner, 'readonly');
    const roKey = bearer((await createKey(app, owner, 'read-only')).key);
    for (const headers of [owner.headers, readonly.headers, roKey]) {
      const response = await injectApi(app, 'GET', '/channel-kinds', headers);
      expect(response.statusCode).toBe(200);
      const kinds = response.json().kinds as KindInfo[];
      expect(kinds.map((info) => info.kind)).toEqual(
        expect.arrayContaining(['email', 'slack', 'webhook', 'discord', 'pagerduty', 'templated-webhook']),
      );
      expect(kinds).toHaveLength(17);
      const pagerduty = kinds.find((info) => info.kind === 'pagerduty');
      expect(pagerduty).toMatchObject({
        title: 'PagerDuty',
        secrets: ['routingKey'],
        schema: { type: 'object', required: ['routingKey'] },
      });
      expect(pagerduty?.schema.properties.routingKey?.description).toMatch(/Integration Key/);
      expect(kinds.find((info) => info.kind === 'webhook')?.secrets).toEqual(['secret']);
      // Incident tools are not sent late alerts unless asked; the others get every event.
      expect(pagerduty?.defaultEvents).toEqual(['down', 'still_down', 'up']);
      expect(kinds.find((info) => info.kind === 'email')?.defaultEvents).toEqual(['down', 'up', 'late', 'still_down']);
      // Slack's incoming-webhook URL lets whoever holds it post, as Discord's and the other chat webhooks do.
      for (const kind of ['slack', 'discord', 'teams', 'google-chat', 'mattermost', 'rocket-chat'])
        expect(kinds.find((info) => info.kind === kind)?.secrets, kind).toEqual(['url']);
    }
  });

  it('answers a schema a JSON Schema validator judges configs by', async () => {
    const owner = await signUp(app);
    const kinds = (await injectApi(app, 'GET', '/channel-kinds', owner.headers)).json().kinds as KindInfo[];
    const discord = Compile(kinds.find((info) => info.kind === 'discord')?.schema as never);
    expect(discord.Check({ url: 'https://discord.com/api/webhooks/1/abc' })).toBe(true);
    expect(discord.Check({ url: 'ftp://example.com' })).toBe(false);
    expect(discord.Check({})).toBe(false);
  });

  it('answers 401 without a session or key', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/channel-kinds' });
    expect(response.statusCode).toBe(401);
  });
});
