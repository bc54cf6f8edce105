/**
 * The registry of channel kinds: every kind of core's list has a module (or
 * is built in) with its schema, and a module's config is judged by its
 * schema with errors that name the field; a kind's send is reached through
 * the notifier, to a real HTTP receiver.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CHANNEL_KINDS } from '@cronbeat/core';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_KIND_INFO, ChannelConfigError, createNotifier, type Notifier, parseChannelConfig, secretFields } from '../src';
import { parseWithSchema } from '../src/config-schema';
import { anAlert } from './alert-fixture';
import { type HttpReceiver, startHttpReceiver } from './support/receivers';

const refusal = (run: () => unknown): ChannelConfigError => {
  try {
    run();
  } catch (error) {
    if (error instanceof ChannelConfigError) return error;
    throw error;
  }
  throw new Error('the config was accepted');
};

describe('the registry of channel kinds', () => {
  it('lists every kind of core once, each with a title, a config schema and its secrets', () => {
    expect(CHANNEL_KIND_INFO.map((info) => info.kind)).toEqual([...CHANNEL_KINDS]);
    for (const info of CHANNEL_KIND_INFO) {
      expect(info.title).toBeTruthy();
      expect((info.config as { type?: string }).type).toBe('object');
      const properties = Object.keys((info.config as { properties?: object }).properties ?? {});
      for (const secret of info.secrets) expect(properties, `${info.kind}'s secret ${secret}`).toContain(secret);
    }
    expect(secretFields('webhook')).toEqual(['secret']);
    expect(secretFields('email')).toEqual([]);
  });

  it('judges a module kind by its schema, filling in defaults', () => {
    expect(parseChannelConfig('ntfy', { topic: 'backups' })).toMatchObject({ topic: 'backups', serverUrl: 'https://ntfy.sh' });
  });

  it('names the field of a refused config: missing, unknown, or wrong', () => {
    expect(refusal(() => parseChannelConfig('ntfy', {})).field).toBe('topic');
    expect(refusal(() => parseChannelConfig('ntfy', { topic: 'a', colour: 'red' }))).toMatchObject({ field: 'colour' });
    expect(refusal(() => parseChannelConfig('ntfy', { topic: 'a b' })).field).toBe('topic');
    expect(refusal(() => parseChannelConfig('ntfy', 'topic')).field).toBe('config');
    expect(refusal(() => parseChannelConfig('pager' as never, {})).field).toBe('kind');
  });

  it('names nested fields by their path', () => {
    const schema = Type.Object({ headers: Type.Object({ accept: Type.String({ minLength: 1 }) }, { additionalProperties: false }) });
    expect(refusal(() => parseWithSchema(schema, 'test', { headers: { accept: '' } }))).toMatchObject({ field: 'headers.accept' });
    expect(refusal(() => parseWithSchema(schema, 'test', { headers: {} }))).toMatchObject({ field: 'headers.accept' });
    expect(refusal(() => parseWithSchema(schema, 'test', { headers: { accept: 'a', x: 'y' } }))).toMatchObject({ field: 'headers.x' });
  });
});

describe('sending through a kind module', () => {
  let http: HttpReceiver;
  let limited: Server;
  let limitedUrl: string;
  let notifier: Notifier;
  beforeAll(async () => {
    http = await startHttpReceiver();
    // A receiver that is rate limiting, with the header the shared receiver cannot send.
    limited = createServer((_request, response) => response.writeHead(429, { 'retry-after': '120' }).end());
    await new Promise<void>((resolve) => limited.listen(0, '127.0.0.1', resolve));
    limitedUrl = `http://127.0.0.1:${(limited.address() as AddressInfo).port}`;
    notifier = createNotifier({
      smtpUrl: null,
      emailFrom: 'alerts@cronbeat.test',
      httpTimeoutMs: 2000,
      privateTargetsAllowed: ['127.0.0.0/8'],
    });
  });
  afterAll(async () => {
    notifier.close();
    await Promise.all([http.close(), new Promise((resolve) => limited.close(resolve))]);
  });

  it("dispatches to the kind's send with the guard and passes its DeliveryError on", async () => {
    http.respond = () => ({ status: 200, body: '{}' });
    await notifier.send({ kind: 'ntfy', config: { serverUrl: http.url, topic: 'backups' } }, anAlert());
    expect(http.requests.at(-1)?.path).toBe('/backups');
    const error = await notifier.send({ kind: 'ntfy', config: { serverUrl: limitedUrl, topic: 'backups' } }, anAlert()).catch((e) => e);
    expect(error).toMatchObject({ permanent: false, retryAfterMs: 120_000 });
  });

  it.each([
    ['webhook', { url: '' }],
    ['slack', { url: '' }],
  ] as const)('passes a 429 Retry-After on from the built-in %s kind too', async (kind, config) => {
    const error = await notifier.send({ kind, config: { ...config, url: `${limitedUrl}/hook` } }, anAlert()).catch((e) => e);
    expect(error).toMatchObject({ permanent: false, retryAfterMs: 120_000 });
  });

  it('refuses a stored config that no longer parses, permanently', async () => {
    const error = await notifier.send({ kind: 'ntfy', config: { topic: 'a b' } }, anAlert()).catch((e) => e);
    expect(error).toMatchObject({ permanent: true });
  });
});
