/**
 * Opsgenie: the Alert API requests as documented
 * (https://docs.opsgenie.com/docs/alert-api#create-alert,
 * https://docs.opsgenie.com/docs/alert-api#close-alert): POST /v2/alerts
 * with `Authorization: GenieKey <key>`, JSON with message, alias and
 * priority; POST /v2/alerts/{alias}/close?identifierType=alias.
 */
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src';
import { opsgenieAlias, opsgenieKind } from '../../src/kinds/opsgenie';
import { anAlert } from '../alert-fixture';
import { itTellsAnswersApart, useKindReceiver } from './support';

const apiKey = 'eb243592-faa2-4ba2-a551-1afdf565c889';
const T = new Date('2026-06-02T14:00:00Z');
const down = () => anAlert({ check: { tags: ['backups', 'db'] } });
const up = () =>
  anAlert({
    flip: { id: 9, from: 'down', to: 'up', reason: 'success', at: new Date(T.getTime() + 3 * 3600_000), exitStatus: 0 },
    downSince: T,
  });
const stillDown = () => anAlert({ reminderAt: new Date(T.getTime() + 6 * 3600_000) });
const accepted = {
  status: 202,
  body: { result: 'Request will be processed', took: 0.302, requestId: '43a29c5c-3dbf-4fa4-9c26-f4f71023e120' },
};

describe('Opsgenie', () => {
  const { receiver, context } = useKindReceiver();
  const send = (alert: Alert, extra: Record<string, unknown> = {}) =>
    opsgenieKind.send(context(), { apiKey, baseUrl: receiver().url, ...extra }, alert);

  it('creates an alert on DOWN with the documented request', async () => {
    receiver().respond = () => accepted;
    await send(down());
    const [request] = receiver().requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v2/alerts');
    expect(request?.headers.authorization).toBe(`GenieKey ${apiKey}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.json).toMatchObject({
      message: 'DOWN: nightly-backup (failed, exit status 3)',
      alias: `cronbeat-${down().check.id}`,
      priority: 'P1',
      source: 'Cronbeat',
      entity: 'nightly-backup',
      tags: ['cronbeat', 'backups', 'db'],
      details: { Reason: 'failed', 'Exit status': '3', Link: down().check.url },
    });
    const { description } = request!.json as { description: string };
    expect(description).toContain('Reason: failed');
    expect(description).toContain('pg_dump: error: connection refused');
  });

  it('closes on UP the alert its DOWN opened, by the same alias; a reminder creates with it again', async () => {
    await send(down());
    await send(stillDown());
    await send(up());
    const [created, reminded, closed] = receiver().requests;
    const alias = (created!.json as { alias: string }).alias;
    expect((reminded!.json as { alias: string }).alias).toBe(alias);
    expect(closed?.method).toBe('POST');
    expect(closed?.path).toBe(`/v2/alerts/${alias}/close?identifierType=alias`);
    expect(closed?.headers.authorization).toBe(`GenieKey ${apiKey}`);
    expect(closed?.json).toMatchObject({ source: 'Cronbeat' });
  });

  it('closes a test at once: creates under cronbeat-test-<delivery id>, waits until Opsgenie processed it, closes that alias', async () => {
    let polls = 0;
    receiver().respond = (request) => {
      if (request.method !== 'GET') return accepted;
      // Opsgenie answers 404 until the queued create is processed.
      polls += 1;
      return polls < 2
        ? { status: 404, body: { message: 'Request not found. It might not be processed, yet.' } }
        : { status: 200, body: { data: { isSuccess: true, action: 'Create', alias: 'x' } } };
    };
    const alert = down();
    await opsgenieKind.sendTest?.(context(), { apiKey, baseUrl: receiver().url }, alert);
    const alias = `cronbeat-test-${alert.deliveryId}`;
    expect(receiver().requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /v2/alerts',
      `GET /v2/alerts/requests/${accepted.body.requestId}`,
      `GET /v2/alerts/requests/${accepted.body.requestId}`,
      `POST /v2/alerts/${alias}/close?identifierType=alias`,
    ]);
    expect(receiver().requests[0]?.json).toMatchObject({ alias, priority: 'P1' });
    expect(alias).not.toBe(opsgenieAlias(alert));
    for (const request of receiver().requests) expect(request.headers.authorization).toBe(`GenieKey ${apiKey}`);
  });

  it('closes a test alert even when Opsgenie never says it processed the create', async () => {
    receiver().respond = (request) => (request.method === 'GET' ? { status: 404, body: {} } : accepted);
    await opsgenieKind.sendTest?.(context(), { apiKey, baseUrl: receiver().url }, down());
    const methods = receiver().requests.map((request) => request.method);
    expect(methods).toEqual(['POST', 'GET', 'GET', 'GET', 'GET', 'GET', 'POST']);
    expect(receiver().requests.at(-1)?.path).toMatch(/^\/v2\/alerts\/cronbeat-test-.*\/close\?identifierType=alias$/);
  });

  it('uses the configured priority and cuts the message to the 130 characters Opsgenie takes', async () => {
    await send(anAlert({ check: { name: 'n'.repeat(300) } }), { priority: 'P3' });
    const body = receiver().requests[0]?.json as { message: string; priority: string };
    expect(body.priority).toBe('P3');
    expect(body.message).toHaveLength(130);
  });

  it('does not open an alert for a LATE check', async () => {
    await send(anAlert({ flip: { to: 'late', from: 'up', reason: 'missed', exitStatus: null } }));
    expect(receiver().requests).toHaveLength(0);
  });

  it('opens one alert per check of a grouped alert', async () => {
    const other = anAlert({ check: { id: '6f1c1f1e-0000-4000-8000-000000000002', name: 'reports' }, flip: { id: 8 } });
    await send({ ...down(), group: [down(), other].map(({ check, flip }) => ({ check, flip })) });
    expect(receiver().requests.map((request) => (request.json as { alias: string }).alias)).toEqual([
      `cronbeat-${down().check.id}`,
      `cronbeat-${other.check.id}`,
    ]);
  });

  it('takes the throttling period as the wait when no Retry-After is given', async () => {
    receiver().respond = () => ({
      status: 429,
      headers: { 'x-ratelimit-state': 'THROTTLED', 'x-ratelimit-period-in-sec': '60' },
      body: {},
    });
    await expect(send(down())).rejects.toMatchObject({ permanent: false, retryAfterMs: 60_000 });
  });

  it('waits as long as a Retry-After asks, even with a throttling period', async () => {
    receiver().respond = () => ({
      status: 429,
      headers: { 'retry-after': '7', 'x-ratelimit-state': 'THROTTLED', 'x-ratelimit-period-in-sec': '60' },
      body: {},
    });
    await expect(send(down())).rejects.toMatchObject({ permanent: false, retryAfterMs: 7000 });
  });

  it('accepts US and EU base URLs and P1 to P5 only, and lists the key as a secret', () => {
    expect(Value.Check(opsgenieKind.config, { apiKey, baseUrl: 'https://api.eu.opsgenie.com', priority: 'P5' })).toBe(true);
    expect(Value.Check(opsgenieKind.config, { apiKey, priority: 'P6' })).toBe(false);
    expect(Value.Check(opsgenieKind.config, { apiKey: '' })).toBe(false);
    expect(Value.Check(opsgenieKind.config, { apiKey, baseUrl: 'api.opsgenie.com' })).toBe(false);
    expect(opsgenieKind.secrets).toEqual(['apiKey']);
  });

  itTellsAnswersApart({
    receiver,
    send: (alert) => send(alert),
    alert: down,
    ok: accepted,
    refused: { status: 422, body: { message: 'Request body is not processable', took: 0.001 } },
    rateLimited: { status: 429, headers: { 'retry-after': '5' }, body: { message: 'Too many requests' } },
    retryAfterMs: 5000,
  });
});
