/**
 * Every answer says `X-Content-Type-Options: nosniff`, whatever answers it
 * (the API, pings, badges, the dashboard, errors, 404s, Node's own refusals
 * of malformed HTTP), and a ping's raw body is served so a browser can never
 * render it as part of Cronbeat.
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

  const answers: Array<[string, () => InjectOptions, number]> = [
    ['an API answer', () => ({ url: '/api/v1/checks', headers: key }), 200],
    ['an API validation error', () => ({ url: '/api/v1/checks?limit=0', headers: key }), 400],
    ['an API request without credentials', () => ({ url: '/api/v1/checks' }), 401],
    ['an unknown API route', () => ({ url: '/api/v1/nope', headers: key }), 404],
    [
      'malformed JSON',
      () => ({ method: 'POST', url: '/api/v1/checks', headers: { ...key, 'content-type': 'application/json' }, payload: '{' }),
      400,
    ],
    ['a URL that does not decode', () => ({ url: '/api/v1/checks/%E0%A4%A' }), 400],
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
    ['a badge', () => ({ url: badgeSvg }), 200],
    ['an unknown badge', () => ({ url: '/badge/00000000000000000000000000000000.svg' }), 404],
    ['the dashboard', () => ({ url: '/', headers: { accept: 'text/html' } }), 200],
    ['a dashboard deep link', () => ({ url: '/checks/x', headers: { accept: 'text/html' } }), 200],
    ['a dashboard asset', () => ({ url: '/assets/index-abc.js' }), 200],
    ['a dashboard file', () => ({ url: '/favicon.svg' }), 200],
    ['a missing file', () => ({ url: '/assets/missing.js' }), 404],
    ['liveness', () => ({ url: '/healthz' }), 200],
    ['readiness', () => ({ url: '/readyz' }), 200],
    ['the API documentation', () => ({ url: '/api/v1/openapi.json' }), 200],
  ];

  it.each(answers)('puts nosniff on %s', async (_name, request, status) => {
    const response = await app.inject(request());
    expect(response.statusCode, response.body).toBe(status);
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
