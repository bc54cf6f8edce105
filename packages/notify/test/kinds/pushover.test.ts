/**
 * Pushover: the message request as documented (https://pushover.net/api):
 * POST /1/messages.json, form-encoded, with token, user, message, title,
 * url and priority; emergency priority with retry and expire.
 */
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src';
import { pushoverKind } from '../../src/kinds/pushover';
import { anAlert } from '../alert-fixture';
import { itTellsAnswersApart, useKindReceiver } from './support';

const token = 'azGDORePK8gMaC0QOYAMyEEuzJnyUi';
const userKey = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';
const T = new Date('2026-06-02T14:00:00Z');
const up = () =>
  anAlert({
    flip: { id: 9, from: 'down', to: 'up', reason: 'success', at: new Date(T.getTime() + 3 * 3600_000), exitStatus: 0 },
    downSince: T,
  });
const form = (body: string | undefined) => Object.fromEntries(new URLSearchParams(body ?? ''));

describe('Pushover', () => {
  const { receiver, context } = useKindReceiver();
  const send = (alert: Alert, extra: Record<string, unknown> = {}) =>
    pushoverKind.send(context(), { token, userKey, baseUrl: receiver().url, ...extra }, alert);

  it('posts a DOWN as the documented form', async () => {
    receiver().respond = () => ({ status: 200, body: { status: 1, request: '647d2300-702c-4b38-8b2f-d56326ae460b' } });
    await send(anAlert());
    const [request] = receiver().requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/1/messages.json');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const fields = form(request?.body);
    expect(fields).toMatchObject({
      token,
      user: userKey,
      title: 'DOWN: nightly-backup (failed, exit status 3)',
      priority: '1',
      url: 'https://cronbeat.example/checks/6f1c1f1e',
      url_title: 'Open the check',
      timestamp: String(T.getTime() / 1000),
    });
    expect(fields.message).toContain('Reason: failed');
    expect(fields.message).toContain('pg_dump: error: connection refused');
    expect(fields.retry).toBeUndefined();
  });

  it('sends UP with its own priority, and an emergency with retry and expire', async () => {
    await send(up());
    await send(anAlert(), { downPriority: 2, device: 'phone,tablet' });
    const [recovered, emergency] = receiver().requests.map((request) => form(request.body));
    expect(recovered?.priority).toBe('0');
    expect(recovered?.title).toBe('UP: nightly-backup (down for 3 h)');
    expect(emergency).toMatchObject({ priority: '2', retry: '60', expire: '3600', device: 'phone,tablet' });
  });

  it('keeps the message within the 1,024 characters Pushover takes', async () => {
    await send(anAlert({ ping: { at: T, kind: 'fail', exitStatus: 3, bodyTail: `${'x'.repeat(5000)}THE END` } }));
    const { message } = form(receiver().requests[0]?.body);
    expect(message?.length).toBeLessThanOrEqual(1024);
    expect(message?.endsWith('THE END')).toBe(true);
  });

  it('waits for the monthly limit to reset on a 429 without Retry-After', async () => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    receiver().respond = () => ({
      status: 429,
      headers: { 'x-limit-app-reset': String(reset) },
      body: { status: 0, errors: ['over limit'] },
    });
    const error = await send(anAlert()).catch((caught) => caught);
    expect(error.permanent).toBe(false);
    expect(error.retryAfterMs).toBeGreaterThan(3590_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(3600_000);
  });

  it('accepts 30-character keys and priorities -2 to 2 only, and lists both keys as secrets', () => {
    expect(Value.Check(pushoverKind.config, { token, userKey, upPriority: -2 })).toBe(true);
    expect(Value.Check(pushoverKind.config, { token, userKey: 'short' })).toBe(false);
    expect(Value.Check(pushoverKind.config, { token, userKey, downPriority: 3 })).toBe(false);
    expect(Value.Check(pushoverKind.config, { token, userKey, device: 'a b' })).toBe(false);
    expect(pushoverKind.secrets).toEqual(['token', 'userKey']);
  });

  itTellsAnswersApart({
    receiver,
    send: (alert) => send(alert),
    alert: () => anAlert(),
    ok: { status: 200, body: { status: 1, request: '647d2300-702c-4b38-8b2f-d56326ae460b' } },
    refused: { status: 400, body: { user: 'invalid', errors: ['user identifier is invalid'], status: 0, request: 'r' } },
    rateLimited: { status: 429, headers: { 'retry-after': '60' }, body: { status: 0, errors: ['too many'] } },
    retryAfterMs: 60_000,
  });
});
