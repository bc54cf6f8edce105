/** Real receivers for tests: an SMTP server and an HTTP server on free local ports. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpReceiver {
  url: string;
  mails: ParsedMail[];
  /** While set, the server answers every connection with this SMTP error code (e.g. 421). */
  refuseWith: number | null;
  close(): Promise<void>;
}

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const receiver: SmtpReceiver = { url: '', mails: [], refuseWith: null, close: async () => {} };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      if (receiver.refuseWith === null) return callback();
      const error = Object.assign(new Error('try again later'), { responseCode: receiver.refuseWith });
      callback(error);
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('nobody@')) {
        return callback(Object.assign(new Error('no such mailbox'), { responseCode: 550 }));
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          receiver.mails.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  receiver.url = `smtp://127.0.0.1:${port}`;
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return receiver;
}

export interface ReceivedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface HttpReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** How to answer: status and body; a status of 0 never answers. Default: 200 "ok". */
  respond: (request: ReceivedRequest) => { status: number; body?: string };
  close(): Promise<void>;
}

export async function startHttpReceiver(): Promise<HttpReceiver> {
  const receiver: HttpReceiver = { url: '', requests: [], respond: () => ({ status: 200, body: 'ok' }), close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const { status, body } = receiver.respond(request);
      if (status === 0) return;
      receiver.requests.push(request);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(body ?? '');
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

/** Polls until `condition` holds, or fails after `timeoutMs`. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface FloodReceiver {
  url: string;
  /** Bytes of answer written to sockets so far. */
  written(): number;
  close(): Promise<void>;
}

/**
 * An HTTP server whose every answer is `200` with a `bytes`-long body,
 * written as fast as the client takes it (respecting backpressure, so the
 * server itself holds little): a client that reads it all takes it all in.
 */
export async function startFloodReceiver(bytes: number, host = '127.0.0.1'): Promise<FloodReceiver> {
  let written = 0;
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(bytes) });
      let left = bytes;
      const pump = () => {
        while (left > 0 && !res.destroyed) {
          const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
          left -= piece.length;
          written += piece.length;
          if (!res.write(piece)) return void res.once('drain', pump);
        }
        if (left === 0) res.end();
      };
      pump();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    written: () => written,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface LoopbackTrap {
  /** The port it listens on, on 127.0.0.1 and on ::1. */
  port: number;
  /** TCP connections accepted so far, on either address. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * A server on one port of both loopback addresses that counts every TCP
 * connection it accepts: proof that a refused request never connected.
 * 0.0.0.0, 127.1 and the other spellings of loopback all land here.
 */
export async function startLoopbackTrap(): Promise<LoopbackTrap> {
  let connections = 0;
  const servers: Server[] = [];
  const listen = (host: string, port: number) =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer((_req, res) => res.writeHead(200).end('trapped'));
      server.on('connection', () => {
        connections += 1;
      });
      server.once('error', reject);
      server.listen(port, host, () => resolve(server));
    });
  const first = await listen('127.0.0.1', 0);
  servers.push(first);
  const { port } = first.address() as AddressInfo;
  servers.push(await listen('::1', port));
  return {
    port,
    connections: () => connections,
    close: () =>
      Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      ).then(() => undefined),
  };
}
