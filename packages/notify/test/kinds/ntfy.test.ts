/**
 * ntfy: the publish request as documented (https://docs.ntfy.sh/publish/):
 * POST /<topic>, the message as the body, X-Title, X-Priority, X-Tags and
 * X-Click headers, `Authorization: Bearer <token>`
 * (https://docs.ntfy.sh/publish/#access-tokens).
 */
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src';
import { headerText } from '../../src/kinds/header-text';
import { ntfyKind, ntfyMessage } from '../../src/kinds/ntfy';
import { anAlert } from '../alert-fixture';
import { itTellsAnswersApart, useKindReceiver } from './support';

const T = new Date('2026-06-02T14:00:00Z');
const up = () =>
  anAlert({
    flip: { id: 9, from: 'down', to: 'up', reason: 'success', at: new Date(T.getTime() + 3 * 3600_000), exitStatus: 0 },
    downSince: T,
  });

/** What ntfy makes of an RFC 2047 header: adjacent encoded-words decoded and joined. */
const decodeHeader = (value: string) =>
  value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, base64: string) => `\u0000${base64}\u0000`)
    .split('\u0000')
    .map((part, i) => (i % 2 === 1 ? Buffer.from(part, 'base64') : Buffer.from(part, 'utf8')))
    .reduce((text, part) => Buffer.concat([text, part]), Buffer.alloc(0))
    .toString('utf8');

describe('ntfy', () => {
  const { receiver, context } = useKindReceiver();
  const send = (alert: Alert, extra: Record<string, unknown> = {}) =>
    ntfyKind.send(context(), { serverUrl: receiver().url, topic: 'cronbeat-acme-7f3k', ...extra }, alert);

  it('publishes a DOWN to the topic with the documented headers', async () => {
    await send(anAlert(), { token: 'tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2' });
    const [request] = receiver().requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/cronbeat-acme-7f3k');
    expect(request?.headers.authorization).toBe('Bearer tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2');
    expect(request?.headers['x-title']).toBe('DOWN: nightly-backup (failed, exit status 3)');
    expect(request?.headers['x-priority']).toBe('5');
    expect(request?.headers['x-tags']).toBe('rotating_light');
    expect(request?.headers['x-click']).toBe('https://cronbeat.example/checks/6f1c1f1e');
    // A retry of this notification replaces the notification on ntfy 2.16 and later.
    expect(request?.headers['x-sequence-id']).toBe(anAlert().deliveryId);
    expect(request?.body).toContain('Reason: failed');
    expect(request?.body).toContain('Exit status: 3');
    expect(request?.body).toContain('pg_dump: error: connection refused');
  });

  it('sends UP and LATE with their own priority and tag, and no Authorization without a token', async () => {
    await send(up(), { upPriority: 2 });
    await send(anAlert({ flip: { to: 'late', from: 'up', reason: 'missed', exitStatus: null } }));
    const [recovered, late] = receiver().requests;
    expect(recovered?.headers['x-priority']).toBe('2');
    expect(recovered?.headers['x-tags']).toBe('white_check_mark');
    expect(recovered?.headers.authorization).toBeUndefined();
    expect(late?.headers['x-priority']).toBe('3');
    expect(late?.headers['x-tags']).toBe('hourglass_flowing_sand');
  });

  it('reaches a self-hosted server under a path prefix', async () => {
    await ntfyKind.send(context(), { serverUrl: `${receiver().url}/ntfy/`, topic: 'ops' }, anAlert());
    expect(receiver().requests[0]?.path).toBe('/ntfy/ops');
  });

  it('sends a title beyond ASCII, or with a newline, as a header ntfy decodes back', async () => {
    const name = 'Sicherung München 🚀 — "nightly"\nsecond line';
    await send(anAlert({ check: { name } }));
    const title = receiver().requests[0]?.headers['x-title'] as string;
    expect(title).toMatch(/^[\x20-\x7e]+$/);
    expect(decodeHeader(title)).toBe(`DOWN: ${name.replace('\n', ' ')} (failed, exit status 3)`);
    expect(headerText('plain')).toBe('plain');
  });

  it('keeps a message within the 4,096 bytes ntfy keeps as text, the output’s end last', async () => {
    const alert = anAlert({ ping: { at: T, kind: 'fail', exitStatus: 3, bodyTail: `${'€'.repeat(3000)}THE END` } });
    const message = ntfyMessage(alert);
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(4096);
    expect(message.endsWith('THE END')).toBe(true);
  });

  it('accepts topics of letters, digits, - and _ only, and lists the token as a secret', () => {
    expect(Value.Check(ntfyKind.config, { topic: 'alerts_1-a' })).toBe(true);
    expect(Value.Check(ntfyKind.config, { topic: 'a/b' })).toBe(false);
    expect(Value.Check(ntfyKind.config, { topic: 'a', downPriority: 6 })).toBe(false);
    expect(Value.Check(ntfyKind.config, { topic: 'a', serverUrl: 'ntfy.sh' })).toBe(false);
    expect(ntfyKind.secrets).toEqual(['token']);
  });

  itTellsAnswersApart({
    receiver,
    send: (alert) => send(alert),
    alert: () => anAlert(),
    refused: { status: 403, body: { code: 40301, http: 403, error: 'forbidden' } },
    rateLimited: {
      status: 429,
      headers: { 'retry-after': '10' },
      body: { code: 42901, http: 429, error: 'limit reached: too many requests' },
    },
    retryAfterMs: 10_000,
  });
});
