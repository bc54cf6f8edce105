/** The network guard: which addresses it refuses, that it connects where it checked, and that it reads little. */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetworkGuard, createNotifier, type DeliveryError, MAX_RESPONSE_BYTES, type Notifier, TargetRefused } from '../src';
import { parseRanges, refusalOf } from '../src/address-policy';
import { anAlert } from './alert-fixture';
import { type FloodReceiver, type LoopbackTrap, startFloodReceiver, startLoopbackTrap } from './support/receivers';

describe('the address policy', () => {
  const none = parseRanges([]);

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::127.0.0.1', 'loopback'],
    ['::10.0.0.1', 'private'],
    ['64:ff9b::7f00:1', 'NAT64'],
    ['2002:7f00:1::', '6to4'],
    ['2001:db8::1', 'reserved'],
    ['fec0::1', 'site-local'],
  ])('refuses %s as %s', (address, reason) => {
    expect(refusalOf(address, none)).toBe(reason);
  });

  it.each(['93.184.215.14', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '::ffff:93.184.215.14'])(
    'lets the public address %s through',
    (address) => {
      expect(refusalOf(address, none)).toBeNull();
    },
  );

  it('lets through what the operator allowed, and only that', () => {
    const allowed = parseRanges(['192.168.1.0/24', 'fd00::/8', '10.0.0.5']);
    expect(refusalOf('192.168.1.20', allowed)).toBeNull();
    expect(refusalOf('::ffff:192.168.1.20', allowed)).toBeNull();
    expect(refusalOf('fd00::2', allowed)).toBeNull();
    expect(refusalOf('10.0.0.5', allowed)).toBeNull();
    expect(refusalOf('10.0.0.6', allowed)).toBe('private');
    expect(refusalOf('192.168.2.1', allowed)).toBe('private');
    expect(refusalOf('127.0.0.1', allowed)).toBe('loopback');
    const everything = parseRanges(['0.0.0.0/0', '::/0']);
    expect(refusalOf('127.0.0.1', everything)).toBeNull();
    expect(refusalOf('::1', everything)).toBeNull();
  });
});

describe('the guard on the wire', () => {
  let trap: LoopbackTrap;
  let flood: FloodReceiver;
  let other: Server;
  let otherUrl: string;
  let otherHits = 0;
  let notifier: Notifier;

  beforeAll(async () => {
    [trap, flood] = await Promise.all([startLoopbackTrap(), startFloodReceiver(200 * 1024 * 1024, '127.0.0.2')]);
    other = createServer((req, res) => {
      otherHits += 1;
      req.resume();
      if (req.url === '/redirect') return res.writeHead(302, { location: `http://127.0.0.1:${trap.port}/` }).end();
      // A body and a status phrase of its own, neither of which may reach a user.
      res.statusMessage = 'Internal-Secret-Phrase';
      res.writeHead(req.url === '/fail' ? 500 : 200).end('database password is hunter2');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.2', resolve));
    otherUrl = `http://127.0.0.2:${(other.address() as AddressInfo).port}`;
    notifier = createNotifier({
      smtpUrl: null,
      emailFrom: 'x@cronbeat.test',
      httpTimeoutMs: 5000,
      privateTargetsAllowed: ['127.0.0.2/32'],
    });
  });
  afterAll(async () => {
    notifier.close();
    await Promise.all([trap.close(), flood.close(), new Promise((resolve) => other.close(resolve))]);
  });

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error as DeliveryError,
    );

  it('connects to the address it checked even when the name resolves elsewhere the second time (DNS rebinding)', async () => {
    const answers = ['127.0.0.2', '127.0.0.1'];
    let lookups = 0;
    const guard = createNetworkGuard({
      allowed: ['127.0.0.2/32'],
      // A rebinding DNS server: an allowed address first, loopback for every later question.
      resolve: async () => [{ address: answers[Math.min(lookups++, 1)]!, family: 4 }],
    });
    const port = (other.address() as AddressInfo).port;
    const before = { other: otherHits, trap: trap.connections() };
    try {
      const answer = await guard.request(`http://rebind.test:${port}/`, { method: 'POST', headers: {}, body: '{}', timeoutMs: 5000 });
      expect(answer.status).toBe(200);
    } finally {
      guard.close();
    }
    expect(lookups).toBe(1);
    expect(otherHits - before.other).toBe(1);
    expect(trap.connections() - before.trap).toBe(0);
  });

  it('refuses a name that resolves to loopback, whatever else it resolves to, before connecting', async () => {
    const guard = createNetworkGuard({
      resolve: async () => [
        { address: '93.184.215.14', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ],
    });
    const before = trap.connections();
    const error = await failure(
      guard.request(`http://mixed.test:${trap.port}/`, { method: 'POST', headers: {}, body: '', timeoutMs: 5000 }),
    );
    guard.close();
    expect(error).toBeInstanceOf(TargetRefused);
    expect(error?.permanent).toBe(true);
    expect(trap.connections()).toBe(before);
  });

  it('does not follow a redirect to loopback', async () => {
    const before = trap.connections();
    const error = await failure(notifier.send({ kind: 'webhook', config: { url: `${otherUrl}/redirect` } }, anAlert()));
    expect(error?.message).toBe('webhook: HTTP 302 Found (redirects are not followed)');
    expect(error?.permanent).toBe(true);
    const slack = await failure(notifier.send({ kind: 'slack', config: { url: `${otherUrl}/redirect` } }, anAlert()));
    expect(slack?.message).toBe('Slack: HTTP 302 Found (redirects are not followed)');
    expect(trap.connections()).toBe(before);
  });

  it("says only the status and the standard phrase of a failure, never the target's body or words", async () => {
    for (const kind of ['webhook', 'slack'] as const) {
      const error = await failure(notifier.send({ kind, config: { url: `${otherUrl}/fail` } }, anAlert()));
      expect(error?.message).toBe(`${kind === 'slack' ? 'Slack' : 'webhook'}: HTTP 500 Internal Server Error`);
      expect(error?.message).not.toMatch(/hunter2|Secret/);
    }
  });

  it('reads a few KB of a 200 MB answer and cuts the rest off, on every channel', async () => {
    for (const kind of ['webhook', 'slack'] as const) {
      global.gc?.();
      const writtenBefore = flood.written();
      const memoryBefore = process.memoryUsage();
      await notifier.send({ kind, config: { url: `${flood.url}/${kind}` } }, anAlert());
      const memoryAfter = process.memoryUsage();
      const written = flood.written() - writtenBefore;
      const grew = memoryAfter.heapUsed + memoryAfter.arrayBuffers - (memoryBefore.heapUsed + memoryBefore.arrayBuffers);
      console.log(
        `${kind}: the receiver got ${(written / 1e6).toFixed(1)} MB onto the wire of 200 MB; heap and buffers grew ${(grew / 1e6).toFixed(1)} MB`,
      );
      // What the receiver wrote before the cut sits in socket buffers, not in our memory; it is far from 200 MB.
      expect(written).toBeLessThan(32 * 1024 * 1024);
      expect(grew).toBeLessThan(32 * 1024 * 1024);
    }
  });

  it('hands a caller at most MAX_RESPONSE_BYTES of an answer', async () => {
    const guard = createNetworkGuard({ allowed: ['127.0.0.0/8'] });
    const answer = await guard.request(`${flood.url}/direct`, { method: 'POST', headers: {}, body: '', timeoutMs: 5000 });
    guard.close();
    expect(answer.status).toBe(200);
    expect(answer.body.length).toBe(MAX_RESPONSE_BYTES);
  });

  it('speaks TLS to the pinned address under the name in the URL, and refuses a certificate nobody vouches for', async () => {
    const names: string[] = [];
    const tls = createHttpsServer(
      {
        key: readFileSync(new URL('./support/tls-hook.test.key', import.meta.url)),
        cert: readFileSync(new URL('./support/tls-hook.test.crt', import.meta.url)),
        SNICallback: (name, callback) => {
          names.push(name);
          callback(null, undefined);
        },
      },
      (_req, res) => res.end('ok'),
    );
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.2', resolve));
    const guard = createNetworkGuard({ allowed: ['127.0.0.2/32'], resolve: async () => [{ address: '127.0.0.2', family: 4 }] });
    const error = await failure(
      guard.request(`https://hook.test:${(tls.address() as AddressInfo).port}/`, {
        method: 'POST',
        headers: {},
        body: '',
        timeoutMs: 3000,
      }),
    );
    guard.close();
    await new Promise((resolve) => tls.close(resolve));
    expect(names).toEqual(['hook.test']);
    expect(error?.message).toMatch(/^TLS certificate not accepted \((DEPTH_ZERO_SELF_SIGNED_CERT|CERT_NOT_YET_VALID)\)$/);
    expect(error?.permanent).toBe(false);
  });

  it('judges an answer whose body still drips at the deadline by its status', async () => {
    const drip = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('.'), 50);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => drip.listen(0, '127.0.0.2', resolve));
    const guard = createNetworkGuard({ allowed: ['127.0.0.2/32'] });
    const started = Date.now();
    const answer = await guard.request(`http://127.0.0.2:${(drip.address() as AddressInfo).port}/`, {
      method: 'POST',
      headers: {},
      body: '',
      timeoutMs: 400,
    });
    guard.close();
    drip.closeAllConnections();
    await new Promise((resolve) => drip.close(resolve));
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('gives up at the deadline on a target that never answers', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.2', resolve));
    const guard = createNetworkGuard({ allowed: ['127.0.0.2/32'] });
    const started = Date.now();
    const error = await failure(
      guard.request(`http://127.0.0.2:${(silent.address() as AddressInfo).port}/`, {
        method: 'POST',
        headers: {},
        body: '',
        timeoutMs: 300,
      }),
    );
    guard.close();
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
    expect(error?.message).toBe('timed out after 0.3 s');
    expect(error?.permanent).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
