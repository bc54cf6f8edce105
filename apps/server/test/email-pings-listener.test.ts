import { connect, type Socket } from 'node:net';
import { loadConfig } from '@cronbeat/config';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { freePort } from '@cronbeat/runtime/testing';
import { describe, expect, it } from 'vitest';
import { start } from '../src';
import { TEST_PASSWORD_COST } from '../src/testing';
import { BASE_URL, bearer, createKey, injectApi, signUp, testApp } from './api-fixtures';
import { DOMAIN, pingsOf, useMailServer } from './email-pings-fixtures';

/** A client speaking SMTP by hand, for what nodemailer would never send: each reply is read whole, within a deadline. */
async function smtpClient(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let buffered = '';
  let waiting: (() => void) | null = null;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    waiting?.();
  });
  socket.on('close', () => waiting?.());
  socket.on('error', () => waiting?.());
  /** The next complete reply (its last line is `NNN text`), or what came before the server closed. */
  async function reply(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = buffered.search(/^\d{3} .*\r\n/m);
      if (end >= 0) {
        const lineEnd = buffered.indexOf('\r\n', end) + 2;
        const answer = buffered.slice(0, lineEnd);
        buffered = buffered.slice(lineEnd);
        return answer;
      }
      if (socket.destroyed || Date.now() > deadline) return buffered;
      await new Promise<void>((resolve) => {
        waiting = resolve;
        setTimeout(resolve, 50);
      });
      waiting = null;
    }
  }
  return {
    socket,
    reply,
    async say(line: string) {
      socket.write(`${line}\r\n`);
      return reply();
    },
    closed: () => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve()))),
  };
}

describe.each(testDatabaseKinds())('the email ping listener on %s', (kind) => {
  const test = useTestDatabase(kind);
  const mail = useMailServer(() => test.database, { EMAIL_PINGS_MAX_BYTES: '5000' });

  it('refuses a MAIL FROM that declares a size over the limit with 552, and says the limit in EHLO', async () => {
    const client = await smtpClient(mail.server.emailPings!.port);
    expect(await client.reply()).toMatch(/^220 /);
    expect(await client.say('EHLO sender.example')).toMatch(/^250[- ]SIZE 5000\r$/m);
    expect(await client.say('MAIL FROM:<nas@storage.example> SIZE=9000')).toMatch(/^552 /);
    expect(await client.say('QUIT')).toMatch(/^221 /);
  });

  it('offers neither AUTH nor STARTTLS: nobody logs in, so nobody relays', async () => {
    const client = await smtpClient(mail.server.emailPings!.port);
    await client.reply();
    const features = await client.say('EHLO sender.example');
    expect(features).not.toMatch(/AUTH|STARTTLS/);
    expect(await client.say('AUTH PLAIN AGxvZ2luAHBhc3N3b3Jk')).toMatch(/^5\d\d /);
    client.socket.destroy();
  });

  it('takes pings over a session of its own: RCPT refused then accepted, DATA answered 250 once stored', async () => {
    const { owner, check } = await mail.aCheck();
    const client = await smtpClient(mail.server.emailPings!.port);
    await client.reply();
    await client.say('EHLO sender.example');
    expect(await client.say('MAIL FROM:<>')).toMatch(/^250 /);
    expect(await client.say(`RCPT TO:<root@${DOMAIN}>`)).toMatch(/^550 5\.1\.1 /);
    expect(await client.say(`RCPT TO:<${check.pingCode}@${DOMAIN}>`)).toMatch(/^250 /);
    expect(await client.say('DATA')).toMatch(/^354 /);
    expect(await client.say('Subject: raw\r\n\r\nhello\r\n.')).toMatch(/^250 2\.0\.0 pinged 1 check/);
    expect(await client.say('QUIT')).toMatch(/^221 /);
    expect((await pingsOf(mail.server, owner, check.id))[0]).toMatchObject({ userAgent: 'Email from <>', kind: 'success' });
  });

  it('answers 550 at the end of DATA when the only check was deleted after RCPT TO, and stores nothing', async () => {
    const { owner, check } = await mail.aCheck();
    const client = await smtpClient(mail.server.emailPings!.port);
    await client.reply();
    await client.say('EHLO sender.example');
    await client.say('MAIL FROM:<nas@storage.example>');
    expect(await client.say(`RCPT TO:<${check.pingCode}@${DOMAIN}>`)).toMatch(/^250 /);
    expect((await injectApi(mail.server.app, 'DELETE', `/checks/${check.id}`, owner.headers)).statusCode).toBe(204);
    expect(await client.say('DATA')).toMatch(/^354 /);
    expect(await client.say('Subject: late\r\n\r\nhello\r\n.')).toMatch(/^550 5\.1\.1 no such check/);
    client.socket.destroy();
  });

  it('shows the address only to callers who may ping', async () => {
    const { owner, check } = await mail.aCheck();
    const readOnly = bearer((await createKey(mail.server.app, owner, 'read-only')).key);
    const seen = (await injectApi(mail.server.app, 'GET', `/checks/${check.id}`, readOnly)).json();
    expect(seen.pingEmail).toBeUndefined();
    expect(seen.pingCode).toBeUndefined();
  });
});

describe.each(testDatabaseKinds())('the listener’s deadlines on %s', (kind) => {
  const test = useTestDatabase(kind);

  it('cuts a silent client at the socket timeout, closes a session left open within the close timeout, and shows no address when off', async () => {
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      BASE_URL,
      PORT: String(await freePort()),
      EMAIL_PINGS_PORT: '0',
      EMAIL_PINGS_DOMAIN: DOMAIN,
    });
    const server = await start(config, {
      database: test.database,
      passwordCost: TEST_PASSWORD_COST,
      emailPingTimeouts: { socket: 500, close: 300 },
    });
    const port = server.emailPings!.port;

    const silent = await smtpClient(port);
    await silent.reply();
    const cutAfter = Date.now();
    await silent.closed();
    expect(Date.now() - cutAfter).toBeLessThan(3000);

    const idle = await smtpClient(port);
    await idle.reply();
    await idle.say('EHLO sender.example');
    const closing = Date.now();
    await server.close();
    expect(Date.now() - closing).toBeLessThan(2000);
    expect(await idle.reply(1000)).toMatch(/^421 /);
    await expect(smtpClient(port).then((client) => client.reply(1000))).resolves.toBe('');

    // The same database, served without email pings: no address in the API.
    const plain = await testApp(test.database);
    const owner = await signUp(plain);
    const created = await injectApi(plain, 'POST', '/checks', owner.headers, { name: 'no mail' });
    expect(created.json().pingUrl).toBeDefined();
    expect(created.json().pingEmail).toBeUndefined();
    await plain.close();
  });

  it('answers 451 (the sender tries again) when the ping cannot be stored, as a ping URL answers 503', async () => {
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      BASE_URL,
      PORT: String(await freePort()),
      EMAIL_PINGS_PORT: '0',
      EMAIL_PINGS_DOMAIN: DOMAIN,
    });
    const server = await start(config, { database: test.database, passwordCost: TEST_PASSWORD_COST });
    try {
      const owner = await signUp(server.app);
      const check = (await injectApi(server.app, 'POST', '/checks', owner.headers, { name: 'stalled' })).json();
      // The recorder stops taking pings as it does when the server shuts down: HTTP pings get 503 from then on.
      await server.app.pingRecorder.close();
      expect((await server.app.inject({ method: 'POST', url: `/ping/${check.pingCode}` })).statusCode).toBe(503);
      const client = await smtpClient(server.emailPings!.port);
      await client.reply();
      await client.say('EHLO sender.example');
      await client.say('MAIL FROM:<nas@storage.example>');
      expect(await client.say(`RCPT TO:<${check.pingCode}@${DOMAIN}>`)).toMatch(/^250 /);
      expect(await client.say('DATA')).toMatch(/^354 /);
      expect(await client.say('Subject: stalled\r\n\r\nhello\r\n.')).toMatch(/^451 4\.3\.0 /);
      client.socket.destroy();
      expect((await injectApi(server.app, 'GET', `/checks/${check.id}`, owner.headers)).json()).toMatchObject({ nPings: 0 });
    } finally {
      await server.close();
    }
  });

  it('limits connections from one address', async () => {
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      BASE_URL,
      PORT: String(await freePort()),
      EMAIL_PINGS_PORT: '0',
      EMAIL_PINGS_DOMAIN: DOMAIN,
    });
    const server = await start(config, { database: test.database, passwordCost: TEST_PASSWORD_COST });
    try {
      const port = server.emailPings!.port;
      const open = await Promise.all(Array.from({ length: 10 }, () => smtpClient(port)));
      for (const client of open) expect(await client.reply()).toMatch(/^220 /);
      const eleventh = await smtpClient(port);
      expect(await eleventh.reply()).toMatch(/^421 4\.7\.0 too many connections/);
      open[0]!.socket.destroy();
      await open[0]!.closed();
      // The slot is free again once a session ends.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await (await smtpClient(port)).reply()).toMatch(/^220 /);
      for (const client of open) client.socket.destroy();
    } finally {
      await server.close();
    }
  });
});
