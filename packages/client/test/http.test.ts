import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { describeHttpFailure, HttpTimeoutError, request } from '../src/http';
import { cli } from './cronbeat-server';

/** What a receiver was sent. */
interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

/**
 * A receiver on a free port that records every request and answers with `answer`. Its keep-alive timeout is
 * far longer than any test, so a socket that closes was closed by the client.
 */
async function receiver(answer: (request: Received, response: ServerResponse) => void = (_, response) => response.end('OK')) {
  const received: Received[] = [];
  const closedSockets: number[] = [];
  const server = createServer({ keepAliveTimeout: 600_000 }, (incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request = {
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString(),
      };
      received.push(request);
      answer(request, response);
    });
  });
  server.on('connection', (socket) => socket.on('close', () => closedSockets.push(Date.now())));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const connections = () => new Promise<number>((resolve) => server.getConnections((_, count) => resolve(count)));
  return { url, received, closedSockets, connections };
}

/** Resolves once `condition` holds, checking every few milliseconds (a socket's close reaches the server a moment later). */
async function eventually(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 5));
}

const redirectTo = (status: number, location: string) => (_: Received, response: ServerResponse) =>
  response.writeHead(status, { location }).end('moved');

describe('request', () => {
  it('sends a GET with the headers as given and no body', async () => {
    const { url, received } = await receiver();
    const answer = await request({
      method: 'GET',
      url: `${url}/ping/x?rid=1`,
      headers: { 'user-agent': 'cronbeat-client/0.1' },
      timeoutMs: 5_000,
    });
    expect(answer).toEqual({ status: 200, ok: true, text: 'OK' });
    expect(received).toEqual([expect.objectContaining({ method: 'GET', url: '/ping/x?rid=1', body: '' })]);
    expect(received[0]!.headers['user-agent']).toBe('cronbeat-client/0.1');
    expect(received[0]!.headers['content-length']).toBeUndefined();
  });

  it('sends a POST body, string or bytes, with its content-length and content-type', async () => {
    const { url, received } = await receiver();
    const text = 'disk 91% full — ünïcode\n';
    for (const body of [text, new Uint8Array(Buffer.from(text))]) {
      await request({ method: 'POST', url, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body, timeoutMs: 5_000 });
    }
    for (const sent of received) {
      expect(sent).toMatchObject({ method: 'POST', body: text });
      expect(sent.headers['content-length']).toBe(String(Buffer.byteLength(text)));
      expect(sent.headers['content-type']).toBe('text/plain; charset=utf-8');
    }
  });

  it('resolves 4xx and 5xx answers with their status and text', async () => {
    const { url } = await receiver((request, response) => {
      const status = Number(request.url.slice(1));
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `answer ${status}` } }));
    });
    for (const status of [201, 404, 409, 503]) {
      const answer = await request({ method: 'GET', url: `${url}/${status}`, headers: {}, timeoutMs: 5_000 });
      expect(answer).toEqual({ status, ok: status < 300, text: JSON.stringify({ error: { message: `answer ${status}` } }) });
    }
  });

  it('reads the whole body as UTF-8 text however the server splits it', async () => {
    const text = '✓ '.repeat(50_000);
    const bytes = Buffer.from(text);
    const { url } = await receiver((_, response) => {
      response.write(bytes.subarray(0, 1)); // half of the first character
      setTimeout(() => response.end(bytes.subarray(1)), 20);
    });
    expect((await request({ method: 'GET', url, headers: {}, timeoutMs: 5_000 })).text).toBe(text);
  });

  it('leaves no socket open once the answer is read', async () => {
    const { url, closedSockets, connections } = await receiver();
    await request({ method: 'GET', url, headers: {}, timeoutMs: 5_000 });
    await eventually(async () => closedSockets.length === 1 && (await connections()) === 0);
  });

  it('leaves nothing behind that would keep an SDK user’s process alive: no timer, no socket', async () => {
    const hanging = await receiver(() => {});
    const answering = await receiver();
    const redirecting = await receiver(redirectTo(302, answering.url));
    // A process of its own that ends by itself once its event loop is empty (the CLI calls process.exit, the SDK's users do not).
    const script = `
      const { request } = await import(${JSON.stringify(new URL('../src/http.ts', import.meta.url).href)});
      const answer = await request({ method: 'GET', url: process.env.ANSWERING, headers: {}, timeoutMs: 120_000 });
      const failure = await request({ method: 'GET', url: process.env.HANGING, headers: {}, timeoutMs: 100 }).catch((error) => error.name);
      console.log(answer.text, failure);`;
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, ANSWERING: redirecting.url, HANGING: hanging.url },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    // A timer left running would keep it alive for the deadline's 120 s, a socket for the receivers' 600 s keep-alive.
    const stuck = setTimeout(() => child.kill(), 30_000);
    const code = await new Promise((resolve) => child.on('close', resolve));
    clearTimeout(stuck);
    expect({ code, output: Buffer.concat(output).toString() }).toEqual({ code: 0, output: 'OK HttpTimeoutError\n' });
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

describe('request when there is no answer', () => {
  it('rejects with HttpTimeoutError at the deadline when the server never answers, and closes the socket', async () => {
    const { url, received, closedSockets } = await receiver(() => {}); // reads the request, never answers
    const started = Date.now();
    // A second: time enough for the server to read the request even on a loaded machine.
    const error = await request({ method: 'POST', url, headers: {}, body: 'x', timeoutMs: 1_000 }).catch((caught: unknown) => caught);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(HttpTimeoutError);
    expect(describeHttpFailure(error)).toBe('timed out');
    expect(received).toHaveLength(1);
    expect(elapsed).toBeGreaterThanOrEqual(990); // timers may fire a millisecond early of Date.now()
    expect(elapsed).toBeLessThan(10_000); // it ends: without the deadline it would wait forever
    await eventually(() => closedSockets.length === 1);
  });

  it('times out while the body is still coming: the deadline covers the whole exchange', async () => {
    const { url, closedSockets } = await receiver((_, response) => response.writeHead(200).write('partial'));
    const error = await request({ method: 'GET', url, headers: {}, timeoutMs: 300 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpTimeoutError);
    await eventually(() => closedSockets.length === 1);
  });

  it('rejects with the system code when the connection is refused', async () => {
    const { url } = await receiver();
    const closed = servers.pop()!;
    await new Promise((resolve) => closed.close(resolve));
    const error = await request({ method: 'GET', url, headers: {}, timeoutMs: 5_000 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(describeHttpFailure(error)).toBe('ECONNREFUSED');
  });

  it('rejects with ECONNRESET when the server drops the connection mid-answer', async () => {
    const { url } = await receiver((_, response) => {
      response.writeHead(200, { 'content-length': '100' }).write('not all of it');
      setTimeout(() => response.socket?.destroy(), 20);
    });
    const error = await request({ method: 'GET', url, headers: {}, timeoutMs: 5_000 }).catch((caught: unknown) => caught);
    expect(describeHttpFailure(error)).toBe('ECONNRESET');
  });

  it('refuses a URL that is not http: or https:', async () => {
    await expect(request({ method: 'GET', url: 'ftp://127.0.0.1/x', headers: {}, timeoutMs: 1_000 })).rejects.toThrow(
      'cannot request a ftp: URL: only http: and https: are supported',
    );
  });
});

describe('request and redirects', () => {
  it('keeps the method and body through a 307 and a 308', async () => {
    const target = await receiver();
    const second = await receiver(redirectTo(308, `${target.url}/final`));
    const first = await receiver(redirectTo(307, `${second.url}/next`));
    const answer = await request({
      method: 'PUT',
      url: first.url,
      headers: { 'content-type': 'application/json' },
      body: '{"ttl":60}',
      timeoutMs: 5_000,
    });
    expect(answer.status).toBe(200);
    expect(target.received).toEqual([expect.objectContaining({ method: 'PUT', url: '/final', body: '{"ttl":60}' })]);
    expect(target.received[0]!.headers['content-type']).toBe('application/json');
  });

  it('turns a POST into a GET without body or content headers on 302, and anything but GET on 303', async () => {
    for (const [status, method] of [
      [301, 'POST'],
      [302, 'POST'],
      [303, 'PUT'],
      [303, 'DELETE'],
    ] as const) {
      const target = await receiver();
      const from = await receiver(redirectTo(status, `${target.url}/moved`));
      await request({
        method,
        url: from.url,
        headers: { 'content-type': 'text/plain', 'user-agent': 'ua' },
        body: 'job output',
        timeoutMs: 5_000,
      });
      expect(target.received).toEqual([expect.objectContaining({ method: 'GET', url: '/moved', body: '' })]);
      expect(target.received[0]!.headers).toMatchObject({ 'user-agent': 'ua' });
      expect(target.received[0]!.headers['content-type']).toBeUndefined();
      expect(target.received[0]!.headers['content-length']).toBeUndefined();
    }
  });

  it('keeps a PUT a PUT through a 302, as fetch does', async () => {
    const target = await receiver();
    const from = await receiver(redirectTo(302, target.url));
    await request({ method: 'PUT', url: from.url, headers: {}, body: 'renew', timeoutMs: 5_000 });
    expect(target.received).toEqual([expect.objectContaining({ method: 'PUT', body: 'renew' })]);
  });

  it('resolves a relative location against the URL it came from', async () => {
    const { url, received } = await receiver((request, response) =>
      request.url === '/api/v1/checks' ? response.writeHead(301, { location: '../v2/checks?limit=1' }).end() : response.end('here'),
    );
    expect((await request({ method: 'GET', url: `${url}/api/v1/checks`, headers: {}, timeoutMs: 5_000 })).text).toBe('here');
    expect(received.map((sent) => sent.url)).toEqual(['/api/v1/checks', '/api/v2/checks?limit=1']);
  });

  it('follows 5 redirects and gives up at the sixth', async () => {
    const hops = (limit: number) => (request: Received, response: ServerResponse) => {
      const hop = Number(request.url.slice(1));
      if (hop < limit) response.writeHead(302, { location: `/${hop + 1}` }).end();
      else response.end(`arrived after ${hop}`);
    };
    const five = await receiver(hops(5));
    expect((await request({ method: 'GET', url: `${five.url}/0`, headers: {}, timeoutMs: 5_000 })).text).toBe('arrived after 5');
    const six = await receiver(hops(6));
    await expect(request({ method: 'GET', url: `${six.url}/0`, headers: {}, timeoutMs: 5_000 })).rejects.toThrow(
      'too many redirects (more than 5)',
    );
    expect(six.received).toHaveLength(6);
  });

  it('drops the authorization header on a redirect to another origin, and keeps it on the same one', async () => {
    const other = await receiver();
    const { url, received } = await receiver((request, response) =>
      request.url === '/same'
        ? response.writeHead(307, { location: '/here' }).end()
        : response.writeHead(307, { location: `${other.url}/there` }).end(),
    );
    await request({ method: 'GET', url: `${url}/same`, headers: { authorization: 'Bearer cb_rw_secret' }, timeoutMs: 5_000 });
    expect(received.map((sent) => sent.headers.authorization)).toEqual(['Bearer cb_rw_secret', 'Bearer cb_rw_secret']);
    expect(other.received).toHaveLength(1);
    expect(other.received[0]!.headers.authorization).toBeUndefined();
  });

  it('counts the redirects against the one deadline', async () => {
    const hanging = await receiver(() => {});
    const from = await receiver(redirectTo(302, hanging.url));
    await expect(request({ method: 'GET', url: from.url, headers: {}, timeoutMs: 300 })).rejects.toBeInstanceOf(HttpTimeoutError);
    await eventually(() => hanging.closedSockets.length === 1);
  });
});

describe('the CLI on node:http', () => {
  it('pings a plain HTTP receiver and exits once answered', async () => {
    const { url, received } = await receiver();
    const result = await cli(['ping', '00000000-0000-4000-8000-000000000000', '--timeout', '60s'], { env: { CRONBEAT_URL: url } });
    expect(result).toMatchObject({ code: 0, stdout: '200 OK\n' });
    expect(received).toEqual([expect.objectContaining({ method: 'GET', url: '/ping/00000000-0000-4000-8000-000000000000' })]);
    expect(received[0]!.headers['user-agent']).toBe('cronbeat-client/0.1');
    // Waiting out the ping's 60 s or the receiver's 600 s keep-alive would be far beyond this bound.
    expect(result.elapsed).toBeLessThan(30_000);
  });
});
