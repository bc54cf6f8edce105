/**
 * What the server's fault tests share: a real server process on a database
 * of the test file's own (`node --import tsx apps/server/src/main.ts`, as
 * `npm run start:server` and the image start it, configured by environment
 * only), and pings sent to it over loopback, each with a body of its own so
 * the database can be asked which were stored.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isCi, loadServices } from '@cronbeat/config';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** DATABASE_URL, or null to skip; under CI=true a missing one is an error, never a skip. */
export function faultDatabaseUrl(suite: string): string | null {
  const { databaseUrl } = loadServices();
  if (!databaseUrl && isCi()) throw new Error(`CI=true but DATABASE_URL is not set: fault test ${suite} would be skipped`);
  return databaseUrl;
}

export { freePort } from '@cronbeat/runtime/testing';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  exited: Promise<number | null>;
  /** Everything it printed, stdout and stderr. */
  output(): string;
}

/** Starts the server on `databaseUrl` and `port` and waits until /readyz answers 200. */
export async function startServer(databaseUrl: string, port: number, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const server: ServerProcess = { child, url: `http://127.0.0.1:${port}`, exited, output: () => output };
  await waitForReady(server, 30_000);
  return server;
}

/** Polls /readyz until it answers 200; fails with the process's output if it exits or takes longer than `timeoutMs`. */
export async function waitForReady(server: ServerProcess, timeoutMs: number): Promise<number> {
  const started = Date.now();
  let exit: number | null | undefined;
  void server.exited.then((code) => {
    exit = code;
  });
  for (;;) {
    if (exit !== undefined) throw new Error(`the server exited with ${exit} before it was ready:\n${server.output()}`);
    const ready = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(3000) }).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`/readyz did not answer 200 within ${timeoutMs} ms:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Sends SIGTERM and resolves with the exit code and how long the process took to exit. */
export async function stopServer(server: ServerProcess): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  server.child.kill('SIGTERM');
  const code = await server.exited;
  return { code, ms: Date.now() - started };
}

/** What became of one ping. */
export type PingOutcome =
  | { status: 200 }
  | { status: 503; retryAfter: string | null; body: string }
  | { status: number; body: string }
  | { status: 'failed'; error: string }
  | { status: 'hung' };

/** Longest a ping may go unanswered before it counts as hung: twice the write deadline, and some. */
export const HUNG_AFTER_MS = 15_000;

/** POSTs one ping with `body` (plain text, stored with the ping) and says what became of it. */
export async function sendPing(url: string, pingCode: string, body: string): Promise<PingOutcome> {
  try {
    const response = await fetch(`${url}/ping/${pingCode}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/plain' },
      signal: AbortSignal.timeout(HUNG_AFTER_MS),
    });
    const text = await response.text();
    if (response.status === 200) return { status: 200 };
    if (response.status === 503) return { status: 503, retryAfter: response.headers.get('retry-after'), body: text };
    return { status: response.status, body: text };
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return { status: 'hung' };
    return { status: 'failed', error: String((error as Error).cause ?? error) };
  }
}

/** Tallies of a burst of pings. */
export class Tally {
  sent = 0;
  /** Bodies of the pings answered 200. */
  readonly acknowledged = new Set<string>();
  unavailable = 0;
  failed = 0;
  hung = 0;
  /** Any other answer, by status and body: none is expected. */
  readonly other = new Map<string, number>();
  /** 503s without a Retry-After or without a plain-text reason: none is expected. */
  badUnavailable = 0;

  add(body: string, outcome: PingOutcome): void {
    this.sent += 1;
    if (outcome.status === 200) this.acknowledged.add(body);
    else if (outcome.status === 503 && 'retryAfter' in outcome) {
      this.unavailable += 1;
      if (!outcome.retryAfter || !outcome.body.startsWith('ping not stored:')) this.badUnavailable += 1;
    } else if (outcome.status === 'failed') this.failed += 1;
    else if (outcome.status === 'hung') this.hung += 1;
    else {
      const key = `${outcome.status} ${'body' in outcome ? outcome.body.slice(0, 80) : ''}`;
      this.other.set(key, (this.other.get(key) ?? 0) + 1);
    }
  }
}
