/**
 * SMS through Twilio (Messages resource:
 * https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource):
 * POST /2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP Basic auth
 * with the account SID and auth token, form-encoded `From`, `To`, `Body`.
 * The body is one GSM-7 segment of 160 characters (gsm-text.ts), so an
 * alert costs one message. Answers: 201 queued; 400 (a bad or blocked
 * number), 401 and 404 permanent; 429 (error 20429) and 5xx retried.
 * Twilio takes no idempotency key for messages: a retry after a crash
 * mid-send can send a second text.
 */
import { Type } from 'typebox';
import { alertSubject } from '../message';
import type { Alert } from '../types';
import { HttpUrl } from './chat-text';
import { clipGsm, gsmLength, toGsm } from './gsm-text';
import { type ChannelKindModule, sendRequest } from './kind';

const PhoneNumber = '\\+[1-9][0-9]{6,14}';

const config = Type.Object(
  {
    accountSid: Type.String({
      pattern: '^AC[0-9a-fA-F]{32}$',
      description: 'The Account SID from the Twilio console: AC and 32 hex digits.',
    }),
    authToken: Type.String({ pattern: '^[0-9a-fA-F]{32}$', description: 'The account’s Auth Token: 32 hex digits. Secret.' }),
    from: Type.String({
      pattern: `^(${PhoneNumber}|[A-Za-z0-9 ]*[A-Za-z][A-Za-z0-9 ]*)$`,
      maxLength: 16,
      description:
        'A Twilio phone number of the account in E.164 (+14155550100), or an alphanumeric sender ID of up to 11 letters and digits where the destination allows one.',
    }),
    to: Type.String({
      pattern: `^${PhoneNumber}$`,
      description: 'The phone number to text, in E.164: +, country code, number (+4915123456789).',
    }),
    baseUrl: Type.Optional(
      HttpUrl('The Twilio API. Default: https://api.twilio.com; change it only to go through a proxy.', {
        default: 'https://api.twilio.com',
      }),
    ),
  },
  { additionalProperties: false },
);

/** Septets of one GSM-7 segment. */
export const SMS_SEGMENT = 160;
/** A link longer than this leaves too little room for the subject: it is left out. */
const MAX_LINK = 60;

/**
 * `DOWN: nightly-backup (failed, exit status 3) https://…/checks/6f1c`:
 * the subject and the check's link in one GSM-7 segment; a long subject is
 * cut, keeping the link when it is short enough to leave room.
 */
export function smsBody(alert: Alert): string {
  const subject = toGsm(alertSubject(alert));
  const link = toGsm(alert.check.url);
  const linkRoom = gsmLength(link) + 1;
  if (gsmLength(subject) + linkRoom <= SMS_SEGMENT) return `${subject} ${link}`;
  if (gsmLength(link) > MAX_LINK) return clipGsm(subject, SMS_SEGMENT);
  return `${clipGsm(subject, SMS_SEGMENT - linkRoom)} ${link}`;
}

export const twilioSmsKind: ChannelKindModule<typeof config> = {
  kind: 'twilio-sms',
  title: 'SMS (Twilio)',
  config,
  secrets: ['authToken'],
  async send(context, settings, alert) {
    const base = (settings.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
    const url = `${base}/2010-04-01/Accounts/${settings.accountSid}/Messages.json`;
    const body = new URLSearchParams({ From: settings.from, To: settings.to, Body: smsBody(alert) }).toString();
    const headers = {
      authorization: `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    };
    await sendRequest(context, 'Twilio', url, { method: 'POST', headers, body });
  },
};
