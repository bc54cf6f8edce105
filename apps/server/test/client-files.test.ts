import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '@cronbeat/config';
import { createCheck, createProject, type Database, pings } from '@cronbeat/db';
import { openTestDatabase } from '@cronbeat/db/testing';
import { eq } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { errorsPlugin } from '../src/plugins/errors';
import { CLIENT_DIR, type ClientFilesOptions, clientFileRoutes, servedRunner } from '../src/routes/client-files';

/*
 * /client/cronbeat.sh and /client/cronbeat.tgz. The files are the same
 * whatever the database, so one PGlite database serves the suite. The sh
 * runner's behaviour is packages/client/test/sh-runner.test.ts's; here: how
 * it is served, and the tarball end to end (made from this tree's sources,
 * installed by npm from the server's URL, run against the same server).
 */

const run = promisify(execFile);
const BASE_URL = 'http://cronbeat.test';
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'cronbeat-client-files-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Just the routes under test, with the one error handler, for the cases a whole app cannot be put in (a failing packer). */
async function routesOnly(options: Omit<ClientFilesOptions, 'config'>): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(errorsPlugin);
  await app.register(clientFileRoutes, { config: { baseUrl: BASE_URL }, ...options });
  return app;
}

describe('the sh runner as served', () => {
  let database: Database;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', BASE_URL }), { database });
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it("is the repository's runner with this server's BASE_URL as its default, as a shell script revalidated by ETag", async () => {
    const answer = await app.inject('/client/cronbeat.sh');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toBe('text/x-shellscript; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-cache');
    expect(answer.headers.etag).toMatch(/^"[\w-]{27}"$/);
    const template = readFileSync(join(CLIENT_DIR, 'sh', 'cronbeat.sh'), 'utf8');
    expect(answer.body).toBe(template.replace("cronbeat_default_url=''", `cronbeat_default_url='${BASE_URL}'`));
    const again = await app.inject({ url: '/client/cronbeat.sh', headers: { 'if-none-match': answer.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect((await app.inject({ method: 'HEAD', url: '/client/cronbeat.sh' })).statusCode).toBe(200);
  });

  it('answers other files under /client/ with the JSON 404, not the dashboard', async () => {
    const answer = await app.inject({ url: '/client/other.sh', headers: { accept: 'text/html' } });
    expect(answer.statusCode).toBe(404);
    expect(answer.json().error.code).toBe('CB_NOT_FOUND');
  });
});

describe('filling in the default address', () => {
  it('quotes it as one sh word, whatever it holds', async () => {
    const hostile = 'https://example.com/it\'s $(touch pwned) `id` \\ "q"';
    const served = servedRunner(readFileSync(join(CLIENT_DIR, 'sh', 'cronbeat.sh'), 'utf8'), hostile)!;
    const line = served.split('\n').find((text) => text.startsWith('cronbeat_default_url='))!;
    const { stdout } = await run('/usr/bin/dash', ['-c', `${line}\nprintf '%s' "$cronbeat_default_url"`], { cwd: scratch });
    expect(stdout).toBe(hostile);
    expect(existsSync(join(scratch, 'pwned'))).toBe(false);
  });

  it('refuses a template without exactly one default line', () => {
    expect(servedRunner('#!/bin/sh\necho hi\n', BASE_URL)).toBeNull();
    expect(servedRunner("cronbeat_default_url=''\ncronbeat_default_url=''\n", BASE_URL)).toBeNull();
  });

  it('answers a 404 that says so when the runner is not on the server', async () => {
    const app = await routesOnly({ clientDir: join(scratch, 'nowhere') });
    const answer = await app.inject('/client/cronbeat.sh');
    expect(answer.statusCode).toBe(404);
    expect(answer.json()).toEqual({ error: { code: 'CB_CLIENT_UNAVAILABLE', message: 'the sh runner is not installed on this server' } });
    await app.close();
  });
});

describe('the tarball, while it is made or when it cannot be', () => {
  /** A stand-in packer: counts its runs in a file, waits, then prints where a tarball is (or fails). */
  function packer(name: string, script: string): { command: string[]; runs: () => number } {
    const count = join(scratch, `${name}.runs`);
    writeFileSync(count, '');
    return {
      command: ['sh', '-c', `echo run >> '${count}'; ${script}`],
      runs: () => readFileSync(count, 'utf8').split('\n').filter(Boolean).length,
    };
  }

  it('tells a request to retry (503, Retry-After) while it is being made, makes it once for all, then serves it', async () => {
    const tgz = join(scratch, 'stand-in.tgz');
    writeFileSync(tgz, 'not really gzip');
    const slow = packer('slow', `sleep 1; printf '{"path":"${tgz}","version":"9.9.9"}'`);
    const app = await routesOnly({ clientDir: scratch, tarballWait: 100, tarball: { command: slow.command } });
    const early = await Promise.all([app.inject('/client/cronbeat.tgz'), app.inject('/client/cronbeat.tgz')]);
    for (const answer of early) {
      expect(answer.statusCode).toBe(503);
      expect(answer.headers['retry-after']).toBe('30');
      expect(answer.json().error.code).toBe('CB_CLIENT_BEING_MADE');
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const ready = await app.inject('/client/cronbeat.tgz');
    expect(ready.statusCode).toBe(200);
    expect(ready.headers['content-type']).toBe('application/gzip');
    expect(ready.headers['content-disposition']).toBe('attachment; filename="cronbeat-9.9.9.tgz"');
    expect(ready.body).toBe('not really gzip');
    expect(slow.runs()).toBe(1);
    await app.close();
  });

  it('answers a clear 404 when it cannot be made, and tries again only after a pause', async () => {
    const failing = packer('failing', 'echo "npm: no space left" >&2; exit 1');
    const app = await routesOnly({ clientDir: scratch, tarball: { command: failing.command, retryAfterFailure: 60_000 } });
    for (let i = 0; i < 2; i++) {
      const answer = await app.inject('/client/cronbeat.tgz');
      expect(answer.statusCode).toBe(404);
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(answer.json().error).toEqual({
        code: 'CB_CLIENT_UNAVAILABLE',
        message: "the client's package could not be made on this server (its log says why); npm run build makes it ahead of time",
      });
    }
    expect(failing.runs()).toBe(1);
    await app.close();
  });

  it('pauses longer after each failure in a row, up to a cap', async () => {
    const failing = packer('failing-often', 'exit 1');
    const app = await routesOnly({
      clientDir: scratch,
      tarball: { command: failing.command, retryAfterFailure: 400, maxRetryAfterFailure: 800 },
    });
    const ask = async () => expect((await app.inject('/client/cronbeat.tgz')).statusCode).toBe(404);
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    try {
      await ask();
      expect(failing.runs()).toBe(1);
      await pause(500); // past the first pause (400 ms): tried again
      await ask();
      expect(failing.runs()).toBe(2);
      await pause(500); // within the second (800 ms): not tried
      await ask();
      expect(failing.runs()).toBe(2);
      await pause(400);
      await ask();
      expect(failing.runs()).toBe(3);
      await pause(900); // the third would be 1600 ms, but the cap is 800
      await ask();
      expect(failing.runs()).toBe(4);
    } finally {
      await app.close();
    }
  });

  it('stops the packer and all it started when the server closes', async () => {
    const marker = join(scratch, 'finished-after-close');
    const stuck = packer('outlives', `(sleep 1; touch '${marker}') & wait`);
    const app = await routesOnly({ clientDir: scratch, tarballWait: 100, tarball: { command: stuck.command } });
    expect((await app.inject('/client/cronbeat.tgz')).statusCode).toBe(503);
    await app.close();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(existsSync(marker)).toBe(false);
  });

  it('stops making it at its deadline, the packer and all it started', async () => {
    const marker = join(scratch, 'finished-late');
    const stuck = packer('stuck', `(sleep 2; touch '${marker}') & wait`);
    const app = await routesOnly({ clientDir: scratch, tarball: { command: stuck.command, makeTimeout: 300 } });
    const answer = await app.inject('/client/cronbeat.tgz');
    expect(answer.statusCode).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(existsSync(marker)).toBe(false);
    await app.close();
  });
});

describe('the tarball, made from this tree and installed by npm from the server', () => {
  let database: Database;
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    app = await buildApp(loadConfig({ LOG_LEVEL: 'silent' }), { database });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it('serves the client package of its own version, which `npm install -g <url>` installs and runs with Node alone', async () => {
    // Made on the first request (building the client takes up to a minute on a busy machine): retried as npm would.
    const deadline = Date.now() + 240_000;
    let answer = await fetch(`${url}/client/cronbeat.tgz`);
    while (answer.status === 503 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      answer = await fetch(`${url}/client/cronbeat.tgz`);
    }
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/gzip');
    const version = JSON.parse(readFileSync(join(CLIENT_DIR, 'package.json'), 'utf8')).version;
    expect(answer.headers.get('content-disposition')).toBe(`attachment; filename="cronbeat-${version}.tgz"`);
    const etag = answer.headers.get('etag')!;
    expect((await fetch(`${url}/client/cronbeat.tgz`, { headers: { 'if-none-match': etag } })).status).toBe(304);

    const prefix = join(scratch, 'global');
    mkdirSync(prefix);
    const env = { PATH: process.env.PATH ?? '', HOME: scratch, npm_config_cache: join(scratch, 'npm-cache') };
    await run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', `${url}/client/cronbeat.tgz`], { env, cwd: scratch });
    const installed = JSON.parse(readFileSync(join(prefix, 'lib', 'node_modules', 'cronbeat', 'package.json'), 'utf8'));
    expect(installed.version).toBe(version);
    expect(installed.main).toBe('dist/index.js');

    const project = await createProject(database.db, { name: 'installed client' });
    const check = await createCheck(database.db, {
      projectId: project.id,
      name: 'job',
      schedule: { kind: 'period', period: 3600 },
      grace: 60,
    });
    const ran = await run(join(prefix, 'bin', 'cronbeat'), ['run', check.pingCode, '--', 'sh', '-c', 'echo from the installed client'], {
      env: { ...env, CRONBEAT_URL: url },
      cwd: scratch,
    });
    expect(ran.stdout).toBe('from the installed client\n');
    const stored = await database.db.select().from(pings).where(eq(pings.checkId, check.id)).orderBy(pings.n);
    expect(stored.map((ping) => [ping.kind, ping.body])).toEqual([
      ['start', null],
      ['success', 'from the installed client\n'],
    ]);
  }, 300_000);
});
