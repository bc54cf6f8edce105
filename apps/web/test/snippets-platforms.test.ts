/**
 * The check page's AWS Lambda and Azure Functions snippets, run as written
 * by Node against a real Cronbeat server: the code people paste must send a
 * start and an end of one run, success or fail with the error, and leave the
 * job's result or error as it was. Azure's `@azure/functions` cannot run
 * here, so a stand-in package records the timer and its handler is called.
 * The ping URL reaches them as the platforms pass settings, in the
 * environment; the Cloud Run image's entry point is run by sh the same way.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig } from '@cronbeat/config';
import { createCheck, createProject, type Database, pings } from '@cronbeat/db';
import { openTestDatabase } from '@cronbeat/db/testing';
import { buildApp } from '@cronbeat/server';
import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snippetsFor } from '../src/snippets';
import { RUNNER_PATH } from '../src/snippets-platforms';

const run = promisify(execFile);
const RUNNER_IN_REPOSITORY = fileURLToPath(new URL('../../../packages/client/sh/cronbeat.sh', import.meta.url));
let database: Database;
let app: FastifyInstance;
let serverUrl: string;
let scratch: string;

beforeAll(async () => {
  database = await openTestDatabase('pglite');
  app = await buildApp(loadConfig({ LOG_LEVEL: 'silent' }), { database });
  serverUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  scratch = mkdtempSync(join(tmpdir(), 'cronbeat-snippets-'));
});

afterAll(async () => {
  await app?.close();
  await database?.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function aCheck() {
  const project = await createProject(database.db, { name: `snippets ${Math.random()}` });
  const check = await createCheck(database.db, {
    projectId: project.id,
    name: 'job',
    schedule: { kind: 'period', period: 3600 },
    grace: 60,
  });
  const snippets = snippetsFor(
    `${serverUrl}/ping/${check.pingCode}`,
    { cron: null, period: 3600, tz: 'UTC', slug: null, name: 'job' },
    serverUrl,
  );
  const code = (id: string) => snippets.find((snippet) => snippet.id === id)!.code;
  const stored = () => database.db.select().from(pings).where(eq(pings.checkId, check.id)).orderBy(asc(pings.n));
  const env = { ...process.env, CRONBEAT_PING_URL: `${serverUrl}/ping/${check.pingCode}` };
  return { code, stored, env };
}

/** The job the snippets call: it fails when asked to. */
const RUN_JOB = 'async function runJob(input) { if (input?.fail) throw new Error("disk full"); return "done"; }';

describe('the serverless snippets, run', () => {
  it('AWS Lambda: pairs start and success by run id, then start and fail with the error, keeping the result and the error', async () => {
    const { code, stored, env } = await aCheck();
    const module = join(scratch, 'lambda.mjs');
    writeFileSync(module, `${code('lambda')}\n${RUN_JOB}\n`);
    const caller = `import { handler } from ${JSON.stringify(module)};
console.log(await handler({}));
await handler({ fail: true }).catch((error) => console.log('threw', error.message));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', caller], { cwd: scratch, env });
    expect(stdout).toBe('done\nthrew disk full\n');
    const rows = await stored();
    expect(rows.map((ping) => ping.kind)).toEqual(['start', 'success', 'start', 'fail']);
    expect(rows[1]!.rid).toBe(rows[0]!.rid);
    expect(rows[3]!.rid).toBe(rows[2]!.rid);
    expect(rows[2]!.rid).not.toBe(rows[0]!.rid);
    expect(rows[3]!.body).toContain('Error: disk full');
    expect(rows[1]!.duration).not.toBeNull();
  });

  it('Azure Functions: the timer registered under the check’s name reports its runs the same way', async () => {
    const { code, stored, env } = await aCheck();
    const dir = join(scratch, 'azure');
    mkdirSync(join(dir, 'node_modules', '@azure', 'functions'), { recursive: true });
    writeFileSync(
      join(dir, 'node_modules', '@azure', 'functions', 'index.js'),
      'exports.timers = {}; exports.app = { timer: (name, options) => { exports.timers[name] = options; } };',
    );
    writeFileSync(join(dir, 'function.cjs'), `${code('azure')}\n${RUN_JOB}\n`);
    const caller = `const { timers } = require('@azure/functions');
require('./function.cjs');
const [name, timer] = Object.entries(timers)[0];
(async () => {
  console.log(name, timer.schedule, await timer.handler({}, {}));
  await timer.handler({}, { fail: true }).catch((error) => console.log('threw', error.message));
})();`;
    const { stdout } = await run(process.execPath, ['--eval', caller], { cwd: dir, env });
    expect(stdout).toBe('job 0 0 * * * * done\nthrew disk full\n');
    const rows = await stored();
    expect(rows.map((ping) => ping.kind)).toEqual(['start', 'success', 'start', 'fail']);
    expect(rows[1]!.rid).toBe(rows[0]!.rid);
    expect(rows[3]!.body).toContain('Error: disk full');
  });

  it('AWS Lambda without CRONBEAT_PING_URL: the job runs and returns as ever, and the missing setting is said', async () => {
    const { code, stored } = await aCheck();
    const module = join(scratch, 'lambda-unset.mjs');
    writeFileSync(module, `${code('lambda')}\n${RUN_JOB}\n`);
    const caller = `import { handler } from ${JSON.stringify(module)};\nconsole.log(await handler({}));`;
    const { CRONBEAT_PING_URL: _unset, ...env } = process.env;
    const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '--eval', caller], { cwd: scratch, env });
    expect(stdout).toBe('done\n');
    expect(stderr).toContain('CRONBEAT_PING_URL is not set');
    expect(await stored()).toEqual([]);
  });

  it('Cloud Run: the image’s entry point runs the job through the runner, the ping URL from the job’s environment', async () => {
    const { code, stored, env } = await aCheck();
    const dockerfile = code('cloud-run');
    const instruction = (name: string) => JSON.parse(new RegExp(`^${name} (.+)$`, 'm').exec(dockerfile)![1]!) as string[];
    // The image has the runner at RUNNER_PATH; here it is the repository's copy. The job prints and exits 3.
    const entrypoint = instruction('ENTRYPOINT').map((arg) => arg.replace(RUNNER_PATH, RUNNER_IN_REPOSITORY));
    const job = join(scratch, 'job.sh');
    writeFileSync(job, 'echo "rows copied"\nexit 3\n');
    expect(instruction('CMD')).toEqual(['/path/to/job.sh']);
    const [command, ...args] = [...entrypoint, 'sh', job];
    const failed = await run(command!, args, { cwd: scratch, env }).catch((error: { code: number; stdout: string }) => error);
    expect(failed).toMatchObject({ code: 3, stdout: 'rows copied\n' });
    const rows = await stored();
    expect(rows.map((ping) => [ping.kind, ping.exitStatus])).toEqual([
      ['start', null],
      ['fail', 3],
    ]);
    expect(rows[1]!.body).toContain('rows copied');
  });
});
