/**
 * SMS through Twilio: the create-message request as documented
 * (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource):
 * POST /2010-04-01/Accounts/{AccountSid}/Messages.json, Basic auth
 * SID:token, form-encoded From, To, Body; the body one GSM-7 segment
 * (https://www.twilio.com/docs/glossary/what-is-gsm-7-character-encoding).
 */
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src';
import { gsmLength, toGsm } from '../../src/kinds/gsm-text';
import { SMS_SEGMENT, smsBody, twilioSmsKind } from '../../src/kinds/twilio-sms';
import { anAlert } from '../alert-fixture';
import { itTellsAnswersApart, useKindReceiver } from './support';

const accountSid = 'AC0123456789abcdef0123456789abcdef';
const authToken = 'fedcba9876543210fedcba9876543210';
const T = new Date('2026-06-02T14:00:00Z');
const queued = { status: 201, body: { sid: 'SM0123456789abcdef0123456789abcdef', status: 'queued' } };

describe('SMS through Twilio', () => {
  const { receiver, context } = useKindReceiver();
  const send = (alert: Alert) =>
    twilioSmsKind.send(context(), { accountSid, authToken, from: '+14155550100', to: '+4915123456789', baseUrl: receiver().url }, alert);

  it('posts the documented form with Basic auth', async () => {
    receiver().respond = () => queued;
    await send(anAlert());
    const [request] = receiver().requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/2010-04-01/Accounts/${accountSid}/Messages.json`);
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      From: '+14155550100',
      To: '+4915123456789',
      Body: 'DOWN: nightly-backup (failed, exit status 3) https://cronbeat.example/checks/6f1c1f1e',
    });
  });

  it('fits a long subject in one 160-character segment, cut with ... and keeping the link', () => {
    const body = smsBody(anAlert({ check: { name: 'a-very-long-check-name-'.repeat(10) } }));
    expect(gsmLength(body)).toBeLessThanOrEqual(SMS_SEGMENT);
    expect(body).toMatch(/^DOWN: a-very-long-check-name-.*\.\.\. https:\/\/cronbeat\.example\/checks\/6f1c1f1e$/);
  });

  it('stays GSM-7 whatever the name, so one segment holds 160 characters, not 70', () => {
    const body = smsBody(anAlert({ check: { name: 'Kraków — “backup” 🚀 Zürich {x}' } }));
    expect(body).toContain('Krakow - "backup" ? Zürich {x}');
    expect(toGsm(body)).toBe(body);
    const long = smsBody(anAlert({ check: { name: '{€}'.repeat(60) } }));
    expect(gsmLength(long)).toBeLessThanOrEqual(SMS_SEGMENT);
  });

  it('leaves out a link too long to share the segment', () => {
    const body = smsBody(anAlert({ check: { name: 'n'.repeat(200), url: `https://cronbeat.example/${'p'.repeat(100)}` } }));
    expect(gsmLength(body)).toBe(SMS_SEGMENT);
    expect(body).not.toContain('https://');
  });

  it('says UP with how long it was down', () => {
    const up = anAlert({
      flip: { id: 9, from: 'down', to: 'up', reason: 'success', at: new Date(T.getTime() + 3 * 3600_000), exitStatus: 0 },
      downSince: T,
    });
    expect(smsBody(up)).toBe('UP: nightly-backup (down for 3 h) https://cronbeat.example/checks/6f1c1f1e');
  });

  it('takes E.164 numbers, an alphanumeric sender, and lists the auth token as a secret', () => {
    const valid = { accountSid, authToken, from: '+14155550100', to: '+4915123456789' };
    expect(Value.Check(twilioSmsKind.config, valid)).toBe(true);
    expect(Value.Check(twilioSmsKind.config, { ...valid, from: 'Cronbeat' })).toBe(true);
    expect(Value.Check(twilioSmsKind.config, { ...valid, to: '015123456789' })).toBe(false);
    expect(Value.Check(twilioSmsKind.config, { ...valid, accountSid: 'XY0123456789abcdef0123456789abcdef' })).toBe(false);
    expect(Value.Check(twilioSmsKind.config, { ...valid, authToken: 'short' })).toBe(false);
    expect(twilioSmsKind.secrets).toEqual(['authToken']);
  });

  itTellsAnswersApart({
    receiver,
    send,
    alert: () => anAlert(),
    ok: queued,
    refused: { status: 400, body: { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 } },
    rateLimited: { status: 429, headers: { 'retry-after': '2' }, body: { code: 20429, message: 'Too Many Requests', status: 429 } },
    retryAfterMs: 2000,
  });
});
