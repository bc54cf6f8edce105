import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CronbeatApi } from '../src/api';

/**
 * The client against a plain HTTP server that answers, per path, what each
 * test queued: the API's one list shape is read, and any other answer is an
 * error that says so, never an empty list. (checks.test.ts and sync.test.ts
 * meet the real server.)
 */
interface Answer {
  type: string;
  body: string;
}
const queued = new Map<string, Answer[]>();
const asked: string[] = [];
let server: Server;
let api: CronbeatApi;

beforeAll(async () => {
  server = createServer((request, response) => {
    asked.push(request.url ?? '');
    const answers = queued.get(new URL(request.url ?? '/', 'http://cronbeat').pathname) ?? [];
    // The last answer of a path is repeated; the ones before it are given once each.
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    if (!answer) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': answer.type }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api = new CronbeatApi({ url, apiKey: 'cb_rw_test', pingKey: null });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const json = (body: unknown): Answer => ({ type: 'application/json', body: JSON.stringify(body) });
const channel = { id: '0b6c4c5e-3f0e-4a53-9d51-0d6f0b1f6a11', name: 'ops', kind: 'email' };

describe('answers the client reads', () => {
  it('follows nextCursor through the pages of { checks, nextCursor } until it is null', async () => {
    queued.set('/api/v1/checks', [
      json({ checks: [{ slug: 'a' }], nextCursor: 'next' }),
      json({ checks: [{ slug: 'b' }], nextCursor: null }),
    ]);
    asked.length = 0;
    const checks = await api.listChecks();
    expect(checks.map((check) => check.slug)).toEqual(['a', 'b']);
    expect(asked).toHaveLength(2);
    expect(asked[1]).toMatch(/[?&]after=next(&|$)/);
  });

  it('refuses a bare list, a list under another name and a page that is not JSON, naming the route', async () => {
    for (const answer of [json([channel]), json({ items: [channel] }), { type: 'text/html', body: '<html>Sign in</html>' }]) {
      queued.set('/api/v1/channels', [answer]);
      await expect(api.listChannels()).rejects.toThrow('GET /channels: the answer is not a Cronbeat list ({ "channels": [...] })');
    }
    queued.set('/api/v1/channels', [json({ channels: [channel] })]);
    await expect(api.listChannels()).resolves.toEqual([channel]);
  });
});
