import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { loadConfig } from '@cronbeat/config';
import type { Schedule } from '@cronbeat/core';
import { apiKeys, channels, checks, createCheck, createProject, type Database, pings } from '@cronbeat/db';
import { openTestDatabase } from '@cronbeat/db/testing';
import { buildApp } from '@cronbeat/server';
import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';

/** A real Cronbeat server on a free port, with a migrated PGlite database of its own, one project and its keys. */
export interface CronbeatServer {
  url: string;
  database: Database;
  projectId: string;
  pingKey: string;
  apiKey: string;
  close(): Promise<void>;
}

/** `settings` adds to the server's environment, e.g. ALLOW_PRIVATE_TARGETS so a channel test reaches a local receiver. */
export async function startCronbeat(settings: Record<string, string> = {}): Promise<CronbeatServer> {
  // A copy of the run's migrated template: no initdb and no migrations per file.
  const database = await openTestDatabase('pglite');
  // Never loadConfig() bare under Vitest: it sets BASE_URL='/'.
  const app: FastifyInstance = await buildApp(loadConfig({ LOG_LEVEL: 'silent', ...settings }), { database });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const project = await createProject(database.db, { name: `client tests ${randomBytes(3).toString('hex')}` });
  // Inserted the way the API stores keys (SHA-256 of the key), so the client meets the real auth path.
  const apiKey = `cb_rw_${randomBytes(32).toString('base64url')}`;
  await database.db.insert(apiKeys).values({
    projectId: project.id,
    name: 'client tests',
    access: 'read-write',
    prefix: apiKey.slice(0, 10),
    keyHash: createHash('sha256').update(apiKey).digest('hex'),
  });
  return {
    url,
    database,
    projectId: project.id,
    pingKey: project.pingKey,
    apiKey,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

const DAILY: Schedule = { kind: 'period', period: 86_400 };

export async function addCheck(server: CronbeatServer, input: { name?: string; slug?: string; schedule?: Schedule } = {}) {
  return createCheck(server.database.db, {
    projectId: server.projectId,
    name: input.name ?? 'a job',
    slug: input.slug ?? null,
    schedule: input.schedule ?? DAILY,
    grace: 3600,
  });
}

export async function addChannel(server: CronbeatServer, name: string) {
  const [row] = await server.database.db
    .insert(channels)
    .values({ projectId: server.projectId, kind: 'webhook', name, config: { url: 'http://127.0.0.1:9/hook' } })
    .returning();
  return row!;
}

export const pingsOf = (server: CronbeatServer, checkId: string) =>
  server.database.db.select().from(pings).where(eq(pings.checkId, checkId)).orderBy(asc(pings.n));

export const checkRow = async (server: CronbeatServer, checkId: string) =>
  (await server.database.db.select().from(checks).where(eq(checks.id, checkId)))[0]!;

export const checksOfProject = (server: CronbeatServer) =>
  server.database.db.select().from(checks).where(eq(checks.projectId, server.projectId)).orderBy(asc(checks.slug));

/**
 * The CLI `cli()` starts: the current sources bundled once per run by the
 * global set-up (support/cli-bundle.ts), which plain node starts with about
 * 0.07 s of CPU where bin/cronbeat.js, compiling them through tsx, took
 * 0.35 s or more. The bin script itself runs from the packed package in
 * pack.test.ts.
 */
export function cliBin(): string {
  const bundled = inject('cronbeatCli');
  if ('error' in bundled) throw new Error(`the cronbeat CLI could not be bundled from its sources: ${bundled.error}`);
  return bundled.path;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to exit. */
  elapsed: number;
}

/** Runs the real `cronbeat` CLI (`cliBin()`, unless `bin` names another) as a child process, the way cron would. */
export function cli(
  args: string[],
  options: {
    env?: Record<string, string>;
    stdin?: string | Buffer;
    onSpawn?: (child: ChildProcess) => void;
    bin?: string;
    cwd?: string;
  } = {},
): Promise<CliResult> {
  const started = Date.now();
  const child = spawn(process.execPath, [options.bin ?? cliBin(), ...args], {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  child.stdin.on('error', () => {}); // a command that ignores stdin may close it early
  child.stdin.end(options.stdin ?? '');
  options.onSpawn?.(child);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) =>
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString(),
        stderr: Buffer.concat(stderr).toString(),
        elapsed: Date.now() - started,
      }),
    );
  });
}

/** Environment pointing the CLI at a server. */
export const envFor = (server: CronbeatServer): Record<string, string> => ({
  CRONBEAT_URL: server.url,
  CRONBEAT_PING_KEY: server.pingKey,
  CRONBEAT_API_KEY: server.apiKey,
});
