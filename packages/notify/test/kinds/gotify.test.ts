/**
 * Gotify: the createMessage request as documented
 * (https://gotify.net/docs/pushmsg, https://gotify.net/api-docs): POST
 * /message, `X-Gotify-Key: <app token>`, JSON title, message, priority, and
 * extras (https://gotify.net/docs/msgextras).
 */
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src';
import { gotifyKind } from '../../src/kinds/gotify';
import { anAlert } from '../alert-fixture';
import { itTellsAnswersApart, useKindReceiver } from './support';

const appToken = 'AWH2Q7Xu3zUJ0Zq';
const T = new Date('2026-06-02T14:00:00Z');
const up = () =>
  anAlert({
    flip: { id: 9, from: 'down', to: 'up', reason: 'success', at: new Date(T.getTime() + 3 * 3600_000), exitStatus: 0 },
    downSince: T,
  });
const stored = { status: 200, body: { id: 25, appid: 5, message: '…', title: '…', priority: 8, date: '2026-06-02T14:00:01Z' } };

describe('Gotify', () => {
  const { receiver, context } = useKindReceiver();
  const send = (alert: Alert, extra: Record<string, unknown> = {}) =>
    gotifyKind.send(context(), { serverUrl: `${receiver().url}/gotify/`, appToken, ...extra }, alert);

  it('posts a DOWN as the documented message', async () => {
    receiver().respond = () => stored;
    await send(anAlert());
    const [request] = receiver().requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/gotify/message');
    expect(request?.headers['x-gotify-key']).toBe(appToken);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.json).toMatchObject({
      title: 'DOWN: nightly-backup (failed, exit status 3)',
      priority: 8,
      extras: {
        'client::display': { contentType: 'text/plain' },
        'client::notification': { click: { url: 'https://cronbeat.example/checks/6f1c1f1e' } },
      },
    });
    const { message } = request!.json as { message: string };
    expect(message).toContain('Reason: failed');
    expect(message).toContain('pg_dump: error: connection refused');
    expect(message.endsWith('https://cronbeat.example/checks/6f1c1f1e')).toBe(true);
  });

  it('sends UP and LATE with their own priorities', async () => {
    await send(up(), { upPriority: 2 });
    await send(anAlert({ flip: { to: 'late', from: 'up', reason: 'missed', exitStatus: null } }));
    const [recovered, late] = receiver().requests.map((request) => request.json as { priority: number; title: string });
    expect(recovered).toMatchObject({ priority: 2, title: 'UP: nightly-backup (down for 3 h)' });
    expect(late?.priority).toBe(5);
  });

  it('needs a server URL and a token, takes priorities 0 to 10, and lists the token as a secret', () => {
    expect(Value.Check(gotifyKind.config, { serverUrl: 'https://push.example.com', appToken })).toBe(true);
    expect(Value.Check(gotifyKind.config, { appToken })).toBe(false);
    expect(Value.Check(gotifyKind.config, { serverUrl: 'push.example.com', appToken })).toBe(false);
    expect(Value.Check(gotifyKind.config, { serverUrl: 'https://push.example.com', appToken, downPriority: 11 })).toBe(false);
    expect(gotifyKind.secrets).toEqual(['appToken']);
  });

  itTellsAnswersApart({
    receiver,
    send: (alert) => send(alert),
    alert: () => anAlert(),
    ok: stored,
    refused: { status: 401, body: { error: 'Unauthorized', errorCode: 401, errorDescription: 'you need to provide a valid access token' } },
    rateLimited: { status: 429, headers: { 'retry-after': '20' }, body: 'Too Many Requests' },
    retryAfterMs: 20_000,
  });
});
