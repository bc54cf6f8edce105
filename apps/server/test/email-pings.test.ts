import { randomUUID } from 'node:crypto';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { describe, expect, it } from 'vitest';
import { createKey } from './api-fixtures';
import { bodyOf, checkOf, DOMAIN, pingsOf, type SmtpRefusal, useMailServer } from './email-pings-fixtures';

/** Mail to a check's address is a ping: sent with nodemailer to the listener `start` runs, read back over the API. */
describe.each(testDatabaseKinds())('email pings on %s', (kind) => {
  const test = useTestDatabase(kind);
  const mail = useMailServer(() => test.database, { EMAIL_PINGS_MAX_BYTES: '20000', PING_BODY_LIMIT: '2000' });

  const send = (options: Parameters<ReturnType<typeof mail.transport>['sendMail']>[0]) =>
    mail.transport().sendMail({ from: 'nas@storage.example', ...options });
  const refusal = (options: Parameters<typeof send>[0]) =>
    send(options).then(
      () => {
        throw new Error('the mail was taken');
      },
      (error: SmtpRefusal) => error,
    );

  it('records a plain mail as a success ping: method EMAIL, scheme email, the client address, the sender, subject and text as body', async () => {
    const { owner, check } = await mail.aCheck();
    expect(check.pingEmail).toBe(`${check.pingCode}@${DOMAIN}`);
    const sent = await send({ to: check.pingEmail, subject: 'Backup done', text: 'All 3 volumes copied.\r\n' });
    expect(sent.response).toMatch(/^250 2\.0\.0 pinged 1 check$/);
    const [ping] = await pingsOf(mail.server, owner, check.id);
    expect(ping).toMatchObject({
      n: 1,
      kind: 'success',
      method: 'EMAIL',
      scheme: 'email',
      remoteAddr: '127.0.0.1',
      userAgent: 'Email from nas@storage.example',
      keyword: null,
    });
    expect(await bodyOf(mail.server, owner, check.id, 1)).toBe('Subject: Backup done\n\nAll 3 volumes copied.');
    expect(await checkOf(mail.server, owner, check.id)).toMatchObject({ status: 'up', nPings: 1 });
    // Healthchecks' API v3 lists it as Healthchecks lists an email ping.
    const { key } = await createKey(mail.server.app, owner);
    const v3 = await mail.server.app.inject({ method: 'GET', url: `/api/v3/checks/${check.id}/pings/`, headers: { 'x-api-key': key } });
    expect(v3.json().pings[0]).toMatchObject({ type: 'success', scheme: 'email', method: 'email', ua: 'Email from nas@storage.example' });
  });

  it('takes the text part of a multipart mail and leaves attachments out', async () => {
    const { owner, check } = await mail.aCheck();
    await send({
      to: check.pingEmail,
      subject: 'Nightly report',
      text: 'Plain part: 12 files.',
      html: '<p>HTML part: <b>12</b> files.</p>',
      attachments: [{ filename: 'log.txt', content: 'attachment body never stored' }],
    });
    const body = await bodyOf(mail.server, owner, check.id, 1);
    expect(body).toBe('Subject: Nightly report\n\nPlain part: 12 files.');
  });

  it('turns an HTML-only mail into text, tags and all markup gone', async () => {
    const { owner, check } = await mail.aCheck();
    await send({
      to: check.pingEmail,
      subject: 'ERP export',
      html: '<html><body><h1>Export</h1><p>Rows: <b>4,200</b> &lt;ok&gt;</p><script>alert(1)</script></body></html>',
    });
    const body = await bodyOf(mail.server, owner, check.id, 1);
    expect(body).toMatch(/^Subject: ERP export\n\n/);
    expect(body).toContain('Rows: 4,200 <ok>');
    expect(body).not.toMatch(/<\/?(b|p|h1|script)>/);
  });

  it('cuts the stored body at PING_BODY_LIMIT and keeps the size sent', async () => {
    const { owner, check } = await mail.aCheck();
    await send({ to: check.pingEmail, subject: 'Long', text: 'x'.repeat(5000) });
    const [ping] = await pingsOf(mail.server, owner, check.id);
    expect(ping!.bodySize).toBe('Subject: Long\n\n'.length + 5000);
    expect((await bodyOf(mail.server, owner, check.id, 1)).length).toBe(2000);
  });

  it('refuses a message over EMAIL_PINGS_MAX_BYTES with 552 and stores nothing', async () => {
    const { owner, check } = await mail.aCheck();
    const error = await refusal({ to: check.pingEmail, subject: 'Too big', text: 'y'.repeat(30_000) });
    expect(error).toMatchObject({ responseCode: 552, command: 'DATA' });
    expect(await pingsOf(mail.server, owner, check.id)).toEqual([]);
    expect(await checkOf(mail.server, owner, check.id)).toMatchObject({ status: 'new', nPings: 0 });
  });

  it('refuses an unknown ping code at RCPT TO with 550, before any data', async () => {
    const error = await refusal({ to: `${randomUUID()}@${DOMAIN}`, subject: 'Hello', text: 'x' });
    expect(error).toMatchObject({ responseCode: 550, command: 'RCPT TO' });
    expect(error.response).toContain('no such check');
  });

  it.each([
    ['another domain', (code: string) => `${code}@elsewhere.example`, 'relaying denied'],
    ['a subdomain of ours', (code: string) => `${code}@mx.${DOMAIN}`, 'relaying denied'],
    ['a local part that is no address form', () => `postmaster@${DOMAIN}`, 'no such check'],
    ['a slug without a ping key', () => `backups+@${DOMAIN}`, 'no such check'],
  ])('refuses %s at RCPT TO with 550 (no relaying)', async (_case, address, words) => {
    const { check } = await mail.aCheck();
    const error = await refusal({ to: address(check.pingCode), subject: 'Relay me', text: 'x' });
    expect(error).toMatchObject({ responseCode: 550, command: 'RCPT TO' });
    expect(error.response).toContain(words);
  });

  it('takes the domain in any case, and the ping code too', async () => {
    const { owner, check } = await mail.aCheck();
    await send({ to: `${check.pingCode.toUpperCase()}@${DOMAIN.toUpperCase()}`, subject: 'Caps', text: 'x' });
    expect(await pingsOf(mail.server, owner, check.id)).toHaveLength(1);
  });

  it('pings a check by <slug>+<ping-key>, and refuses a wrong key', async () => {
    const { owner, check } = await mail.aCheck({ slug: 'nas-backup' });
    const project = await mail.server.app.inject({ method: 'GET', url: `/api/v1/projects/${owner.projectId}`, headers: owner.headers });
    const pingKey = project.json().pingKey as string;
    await send({ to: `nas-backup+${pingKey}@${DOMAIN}`, subject: 'By slug', text: 'x' });
    expect(await pingsOf(mail.server, owner, check.id)).toHaveLength(1);
    const error = await refusal({ to: `nas-backup+${pingKey.slice(1)}x@${DOMAIN}`, subject: 'Wrong key', text: 'x' });
    expect(error).toMatchObject({ responseCode: 550, command: 'RCPT TO' });
  });

  it('pings every check a mail is addressed to, each once, and takes it for the known when one is unknown', async () => {
    const first = await mail.aCheck();
    const second = await mail.aCheck();
    const unknown = `${randomUUID()}@${DOMAIN}`;
    const sent = await send({
      to: [first.check.pingEmail!, second.check.pingEmail!, first.check.pingEmail!.toUpperCase(), unknown],
      subject: 'To both',
      text: 'x',
    });
    expect(sent.accepted).toHaveLength(3);
    expect(sent.rejected).toEqual([unknown]);
    expect(sent.response).toContain('pinged 2 checks');
    expect(await pingsOf(mail.server, first.owner, first.check.id)).toHaveLength(1);
    expect(await pingsOf(mail.server, second.owner, second.check.id)).toHaveLength(1);
  });

  it('decides the kind by the keywords: failure before success before start, else success', async () => {
    const { owner, check } = await mail.aCheck({
      failureKeywords: ['FAILED', 'error'],
      successKeywords: ['completed'],
      startKeywords: ['started'],
    });
    const subjects = [
      'Backup job started',
      'Backup job completed',
      'Backup job started, then completed',
      'Backup job FAILED after it started',
      'Disk temperature report',
    ];
    for (const subject of subjects) await send({ to: check.pingEmail, subject, text: 'see subject' });
    const pings = (await pingsOf(mail.server, owner, check.id)).reverse();
    expect(pings.map((ping) => [ping.kind, ping.keyword])).toEqual([
      ['start', 'started'],
      ['success', 'completed'],
      ['success', 'completed'],
      ['fail', 'FAILED'],
      // No keyword in it: what an HTTP ping to the plain URL is, a success.
      ['success', null],
    ]);
    // A keyword in the text, not the subject, counts too.
    await send({ to: check.pingEmail, subject: 'Nightly', text: 'one error in volume 2' });
    expect((await pingsOf(mail.server, owner, check.id))[0]).toMatchObject({ kind: 'fail', keyword: 'error' });
    expect(await checkOf(mail.server, owner, check.id)).toMatchObject({ status: 'down' });
  });

  it('starts a run on a start keyword, so the check shows it running until the end mail', async () => {
    const { owner, check } = await mail.aCheck({ startKeywords: ['Starting'] });
    await send({ to: check.pingEmail, subject: 'Starting nightly sync', text: '' });
    expect(await checkOf(mail.server, owner, check.id)).toMatchObject({ running: true });
    await send({ to: check.pingEmail, subject: 'Nightly sync finished', text: '' });
    expect(await checkOf(mail.server, owner, check.id)).toMatchObject({ running: false, status: 'up' });
  });

  it('counts mail to a check that takes POST pings only: that setting keeps link previews out, no previewer sends mail', async () => {
    const { owner, check } = await mail.aCheck({ methods: 'POST' });
    await send({ to: check.pingEmail, subject: 'Done', text: 'x' });
    expect((await pingsOf(mail.server, owner, check.id))[0]).toMatchObject({ kind: 'success' });
  });

  it('answers 250 only once the ping is stored: the API shows it at the first read (round trip measured)', async () => {
    const { owner, check } = await mail.aCheck();
    const transport = mail.transport();
    const sendToVisible: number[] = [];
    const sendTo250: number[] = [];
    for (let i = 1; i <= 20; i++) {
      const sentAt = performance.now();
      await transport.sendMail({ from: 'nas@storage.example', to: check.pingEmail, subject: `Run ${i}`, text: 'ok' });
      sendTo250.push(performance.now() - sentAt);
      // No polling: what 250 answered is committed, so the first read must show it.
      expect((await checkOf(mail.server, owner, check.id)).nPings).toBe(i);
      sendToVisible.push(performance.now() - sentAt);
    }
    // The HTTP ping path under the same load, for scale.
    const httpTo200: number[] = [];
    for (let i = 1; i <= 20; i++) {
      const sentAt = performance.now();
      const answer = await fetch(`${mail.server.address}/ping/${check.pingCode}`, { method: 'POST', body: 'ok' });
      expect(answer.status).toBe(200);
      httpTo200.push(performance.now() - sentAt);
    }
    const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1]!;
    console.info(
      `email ping round trip on ${kind} (connect, send, 250; then GET /api/v1/checks/:id), 20 mails: ` +
        `to 250 median ${percentile(sendTo250, 50).toFixed(1)} ms, p95 ${percentile(sendTo250, 95).toFixed(1)} ms; ` +
        `to visible median ${percentile(sendToVisible, 50).toFixed(1)} ms, p95 ${percentile(sendToVisible, 95).toFixed(1)} ms; ` +
        `an HTTP ping to 200 median ${percentile(httpTo200, 50).toFixed(1)} ms`,
    );
  });

  it('stops pinging at the old address once the ping code is rotated', async () => {
    const { owner, check } = await mail.aCheck();
    const rotated = await mail.server.app.inject({
      method: 'POST',
      url: `/api/v1/checks/${check.id}/ping-code/rotate`,
      headers: owner.headers,
    });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const error = await refusal({ to: check.pingEmail, subject: 'Old address', text: 'x' });
    expect(error).toMatchObject({ responseCode: 550, command: 'RCPT TO' });
    await send({ to: rotated.json().pingEmail, subject: 'New address', text: 'x' });
    expect(await pingsOf(mail.server, owner, check.id)).toHaveLength(1);
  });
});
