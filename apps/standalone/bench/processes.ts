/**
 * The processes bench:memory measures: each started the way its npm script
 * starts it (the script's own `node` flags, read from the root
 * package.json), and how much memory it holds, read from outside (/proc)
 * and from its own Prometheus metrics.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The npm scripts measured, and the log line each prints once it is ready. */
export const ROLES = {
  embedded: { script: 'start', ready: 'Cronbeat is running' },
  server: { script: 'start:server', ready: 'Cronbeat server listening' },
  worker: { script: 'start:worker', ready: 'Cronbeat worker running' },
} as const;
export type Role = keyof typeof ROLES;

/**
 * The Node arguments of an npm script (`node <flags> <entry>`), so the bench
 * measures what `npm start` runs, flags included. With `compiled`, the
 * bundle `npm run build:apps` makes of the entry runs instead, with the same
 * flags but without tsx, as the image runs it.
 */
export function scriptArgs(script: string, compiled: boolean): string[] {
  const scripts = (JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;
  const words = (scripts[script] ?? '').split(/\s+/).filter(Boolean);
  if (words[0] !== 'node')
    throw new Error(`bench:memory measures node itself: npm script "${script}" must start with "node", not "${words[0]}"`);
  const args = words.slice(1);
  if (!compiled) return args;
  const flags = args.filter((word, i) => word !== '--import' && args[i - 1] !== '--import').slice(0, -1);
  const entry = args.at(-1)!.replace(/\/src\/main\.ts$/, '/dist/main.js');
  return [...flags, entry];
}

export { freePort } from '@cronbeat/runtime/testing';

export interface Running {
  child: ChildProcess;
  /** Seconds from spawn to its ready line. */
  startSeconds: number;
  stop(): Promise<void>;
}

/** Starts `role` with `env` and resolves once it logs that it is ready. */
export async function startRole(role: Role, env: Record<string, string>, compiled: boolean): Promise<Running> {
  const { script, ready } = ROLES[role];
  const started = performance.now();
  const child = spawn(process.execPath, scriptArgs(script, compiled), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onLine = (line: string) => {
      // Keeps reading after the ready line, so a chatty process never blocks on a full pipe.
      if (output.length < 20_000) output += `${line}\n`;
      if (line.includes(ready)) resolve();
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.once('exit', (code) => reject(new Error(`npm run ${script} exited with ${code} before it was ready:\n${output}`)));
  });
  return {
    child,
    startSeconds: (performance.now() - started) / 1000,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** What a process holds, in MB. */
export interface MemoryReading {
  /** Resident set size now (VmRSS). */
  rss: number;
  /** The most it was ever resident (VmHWM). */
  peak: number;
  /** V8's heap: used, and committed (what the young generation may take shows here). */
  heapUsed: number;
  heapTotal: number;
  /** Memory outside V8's heap that JavaScript objects own: Buffers and WebAssembly memory (PGlite's). */
  external: number;
}

const MB = 1024 * 1024;

/** VmRSS and VmHWM of a process, in MB (Linux). */
function residentOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

/** Reads the process's memory now: from /proc, and the split from its /metrics (prom-client's default metrics). */
export async function readMemory(pid: number, metricsUrl: string): Promise<MemoryReading> {
  const text = await (await fetch(metricsUrl)).text();
  const metric = (name: string) => Math.round(Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN) / MB);
  return {
    ...residentOf(pid),
    heapUsed: metric('nodejs_heap_size_used_bytes'),
    heapTotal: metric('nodejs_heap_size_total_bytes'),
    external: metric('nodejs_external_memory_bytes'),
  };
}

export const describeReading = (reading: MemoryReading) =>
  `RSS ${reading.rss} MB (peak ${reading.peak} MB; V8 heap ${reading.heapUsed} MB used of ${reading.heapTotal} MB, external ${reading.external} MB)`;
