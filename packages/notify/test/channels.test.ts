import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifier, DeliveryError, type Notifier, SIGNATURE_HEADER, webhookPayload } from '../src';
import { anAlert } from './alert-fixture';
import { eventually, type HttpReceiver, type SmtpReceiver, startHttpReceiver, startSmtpReceiver } from './support/receivers';

let smtp: SmtpReceiver;
let http: HttpReceiver;
let notifier: Notifier;

beforeAll(async () => {
  [smtp, http] = await Promise.all([startSmtpReceiver(), startHttpReceiver()]);
  // The receivers listen on loopback, which channels reach only when the operator allows it.
  notifier = createNotifier({
    smtpUrl: smtp.url,
    emailFrom: 'Cronbeat <alerts@cronbeat.test>',
    httpTimeoutMs: 500,
    privateTargetsAllowed: ['127.0.0.0/8'],
  });
});
afterAll(async () => {
  notifier.close();
  await Promise.all([smtp.close(), http.close()]);
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error as DeliveryError,
  );

describe('email', () => {
  it('sends plain text and HTML with the subject that says what happened', async () => {
    await notifier.send({ kind: 'email', config: { to: ['ops@example.com'] } }, anAlert());
    await eventually(() => smtp.mails.length === 1);
    const mail = smtp.mails[0]!;
    expect(mail.subject).toBe('DOWN: nightly-backup (failed, exit status 3)');
    expect(mail.text).toContain('pg_dump: error: connection refused');
    expect(mail.html).toMatch(/<pre [^>]*>pg_dump: error: connection refused<\/pre>/);
    // Mail software sees every attempt at one notification as the same message.
    expect(mail.messageId).toBe('<a1b2c3d4-0000-4000-8000-000000000007@cronbeat.alert>');
  });

  it('fails permanently for a mailbox the server refuses', async () => {
    const error = await failure(notifier.send({ kind: 'email', config: { to: ['nobody@example.com'] } }, anAlert()));
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error?.permanent).toBe(true);
  });

  it('fails transiently while the server answers 421', async () => {
    smtp.refuseWith = 421;
    const error = await failure(notifier.send({ kind: 'email', config: { to: ['ops@example.com'] } }, anAlert()));
    smtp.refuseWith = null;
    expect(error?.permanent).toBe(false);
  });

  it('fails permanently without an SMTP server configured', async () => {
    const unconfigured = createNotifier({ smtpUrl: null, emailFrom: 'x@y.z' });
    expect((await failure(unconfigured.send({ kind: 'email', config: { to: ['ops@example.com'] } }, anAlert())))?.permanent).toBe(true);
  });
});

describe('Slack', () => {
  it('posts a Block Kit message with the facts, times in the check’s zone, the output in a code block and a link', async () => {
    http.respond = () => ({ status: 200, body: 'ok' });
    await notifier.send({ kind: 'slack', config: { url: `${http.url}/slack` } }, anAlert());
    const body = JSON.parse(http.requests.at(-1)!.body);
    expect(body.text).toBe('DOWN: nightly-backup (failed, exit status 3)');
    const blocks = JSON.stringify(body.blocks);
    for (const fact of [
      '*Status*\\nDOWN',
      '*Project*\\nAcme',
      '*Exit status*\\n3',
      // Wall-clock times on the check's clocks, its zone named, as in emails.
      '*Down since*\\nTue, 2 Jun 2026, 16:00 (Europe/Berlin)',
      '*Last ping*\\nMon, 1 Jun 2026, 14:00 (Europe/Berlin), 26 h ago',
      '*Schedule*',
      '```pg_dump: error: connection refused```',
      'https://cronbeat.example/checks/6f1c1f1e',
    ]) {
      expect(blocks).toContain(fact);
    }
  });

  it('escapes what people and jobs wrote, so a check name cannot mention @channel or plant a link', async () => {
    http.respond = () => ({ status: 200, body: 'ok' });
    const attack = '<!channel> <https://evil.example/login|re-authenticate>';
    const alert = anAlert({
      check: { name: attack, projectName: 'R&D <!here>' },
      ping: { at: new Date(), kind: 'fail', exitStatus: 3, bodyTail: 'done <@U123> & <!subteam^S1>' },
    });
    await notifier.send({ kind: 'slack', config: { url: `${http.url}/slack-escape` } }, alert);
    const body = JSON.parse(http.requests.filter((request) => request.path === '/slack-escape').at(-1)!.body);
    // Everything Slack parses as mrkdwn: the notification text and every mrkdwn text object.
    const mrkdwn: string[] = [body.text];
    JSON.stringify(body.blocks, (_key, value) => {
      if (value && value.type === 'mrkdwn') mrkdwn.push(value.text);
      return value;
    });
    expect(mrkdwn.length).toBeGreaterThan(5);
    for (const text of mrkdwn) expect(text).not.toMatch(/[<>]/);
    expect(body.text).toBe('DOWN: &lt;!channel&gt; &lt;https://evil.example/login|re-authenticate&gt; (failed, exit status 3)');
    expect(mrkdwn).toContain('*Project*\nR&amp;D &lt;!here&gt;');
    expect(mrkdwn).toContain('```done &lt;@U123&gt; &amp; &lt;!subteam^S1&gt;```');
    // The header is plain_text, which Slack shows as written and never parses for mentions or links.
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: `DOWN: ${attack} (failed, exit status 3)` } });
  });

  it('does not retry invalid_token, retries a 500', async () => {
    http.respond = () => ({ status: 403, body: 'invalid_token' });
    expect((await failure(notifier.send({ kind: 'slack', config: { url: `${http.url}/slack` } }, anAlert())))?.permanent).toBe(true);
    http.respond = () => ({ status: 500, body: 'oops' });
    expect((await failure(notifier.send({ kind: 'slack', config: { url: `${http.url}/slack` } }, anAlert())))?.permanent).toBe(false);
  });
});

describe('webhook', () => {
  it('posts the documented JSON, signed with the channel secret', async () => {
    http.respond = () => ({ status: 204 });
    const secret = 'a-secret-of-16-chars';
    await notifier.send({ kind: 'webhook', config: { url: `${http.url}/hook`, secret } }, anAlert());
    const request = http.requests.at(-1)!;
    expect(request.headers[SIGNATURE_HEADER]).toBe(`sha256=${createHmac('sha256', secret).update(request.body).digest('hex')}`);
    expect(JSON.parse(request.body)).toMatchObject({
      event: 'check.down',
      check: { name: 'nightly-backup', project: 'Acme', status: 'down', tz: 'Europe/Berlin' },
      flip: { id: 7, from: 'up', to: 'down', reason: 'failed', exitStatus: 3 },
      ping: { kind: 'fail', exitStatus: 3, body: 'pg_dump: error: connection refused' },
    });
  });

  it("names the check's time zone beside its UTC times: its own, else its cron schedule's, else UTC", () => {
    const period = { kind: 'period', period: 3600 } as const;
    expect(webhookPayload(anAlert({ check: { schedule: period, tz: 'Asia/Tokyo' } })).check.tz).toBe('Asia/Tokyo');
    expect(webhookPayload(anAlert()).check.tz).toBe('Europe/Berlin');
    expect(webhookPayload(anAlert({ check: { schedule: period } })).check.tz).toBe('UTC');
  });

  it('carries the notification id as Idempotency-Key and X-Cronbeat-Delivery, the same on every attempt', async () => {
    http.respond = () => ({ status: 200 });
    const alert = anAlert({ deliveryId: '0b5f4c1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e' });
    await notifier.send({ kind: 'webhook', config: { url: `${http.url}/idempotent` } }, alert);
    await notifier.send({ kind: 'webhook', config: { url: `${http.url}/idempotent` } }, alert);
    const received = http.requests.filter((request) => request.path === '/idempotent');
    expect(received).toHaveLength(2);
    for (const request of received) {
      expect(request.headers['idempotency-key']).toBe('0b5f4c1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e');
      expect(request.headers['x-cronbeat-delivery']).toBe('0b5f4c1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e');
    }
  });

  it('sends no signature without a secret', async () => {
    http.respond = () => ({ status: 200 });
    await notifier.send({ kind: 'webhook', config: { url: `${http.url}/hook` } }, anAlert());
    expect(http.requests.at(-1)!.headers[SIGNATURE_HEADER]).toBeUndefined();
  });

  it('gives up on a 404, retries a 503 and a timeout', async () => {
    const send = () => failure(notifier.send({ kind: 'webhook', config: { url: `${http.url}/hook` } }, anAlert()));
    http.respond = () => ({ status: 404 });
    expect((await send())?.permanent).toBe(true);
    http.respond = () => ({ status: 503 });
    expect((await send())?.permanent).toBe(false);
    http.respond = () => ({ status: 0 });
    expect((await send())?.permanent).toBe(false);
  });
});
