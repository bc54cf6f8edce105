/**
 * Fault (e): server-side request forgery. Channels are pointed at loopback
 * in every spelling (decimal, hex, octal, short, IPv6, IPv4-mapped, a name
 * that resolves there), through both HTTP channel kinds, with the
 * configuration's default (no private targets allowed). A server listening
 * on that port of 127.0.0.1 and ::1 counts TCP connections. What must hold:
 * every attempt fails permanently as refused, and the server saw 0
 * connections. Also: an allowed target's redirect to loopback is not
 * followed, and a name whose DNS answer changes after the check (rebinding)
 * is connected to at the checked address, not the new one.
 */
import { createServer, type Server } from 'node:http';
import { loadConfig } from '@cronbeat/config';
import { createNetworkGuard, createNotifier, DeliveryError, type Notifier } from '@cronbeat/notify';
import { anAlert, type LoopbackTrap, startLoopbackTrap } from '@cronbeat/notify/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Loopback as people spell it in URLs, each of which a naive check lets through somewhere. */
const LOOPBACK_HOSTS = [
  '127.0.0.1',
  '0.0.0.0',
  '[::1]',
  'localhost',
  '2130706433',
  '0x7f000001',
  '127.1',
  '017700000001',
  '[::ffff:127.0.0.1]',
  '0177.0.0.1',
  '0x7f.1',
  '127.0.0.1.',
  'LOCALHOST',
  'localhost.',
  '[::]',
  '[::127.0.0.1]',
  '[0:0:0:0:0:ffff:7f00:1]',
] as const;

const KINDS = ['webhook', 'slack'] as const;

describe('fault (e): outbound requests to loopback in every spelling', () => {
  let trap: LoopbackTrap;
  /** Allowed by the second notifier only: it redirects to the trap. */
  let redirector: Server;
  let redirectorHits = 0;
  let notifier: Notifier;
  let allowing: Notifier;

  beforeAll(async () => {
    trap = await startLoopbackTrap();
    redirector = createServer((req, res) => {
      redirectorHits += 1;
      req.resume();
      res.writeHead(307, { location: `http://127.0.0.1:${trap.port}/stolen` }).end();
    });
    // The trap's port on another loopback address: a request that strays from 127.0.0.2 to 127.0.0.1 lands in the trap.
    await new Promise<void>((resolve) => redirector.listen(trap.port, '127.0.0.2', resolve));
    const { privateTargetsAllowed } = loadConfig({});
    expect(privateTargetsAllowed).toEqual([]);
    notifier = createNotifier({ smtpUrl: null, emailFrom: 'alerts@cronbeat.test', httpTimeoutMs: 3000, privateTargetsAllowed });
    allowing = createNotifier({
      smtpUrl: null,
      emailFrom: 'alerts@cronbeat.test',
      httpTimeoutMs: 3000,
      privateTargetsAllowed: ['127.0.0.2/32'],
    });
  });
  afterAll(async () => {
    notifier?.close();
    allowing?.close();
    await Promise.all([trap?.close(), new Promise((resolve) => redirector?.close(resolve))]);
  });

  it('refuses every spelling before connecting, does not follow a redirect there, and connects where it checked', async () => {
    const outcomes: Array<{ target: string; refused: boolean; message: string }> = [];
    const attempt = async (sender: Notifier, kind: (typeof KINDS)[number], url: string, refusal: RegExp) => {
      const before = trap.connections();
      const error = await sender.send({ kind, config: { url } }, anAlert()).then(
        () => null,
        (failure: unknown) => failure,
      );
      const refused = error instanceof DeliveryError && error.permanent && refusal.test(error.message) && trap.connections() === before;
      outcomes.push({ target: `${kind} ${url}`, refused, message: error instanceof Error ? error.message : 'delivered' });
    };

    for (const host of LOOPBACK_HOSTS) {
      for (const kind of KINDS) await attempt(notifier, kind, `http://${host}:${trap.port}/hook`, /refused: .* is not a public address/);
    }
    for (const kind of KINDS) {
      await attempt(allowing, kind, `http://127.0.0.2:${trap.port}/redirect`, /HTTP 307 Temporary Redirect \(redirects are not followed\)/);
    }
    expect(redirectorHits).toBe(KINDS.length);

    // DNS rebinding: the first answer is allowed, every later one is loopback. The request must go where the check looked.
    let lookups = 0;
    const guard = createNetworkGuard({
      allowed: ['127.0.0.2/32'],
      resolve: async () => [{ address: lookups++ === 0 ? '127.0.0.2' : '127.0.0.1', family: 4 }],
    });
    const rebound = await guard.request(`http://rebind.cronbeat.test:${trap.port}/hook`, {
      method: 'POST',
      headers: {},
      body: '{}',
      timeoutMs: 3000,
    });
    guard.close();
    expect(rebound.status).toBe(307);
    expect(redirectorHits).toBe(KINDS.length + 1);

    const refused = outcomes.filter((outcome) => outcome.refused).length;
    console.log(`fault (e): ${refused} of ${outcomes.length} refused, ${trap.connections()} connections`);
    expect(outcomes.filter((outcome) => !outcome.refused)).toEqual([]);
    expect(outcomes).toHaveLength((LOOPBACK_HOSTS.length + 1) * KINDS.length);
    expect(trap.connections()).toBe(0);
  });

  it('lets the trap count: a request the operator allows does reach it', async () => {
    // Without this, 0 connections could mean a trap that counts nothing.
    const permissive = createNotifier({
      smtpUrl: null,
      emailFrom: 'alerts@cronbeat.test',
      privateTargetsAllowed: ['127.0.0.0/8', '::1/128'],
    });
    const before = trap.connections();
    await permissive.send({ kind: 'webhook', config: { url: `http://[::1]:${trap.port}/hook` } }, anAlert());
    await permissive.send({ kind: 'webhook', config: { url: `http://127.1:${trap.port}/hook` } }, anAlert());
    permissive.close();
    expect(trap.connections() - before).toBeGreaterThanOrEqual(2);
  });
});
