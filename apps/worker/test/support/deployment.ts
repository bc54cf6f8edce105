/**
 * Cronbeat processes started exactly as docker-compose and the Kubernetes
 * manifests start them: `node --import tsx <entry>` from the repository root,
 * configured by environment variables only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const ENTRIES = {
  migrate: 'packages/db/src/migrate-cli.ts',
  server: 'apps/server/src/main.ts',
  worker: 'apps/worker/src/main.ts',
} as const;

export interface CronbeatProcess {
  child: ChildProcess;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  output(): string;
}

/** Starts one entry point with only the given variables (and PATH): nothing leaks in from the test runner. */
export function run(entry: keyof typeof ENTRIES, env: Record<string, string>): CronbeatProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRIES[entry]], {
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
