import { randomUUID } from 'node:crypto';
import { Agent, get } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectEventRoutes } from '../src/routes/api/checks/events';
import { bearer, createKey, type Person, signUp, testApp } from './api-fixtures';

interface ServerSentEvent {
  event: string;
  data: string;
}

/** Reads a text/event-stream answer event by event; comment lines (heartbeats) are counted, not returned. */
function eventReader(response: Response) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  let comments = 0;
  return {
    get comments() {
      return comments;
    },
    /** The next event whose name is `name`, or a failure after `deadlineMs`. */
    async next(name: string, deadlineMs: number): Promise<ServerSentEvent> {
      const deadline = Date.now() + deadlineMs;
      for (;;) {
        for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const event = { event: 'message', data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments++;
            else if (line.startsWith('event: ')) event.event = line.slice(7);
            else if (line.startsWith('data: ')) event.data += line.slice(6);
          }
          if (event.event === name) return event;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no ${name} event within ${deadlineMs} ms`);
        let timer: NodeJS.Timeout | undefined;
        const chunk = await Promise.race([
          reader.read(),
          new Promise<'late'>((resolve) => {
            timer = setTimeout(() => resolve('late'), left);
          }),
        ]).finally(() => clearTimeout(timer));
        if (chunk === 'late') continue;
        if (chunk.done) throw new Error(`the stream ended before a ${name} event`);
        buffered += chunk.value;
      }
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}

describe.each(testDatabaseKinds())('live changes of the checks list on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let url: string;
  let owner: Person;
  let headers: Record<string, string>;
  beforeAll(async () => {
    app = await testApp(test.database);
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    owner = await signUp(app);
    headers = bearer((await createKey(app, owner)).key);
  });
  afterAll(() => app.close());

  const events = (as = headers, project = owner.projectId) => fetch(`${url}/api/v1/projects/${project}/events`, { headers: as });

  it('streams with headers for proxies, and names a check within seconds of a real ping to it', async () => {
    const check = (await app.inject({ method: 'POST', url: '/api/v1/checks', headers, payload: { name: 'Pinged' } })).json();
    const response = await events();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const stream = eventReader(response);
    // The watcher's first look only learns the rows; give it that look before pinging.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const sent = Date.now();
    expect((await fetch(`${url}/ping/${check.pingCode}`, { method: 'POST' })).status).toBe(200);
    const changed = await stream.next('checks', 5_000);
    expect(JSON.parse(changed.data)).toEqual({ ids: [check.id] });
    expect(Date.now() - sent).toBeLessThan(5_000);

    // A deleted check asks the list to be read again.
    await app.inject({ method: 'DELETE', url: `/api/v1/checks/${check.id}`, headers });
    await stream.next('reload', 5_000);
    await stream.cancel();
  });

  it('names the checks a channel alerts when the channel is made for all checks, renamed or deleted, as the list shows channels', async () => {
    const check = (await app.inject({ method: 'POST', url: '/api/v1/checks', headers, payload: { name: 'Alerted', channels: [] } })).json();
    const stream = eventReader(await events());
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const named = async () => JSON.parse((await stream.next('checks', 5_000)).data).ids as string[];
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/channels',
      headers,
      payload: { kind: 'email', name: 'Ops mail', config: { to: 'ops@example.com' }, attachToAllChecks: true },
    });
    expect(created.statusCode).toBe(201);
    expect(await named()).toContain(check.id);
    const channel = created.json().id as string;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(
      (await app.inject({ method: 'PATCH', url: `/api/v1/channels/${channel}`, headers, payload: { name: 'On-call mail' } })).statusCode,
    ).toBe(200);
    expect(await named()).toContain(check.id);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/channels/${channel}`, headers })).statusCode).toBe(204);
    expect(await named()).toContain(check.id);
    await stream.cancel();
  });

  it("answers 404 for another project's events and 401 without credentials", async () => {
    const stranger = await signUp(app);
    expect((await events(stranger.headers)).status).toBe(404);
    expect((await events({})).status).toBe(401);
  });
});

describe.each(testDatabaseKinds())('closing a server with live streams on %s', (kind) => {
  const test = useTestDatabase(kind);

  it('ends every stream when the server closes, so close() returns at once', async () => {
    const app = await testApp(test.database);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const owner = await signUp(app);
    const headers = bearer((await createKey(app, owner)).key);
    const streams = await Promise.all(
      [1, 2, 3].map(() => fetch(`${url}/api/v1/projects/${owner.projectId}/events`, { headers }).then(eventReader)),
    );
    // A stream ends with the server: reading it then finds its end rather than waiting.
    const ended = streams.map((stream) => stream.next('never', 10_000).catch((error: Error) => error.message));
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      app.close().then(() => 'closed'),
      new Promise((resolve) => {
        timer = setTimeout(() => resolve('still open after 5 s'), 5_000);
      }),
    ]).finally(() => clearTimeout(timer));
    expect(closed).toBe('closed');
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(Promise.all(ended)).resolves.toEqual(Array(3).fill('the stream ended before a never event'));
  });
});

describe.each(testDatabaseKinds())('streams on one kept-alive connection on %s', (kind) => {
  const test = useTestDatabase(kind);

  it('sends a heartbeat comment while nothing changes, so proxies keep an idle stream open', async () => {
    const app = Fastify();
    app.decorate('db', test.db);
    app.decorateRequest('access', null);
    app.addHook('onRequest', async (request) => {
      request.access = { projectId: randomUUID(), level: 1, seesSecrets: false };
    });
    await app.register(projectEventRoutes, { lifetimeMs: 1_000, heartbeatMs: 200 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/projects/${randomUUID()}/events`, { signal: AbortSignal.timeout(5_000) });
      const body = await response.text();
      // One second at one every 200 ms, and nothing else: no event for a project where nothing changed.
      expect(body.match(/^: heartbeat$/gm)?.length ?? 0).toBeGreaterThanOrEqual(3);
      expect(body).not.toContain('event:');
    } finally {
      await app.close();
    }
  });

  it('leaves no listener on the socket when a stream ends and the browser reconnects over it', async () => {
    // The route alone, with a short lifetime; who may listen is the API's business, tested above.
    const app = Fastify();
    const projectId = randomUUID();
    app.decorate('db', test.db);
    app.decorateRequest('access', null);
    app.addHook('onRequest', async (request) => {
      request.access = { projectId, level: 1, seesSecrets: false };
    });
    await app.register(projectEventRoutes, { lifetimeMs: 100 });
    const sockets = new Set<Socket>();
    app.server.on('connection', (socket: Socket) => sockets.add(socket));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const { port } = app.server.address() as AddressInfo;
      const listenersAfter: number[] = [];
      for (let stream = 0; stream < 5; stream++) {
        const body = await new Promise<string>((resolve, reject) => {
          const request = get({ host: '127.0.0.1', port, path: `/projects/${projectId}/events`, agent, timeout: 5_000 }, (response) => {
            let text = '';
            response.setEncoding('utf8').on('data', (chunk: string) => {
              text += chunk;
            });
            response.on('end', () => resolve(text)).on('error', reject);
          });
          request.on('timeout', () => request.destroy(new Error('no end of the stream within 5 s'))).on('error', reject);
        });
        expect(body).toContain(': connected');
        const [socket] = sockets;
        listenersAfter.push(socket!.listenerCount('close'));
      }
      expect(sockets.size).toBe(1);
      expect(new Set(listenersAfter).size).toBe(1);
    } finally {
      agent.destroy();
      await app.close();
    }
  });
});
