/**
 * Every answer carries helmet's security headers as plugins/security-headers.ts
 * asks for them (the API, pings, badges, the dashboard, /docs, errors, 404s);
 * what is refused before any hook runs (an undecodable URL, Node's own
 * refusals of malformed HTTP) still says `X-Content-Type-Options: nosniff`;
 * and a ping's raw body is served so a browser can never render it as part
 * of Cronbeat.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { loadConfig } from '@cronbeat/config';
import { pings } from '@cronbeat/db';
import { useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { helmetHeaders, securityHeaderOptions } from '../src/plugins/security-headers';
import { BASE_URL, bearer, createKey, signUp } from './api-fixtures';

describe('response headers', () => {
  const test = useTestDatabase('pglite');
  let app: FastifyInstance;
  let webRoot: string;
  let key: Record<string, string>;
  let check: { id: string; pingCode: string };
  let badgeSvg: string;

  beforeAll(async () => {
    webRoot = mkdtempSync(`${tmpdir()}/cronbeat-headers-`);
    mkdirSync(`${webRoot}/assets`);
    writeFileSync(`${webRoot}/index.html`, '<!doctype html><title>Cronbeat</title>');
    writeFileSync(`${webRoot}/assets/index-abc.js`, 'console.log(1)');
    writeFileSync(`${webRoot}/favicon.svg`, '<svg xmlns="http://www.w3.org/2000/svg"/>');
    app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', BASE_URL }), {
      database: test.database,
      rateLimits: { signInPerMinute: 1000, apiPerMinute: 10_000 },
      webRoot,
    });
    const owner = await signUp(app);
    key = bearer((await createKey(app, owner)).key);
    check = (await app.inject({ method: 'POST', url: '/api/v1/checks', headers: key, payload: { name: 'Headers' } })).json();
    badgeSvg = new URL((await app.inject({ url: '/api/v1/badges', headers: key })).json().badges[0].svg).pathname;
    await app.inject({ method: 'POST', url: `/ping/${check.pingCode}`, payload: '<script>alert(document.cookie)</script>' });
    await test.db.insert(pings).values({
      checkId: check.id,
      n: 1000,
      kind: 'success',
      createdAt: new Date(),
      method: 'POST',
      scheme: 'https',
      bodyRaw: new Uint8Array([0x3c, 0x68, 0x74, 0xff]),
      bodySize: 4,
    });
  });
  afterAll(async () => {
    await app.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  /** What every answer carries; `cross-origin-resource-policy` is checked apart. */
  const EVERYWHERE = {
    'cross-origin-opener-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'DENY',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
  };
  /** The dashboard's and /docs' policy: only their own files and origin, no inline script or style, no framing. */
  const POLICY = {
    'default-src': "'self'",
    'script-src': "'self'",
    'script-src-attr': "'none'",
    'style-src': "'self'",
    'img-src': "'self' data:",
    'font-src': "'self'",
    'connect-src': "'self'",
    'object-src': "'none'",
    'base-uri': "'self'",
    'form-action': "'self'",
    'frame-ancestors': "'none'",
  };
  const directives = (policy: unknown) =>
    Object.fromEntries(
      String(policy)
        .split(';')
        .map((directive) => directive.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values.join(' ')]),
    );

  type Answer = [
    name: string,
    request: () => InjectOptions,
    status: number,
    resourcePolicy?: 'same-origin' | 'cross-origin',
    policy?: Record<string, string>,
  ];
  /** Swagger UI adds an inline style as it renders. */
  const DOCS_POLICY = { ...POLICY, 'style-src': "'self' 'unsafe-inline'" };
  const answers: Answer[] = [
    ['an API answer', () => ({ url: '/api/v1/checks', headers: key }), 200],
    ['an API validation error', () => ({ url: '/api/v1/checks?limit=0', headers: key }), 400],
    ['an API request without credentials', () => ({ url: '/api/v1/checks' }), 401],
    ['an unknown API route', () => ({ url: '/api/v1/nope', headers: key }), 404],
    [
      'malformed JSON',
      () => ({ method: 'POST', url: '/api/v1/checks', headers: { ...key, 'content-type': 'application/json' }, payload: '{' }),
      400,
    ],
    [
      'a sign-in error',
      () => ({ method: 'POST', url: '/auth/login', headers: { origin: BASE_URL }, payload: { email: 'a@b.c', password: 'x' } }),
      401,
    ],
    ['a URL segment past the router’s limit', () => ({ url: `/api/v1/checks/${'a'.repeat(200)}`, headers: key }), 404],
    ['a ping', () => ({ url: `/ping/${check.pingCode}` }), 200],
    ['a ping to no check', () => ({ url: '/ping/0b6a7c8e-0000-4000-8000-000000000000' }), 404],
    ['a malformed ping', () => ({ url: `/ping/${check.pingCode}/nonsense` }), 400],
    ['a ping by a refused method', () => ({ method: 'PUT', url: `/ping/${check.pingCode}` }), 405],
    ['a badge', () => ({ url: badgeSvg }), 200, 'cross-origin'],
    ['an unknown badge', () => ({ url: '/badge/00000000000000000000000000000000.svg' }), 404, 'cross-origin'],
    ['the dashboard', () => ({ url: '/', headers: { accept: 'text/html' } }), 200],
    ['a dashboard deep link', () => ({ url: '/checks/x', headers: { accept: 'text/html' } }), 200],
    ['a dashboard asset', () => ({ url: '/assets/index-abc.js' }), 200],
    ['a dashboard file', () => ({ url: '/favicon.svg' }), 200],
    ['a missing file', () => ({ url: '/assets/missing.js' }), 404],
    ['liveness', () => ({ url: '/healthz' }), 200],
    ['readiness', () => ({ url: '/readyz' }), 200],
    ['the API documentation', () => ({ url: '/api/v1/openapi.json' }), 200],
    ['the API reference page', () => ({ url: '/docs/' }), 200, 'same-origin', DOCS_POLICY],
    ['a file of the API reference page', () => ({ url: '/docs/static/swagger-ui-bundle.js' }), 200, 'same-origin', DOCS_POLICY],
  ];

  it.each(answers)('puts the security headers on %s', async (_name, request, status, resourcePolicy = 'same-origin', policy = POLICY) => {
    const response = await app.inject(request());
    expect(response.statusCode, response.body).toBe(status);
    expect(response.headers).toMatchObject(EVERYWHERE);
    expect(response.headers['cross-origin-resource-policy']).toBe(resourcePolicy);
    expect(directives(response.headers['content-security-policy'])).toEqual(policy);
    // BASE_URL is http://: a browser would ignore HSTS there, and a later move to HTTPS is the operator's to announce.
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });

  it('serves a /docs page whose scripts and styles are all files, as the policy requires', async () => {
    const page = (await app.inject({ url: '/docs/' })).body;
    expect(page).toMatch(/<script src="[^"]+swagger-ui-bundle\.js"/);
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page).not.toMatch(/<style|\sstyle=/);
  });

  it('announces HTTPS for a year, for this host only, when BASE_URL is https://', () => {
    expect(helmetHeaders(securityHeaderOptions('https://cronbeat.example.com'))['strict-transport-security']).toBe('max-age=31536000');
  });

  it('answers CORS on ping URLs only: the API, the dashboard and badges answer no preflight', async () => {
    const preflight = (url: string) =>
      app.inject({
        method: 'OPTIONS',
        url,
        headers: {
          origin: 'https://elsewhere.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'x-api-key',
        },
      });
    const ping = await preflight(`/ping/${check.pingCode}`);
    expect(ping.statusCode).toBe(204);
    expect(ping.headers['access-control-allow-origin']).toBe('*');
    for (const url of ['/api/v1/checks', '/auth/login', '/', '/checks/x', badgeSvg, '/pingx']) {
      const response = await preflight(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['access-control-allow-origin'], url).toBeUndefined();
      expect(response.headers['access-control-allow-methods'], url).toBeUndefined();
    }
  });

  it('puts nosniff on a URL refused before any route or hook runs', async () => {
    const response = await app.inject({ url: '/api/v1/checks/%E0%A4%A' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('puts nosniff on what Node answers to malformed HTTP itself', async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect({ host: '127.0.0.1', port }, () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        text += chunk;
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer.toLowerCase()).toContain('x-content-type-options: nosniff');
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.code).toBe('CB_MALFORMED_REQUEST');
  });

  it('serves a ping’s text body as a download, sandboxed, never as a page', async () => {
    const response = await app.inject({ url: `/api/v1/checks/${check.id}/pings/1/body`, headers: key });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('<script>alert(document.cookie)</script>');
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe('sandbox');
    expect(response.headers['content-disposition']).toBe('attachment; filename="ping-1.txt"');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves a ping’s binary body the same way', async () => {
    const response = await app.inject({ url: `/api/v1/checks/${check.id}/pings/1000/body`, headers: key });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(response.headers['content-security-policy']).toBe('sandbox');
    expect(response.headers['content-disposition']).toBe('attachment; filename="ping-1000.bin"');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});
