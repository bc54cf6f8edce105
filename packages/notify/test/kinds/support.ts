/**
 * What every kind's test needs: a real local HTTP receiver that records the
 * method too (a vendor's request is as much its method as its path) and
 * answers with headers and JSON as vendors do, a guard that may reach it,
 * and the four answers every kind must tell apart.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Alert } from '../../src';
import { createNetworkGuard, DeliveryError } from '../../src';
import type { KindContext } from '../../src/kinds/kind';

export interface KindRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The body as JSON; undefined when it is not JSON. */
  json: unknown;
}

export interface KindAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface KindReceiver {
  url: string;
  requests: KindRequest[];
  /** How to answer; an object body is sent as JSON. Default: 200 with `{ "ok": true }`. */
  respond: (request: KindRequest) => KindAnswer;
  close(): Promise<void>;
}

const okAnswer = (): KindAnswer => ({ status: 200, body: { ok: true } });

export async function startKindReceiver(): Promise<KindReceiver> {
  const receiver: KindReceiver = { url: '', requests: [], respond: okAnswer, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const request: KindRequest = { method: req.method ?? '', path: req.url ?? '/', headers: req.headers, body, json };
      receiver.requests.push(request);
      const answer = receiver.respond(request);
      const isText = typeof answer.body === 'string' || answer.body === undefined;
      res
        .writeHead(answer.status, { 'content-type': isText ? 'text/plain' : 'application/json', ...answer.headers })
        .end(isText ? ((answer.body as string | undefined) ?? '') : JSON.stringify(answer.body));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

/** A receiver for the file, fresh requests and the default answer before each test, and a context whose guard may reach it. */
export function useKindReceiver(): { receiver: () => KindReceiver; context: () => KindContext } {
  let receiver: KindReceiver;
  let context: KindContext;
  beforeAll(async () => {
    receiver = await startKindReceiver();
    // The receiver listens on loopback, which channels reach only when the operator allows it.
    context = { guard: createNetworkGuard({ allowed: ['127.0.0.0/8'] }), timeoutMs: 2000 };
  });
  afterAll(async () => {
    context.guard.close();
    await receiver.close();
  });
  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.respond = okAnswer;
  });
  return { receiver: () => receiver, context: () => context };
}

/** The DeliveryError a promise rejects with; fails the test when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DeliveryError);
    return error as DeliveryError;
  }
  throw new Error('expected the send to fail');
}

/**
 * The answers every kind tells apart: 2xx delivered, another 4xx
 * permanent, 429 transient with the wait the vendor asked for, 5xx transient.
 */
export function itTellsAnswersApart(options: {
  receiver: () => KindReceiver;
  send: (alert: Alert) => Promise<void>;
  alert: () => Alert;
  /** The vendor's 429 answer and the wait it asks for, in milliseconds. */
  rateLimited: KindAnswer;
  retryAfterMs: number;
  /** A 2xx the vendor answers with. Default: 200 `{ ok: true }`. */
  ok?: KindAnswer;
  /** A 4xx the vendor answers with. Default: 404. */
  refused?: KindAnswer;
}): void {
  it('resolves on the 2xx the vendor answers with', async () => {
    if (options.ok) {
      const ok = options.ok;
      options.receiver().respond = () => ok;
    }
    await expect(options.send(options.alert())).resolves.toBeUndefined();
    expect(options.receiver().requests).toHaveLength(1);
  });
  it('fails for good on a 4xx', async () => {
    const refused = options.refused ?? { status: 404, body: { message: 'Unknown Webhook' } };
    options.receiver().respond = () => refused;
    const error = await failure(options.send(options.alert()));
    expect(error.permanent).toBe(true);
    expect(error.message).toContain(`HTTP ${refused.status}`);
  });
  it('on a 429 is worth a retry no sooner than the receiver asked', async () => {
    options.receiver().respond = () => options.rateLimited;
    const error = await failure(options.send(options.alert()));
    expect(error.permanent).toBe(false);
    expect(error.retryAfterMs).toBe(options.retryAfterMs);
  });
  it('on a 5xx is worth a retry', async () => {
    options.receiver().respond = () => ({ status: 503, body: 'down for maintenance' });
    const error = await failure(options.send(options.alert()));
    expect(error.permanent).toBe(false);
    expect(error.message).toContain('HTTP 503');
    expect(error.retryAfterMs).toBeNull();
  });
}

/** A check name that would ping everyone and inject markup if it were not escaped. */
export const HOSTILE_NAME = '@everyone <b>&';
