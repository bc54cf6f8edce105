/**
 * Cronbeat processes started exactly as docker-compose and the Kubernetes
 * manifests start them: plain `node` running the compiled bundles from the
 * repository root, configured by environment variables only. This test
 * process compiles its own copy of the bundles once (scripts/build-apps.mjs
 * --outdir), so parallel test files never read a bundle another is writing.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const ENTRIES = {
  migrate: 'packages/db/dist/migrate.js',
  server: 'apps/server/dist/main.js',
  worker: 'apps/worker/dist/main.js',
} as const;

let builtIn: string | undefined;

/** Test workers are often killed rather than exiting: their copies are removed by the next build instead. */
function removeBuildsOfGoneProcesses(): void {
  const parent = join(ROOT, '.test-builds');
  let names: string[] = [];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    try {
      process.kill(Number(name), 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(parent, name), { recursive: true, force: true });
    }
  }
}

/** Where this process's bundles are, compiling them the first time. */
function bundles(): string {
  if (builtIn) return builtIn;
  const dir = join('.test-builds', String(process.pid));
  removeBuildsOfGoneProcesses();
  execFileSync(process.execPath, ['scripts/build-apps.mjs', '--outdir', dir], { cwd: ROOT, stdio: 'ignore' });
  process.once('exit', () => rmSync(join(ROOT, dir), { recursive: true, force: true }));
  builtIn = join(ROOT, dir);
  return builtIn;
}

export interface CronbeatProcess {
  child: ChildProcess;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  output(): string;
}

/** Starts one entry point with only the given variables (and PATH): nothing leaks in from the test runner. */
export function run(entry: keyof typeof ENTRIES, env: Record<string, string>): CronbeatProcess {
  const child = spawn(process.execPath, [join(bundles(), ENTRIES[entry])], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** Polls `url` until it answers 200, or fails with the process's output. */
export async function waitForOk(url: string, started: CronbeatProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void started.exited.then((code) => {
    exitCode = code;
  });
  for (;;) {
    if (exitCode !== undefined) throw new Error(`exited with ${exitCode} before ${url} answered:\n${started.output()}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The value of one sample, e.g. `cronbeat_pings_total{kind="success"}`, in Prometheus text; 0 when absent. */
export function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

export const scrape = async (url: string): Promise<string> => (await fetch(url)).text();
