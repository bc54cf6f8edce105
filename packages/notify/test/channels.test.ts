import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifier, DeliveryError, type Notifier, SIGNATURE_HEADER } from '../src';
import { anAlert } from './alert-fixture';
import { eventually, type HttpReceiver, type SmtpReceiver, startHttpReceiver, startSmtpReceiver } from './support/receivers';

let smtp: SmtpReceiver;
let http: HttpReceiver;
let notifier: Notifier;

beforeAll(async () => {
  [smtp, http] = await Promise.all([startSmtpReceiver(), startHttpReceiver()]);
  notifier = createNotifier({ smtpUrl: smtp.url, emailFrom: 'Cronbeat <alerts@cronbeat.test>', httpTimeoutMs: 500 });
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
    expect(mail.html).toContain('<pre>pg_dump: error: connection refused</pre>');
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
  it('posts a Block Kit message with the facts, the output in a code block and a link', async () => {
    http.respond = () => ({ status: 200, body: 'ok' });
    await notifier.send({ kind: 'slack', config: { url: `${http.url}/slack` } }, anAlert());
    const body = JSON.parse(http.requests.at(-1)!.body);
    expect(body.text).toBe('DOWN: nightly-backup (failed, exit status 3)');
    const blocks = JSON.stringify(body.blocks);
    for (const fact of [
      '*Status*\\nDOWN',
      '*Project*\\nAcme',
      '*Exit status*\\n3',
      '*Schedule*',
      '```pg_dump: error: connection refused```',
      'https://cronbeat.example/checks/6f1c1f1e',
    ]) {
      expect(blocks).toContain(fact);
    }
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
      check: { name: 'nightly-backup', project: 'Acme', status: 'down' },
      flip: { id: 7, from: 'up', to: 'down', reason: 'failed', exitStatus: 3 },
      ping: { kind: 'fail', exitStatus: 3, body: 'pg_dump: error: connection refused' },
    });
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
