/**
 * PagerDuty: the Events API v2 request as documented
 * (https://developer.pagerduty.com/docs/send-alert-event,
 * https://developer.pagerduty.com/docs/send-resolve-event): POST
 * /v2/enqueue, JSON, routing_key, event_action, dedup_key, and for a
 * trigger a payload with summary, source and severity.
 */

import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src';
import { pagerDutyDedupKey, pagerdutyKind } from '../../src/kinds/pagerduty';
import { anAlert } from '../alert-fixture';
import { itTellsAnswersApart, useKindReceiver } from './support';

const routingKey = 'R0ut1ngK3yR0ut1ngK3yR0ut1ngK3y00';
const T = new Date('2026-06-02T14:00:00Z');
const down = () => anAlert({ flip: { id: 7, from: 'up', to: 'down', reason: 'failed', at: T, exitStatus: 3 } });
const up = () =>
  anAlert({
    flip: { id: 9, from: 'down', to: 'up', reason: 'success', at: new Date(T.getTime() + 3 * 3600_000), exitStatus: 0 },
    downSince: T,
  });
const stillDown = () =>
  anAlert({
    flip: { id: 7, from: 'up', to: 'down', reason: 'failed', at: T, exitStatus: 3 },
    reminderAt: new Date(T.getTime() + 6 * 3600_000),
  });

describe('PagerDuty', () => {
  const { receiver, context } = useKindReceiver();
  const send = (alert: Alert, extra: Record<string, unknown> = {}) =>
    pagerdutyKind.send(context(), { routingKey, baseUrl: receiver().url, ...extra }, alert);

  it('triggers on DOWN with the documented event', async () => {
    await send(down());
    const [request] = receiver().requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v2/enqueue');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.json).toMatchObject({
      routing_key: routingKey,
      event_action: 'trigger',
      dedup_key: `cronbeat-${down().check.id}-${T.getTime()}`,
      payload: {
        summary: 'DOWN: nightly-backup (failed, exit status 3)',
        source: 'nightly-backup',
        severity: 'critical',
        timestamp: T.toISOString(),
        group: 'Acme',
        custom_details: { Reason: 'failed', 'Exit status': '3', 'Last output': 'pg_dump: error: connection refused' },
      },
      links: [{ href: down().check.url }],
    });
  });

  it('resolves on UP with the key its DOWN triggered, and a reminder re-triggers the same', async () => {
    await send(down());
    await send(stillDown());
    await send(up());
    const events = receiver().requests.map((request) => request.json as { event_action: string; dedup_key: string });
    expect(events.map((event) => event.event_action)).toEqual(['trigger', 'trigger', 'resolve']);
    expect(new Set(events.map((event) => event.dedup_key)).size).toBe(1);
    expect(receiver().requests[2]?.json).toEqual({ routing_key: routingKey, event_action: 'resolve', dedup_key: events[0]?.dedup_key });
  });

  it('gives the next incident of the same check another key', async () => {
    const later = new Date(T.getTime() + 24 * 3600_000);
    await send(down());
    await send(anAlert({ flip: { id: 12, from: 'up', to: 'down', reason: 'failed', at: later, exitStatus: 1 } }));
    const [first, second] = receiver().requests.map((request) => (request.json as { dedup_key: string }).dedup_key);
    expect(first).not.toBe(second);
  });

  it("resolves a test at once: a trigger then a resolve under one cronbeat-test-<delivery id> key, never the check's", async () => {
    const alert = down();
    await pagerdutyKind.sendTest?.(context(), { routingKey, baseUrl: receiver().url }, alert);
    const [trigger, resolve] = receiver().requests;
    expect(receiver().requests.map((request) => request.path)).toEqual(['/v2/enqueue', '/v2/enqueue']);
    expect(trigger?.json).toMatchObject({
      routing_key: routingKey,
      event_action: 'trigger',
      dedup_key: `cronbeat-test-${alert.deliveryId}`,
    });
    expect(resolve?.json).toEqual({ routing_key: routingKey, event_action: 'resolve', dedup_key: `cronbeat-test-${alert.deliveryId}` });
    expect(pagerDutyDedupKey(alert)).not.toBe(`cronbeat-test-${alert.deliveryId}`);
  });

  it('stops a test at a refused trigger, resolving nothing', async () => {
    receiver().respond = () => ({ status: 400, body: { status: 'invalid event' } });
    await expect(pagerdutyKind.sendTest?.(context(), { routingKey, baseUrl: receiver().url }, down())).rejects.toMatchObject({
      permanent: true,
    });
    expect(receiver().requests).toHaveLength(1);
  });

  it('uses the configured severity', async () => {
    await send(down(), { severity: 'warning' });
    expect(receiver().requests[0]?.json).toMatchObject({ payload: { severity: 'warning' } });
  });

  it('does not page for a LATE check', async () => {
    await send(anAlert({ flip: { to: 'late', from: 'up', reason: 'missed', exitStatus: null } }));
    expect(receiver().requests).toHaveLength(0);
  });

  it('triggers one incident per check of a grouped alert, each keyed as its own UP will resolve', async () => {
    const other = anAlert({ check: { id: '6f1c1f1e-0000-4000-8000-000000000002', name: 'reports' }, flip: { id: 8, at: T } });
    const alert: Alert = { ...down(), group: [down(), other].map(({ check, flip }) => ({ check, flip })) };
    await send(alert);
    const keys = receiver().requests.map((request) => (request.json as { dedup_key: string }).dedup_key);
    expect(keys).toEqual([`cronbeat-${down().check.id}-${T.getTime()}`, `cronbeat-${other.check.id}-${T.getTime()}`]);
  });

  it('cuts a summary to the 1,024 characters PagerDuty keeps', async () => {
    await send(anAlert({ check: { name: 'x'.repeat(2000) } }));
    const summary = (receiver().requests[0]!.json as { payload: { summary: string } }).payload.summary;
    expect(summary).toHaveLength(1024);
    expect(summary.endsWith('…')).toBe(true);
  });

  it('accepts only a 32-character routing key and http(s) base URLs, and lists the key as a secret', () => {
    expect(Value.Check(pagerdutyKind.config, { routingKey })).toBe(true);
    expect(Value.Check(pagerdutyKind.config, { routingKey: 'short' })).toBe(false);
    expect(Value.Check(pagerdutyKind.config, { routingKey, severity: 'page-everyone' })).toBe(false);
    expect(Value.Check(pagerdutyKind.config, { routingKey, baseUrl: 'ftp://events.pagerduty.com' })).toBe(false);
    expect(Value.Check(pagerdutyKind.config, { routingKey, extra: 1 })).toBe(false);
    expect(pagerdutyKind.secrets).toEqual(['routingKey']);
  });

  itTellsAnswersApart({
    receiver,
    send: (alert) => send(alert),
    alert: down,
    ok: { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: 'k' } },
    refused: {
      status: 400,
      body: { status: 'invalid event', message: 'Event object is invalid', errors: ['Length of routing_key is incorrect'] },
    },
    rateLimited: { status: 429, headers: { 'retry-after': '30' }, body: 'Too many requests' },
    retryAfterMs: 30_000,
  });
});
