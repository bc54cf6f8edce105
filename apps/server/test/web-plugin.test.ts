import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webPlugin } from '../src/plugins/web';

describe('serving the built dashboard', () => {
  let app: FastifyInstance;
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(`${tmpdir()}/cronbeat-web-`);
    mkdirSync(`${root}/assets`);
    writeFileSync(`${root}/index.html`, '<!doctype html><title>Cronbeat</title>');
    writeFileSync(`${root}/assets/index-abc123.js`, 'console.log(1)');
    // As the build writes them: a Brotli and a gzip copy beside a script.
    writeFileSync(`${root}/assets/index-abc123.js.br`, brotliCompressSync('console.log(1)'));
    writeFileSync(`${root}/assets/index-abc123.js.gz`, gzipSync('console.log(1)'));
    app = Fastify();
    app.setNotFoundHandler((_request, reply) => reply.status(404).send({ error: { code: 'CB_NOT_FOUND', message: 'not found' } }));
    app.get('/api/v1/checks', async () => ({ checks: [] }));
    await app.register(webPlugin, { root });
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  const html = { accept: 'text/html,application/xhtml+xml' };

  it('answers deep links that accept HTML with index.html, uncached', async () => {
    const response = await app.inject({ url: '/checks/4b0e8d4c-0000-4000-8000-000000000000', headers: html });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<title>Cronbeat</title>');
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets with a year-long immutable cache', async () => {
    const response = await app.inject({ url: '/assets/index-abc123.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toContain('immutable');
  });

  it("sends the build's compressed copy to a browser that accepts it, and the file itself to one that does not", async () => {
    const brotli = await app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(brotli.statusCode).toBe(200);
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
    expect(brotli.headers.vary).toContain('accept-encoding');
    expect(brotliDecompressSync(brotli.rawPayload).toString()).toBe('console.log(1)');
    expect((await app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip' } })).headers['content-encoding']).toBe(
      'gzip',
    );
    const plain = await app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe('console.log(1)');
  });

  it('never shadows the server: API, auth, ping and probe paths keep their JSON 404 even for browsers', async () => {
    for (const url of ['/api/v1/nope', '/api', '/auth/nope', '/ping/nope', '/healthz/x', '/metrics', '/docs/x']) {
      const response = await app.inject({ url, headers: html });
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code, url).toBe('CB_NOT_FOUND');
    }
    expect((await app.inject({ url: '/api/v1/checks', headers: html })).json()).toEqual({ checks: [] });
  });

  it('answers 404 for a missing file and for non-HTML requests of unknown paths', async () => {
    expect((await app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/../package.json' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/settings', headers: { accept: 'application/json' } })).statusCode).toBe(404);
  });
});
