/**
 * The processes bench:ping runs beside itself: the servers under test
 * (`serve.ts`) and the load generator (`load.ts`), each a Node process of
 * its own, and what is read from them while pings are measured (CPU use from
 * /proc, the server's garbage collections over HTTP).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type CpuReading, cpuSeconds } from './cpu';
import { type GcReading, gcBetween, readGc } from './gc';
import type { LoadOptions, LoadResult } from './load';

const here = import.meta.dirname;

/** Node flags for the servers under test, as `npm start` and the image run Cronbeat; the baseline gets them too. */
const SERVER_FLAGS = ['--max-semi-space-size=64'];

const tsx = (script: string, scriptArgs: string[], env: Record<string, string> = {}, flags: string[] = []) =>
  spawn(process.execPath, [...flags, '--import', 'tsx', join(here, script), ...scriptArgs], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });

/**
 * The first line of a child's stdout that holds `key`; the server's logger
 * shares stdout, so warnings may come first. `onLine` sees every line.
 */
const lineWith = (child: ChildProcess, key: string, onLine?: (line: string) => void): Promise<string> =>
  new Promise((resolve, reject) => {
    // Keeps reading after the match, so a chatty child never blocks on a full pipe.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      onLine?.(line);
      if (line.includes(`"${key}"`)) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`${child.spawnargs.join(' ')} exited with ${code}`)));
  });

/** A server under test: where it listens, its process, whose CPU use is read, and where its GC totals are read. */
export interface Server {
  url: string;
  pid: number;
  gcUrl: string;
}

/**
 * A port nothing listens on now, from the OS. A port picked at random can
 * be the local end of one of this machine's own connections (the load
 * generator's, the servers' to Postgres), which fails the listen.
 */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

/** Starts a server under test on Postgres at `dbUrl`, runs `run` against it, and stops it. */
export async function withServer<T>(mode: 'cronbeat' | 'baseline', dbUrl: string, run: (server: Server) => Promise<T>): Promise<T> {
  const port = await freePort();
  const child = tsx('serve.ts', [mode], { DATABASE_URL: dbUrl, PORT: String(port), LOG_LEVEL: 'warn' }, SERVER_FLAGS);
  try {
    const { listening, gc } = JSON.parse(await lineWith(child, 'listening')) as { listening: string; gc: string };
    return await run({ url: listening, pid: child.pid!, gcUrl: gc });
  } finally {
    // A server that failed to start (its port taken, say) has exited already.
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
}

/**
 * Runs the load generator; with `server`, also reads its, that server's and
 * Postgres's CPU use, and the server's garbage collections, while pings are
 * measured.
 */
export async function runLoad(options: LoadOptions, server?: Server) {
  const readings: CpuReading[] = [];
  const gcReadings: Array<Promise<GcReading | null>> = [];
  const child = tsx('load.ts', [JSON.stringify(options)]);
  const line = await lineWith(child, 'pingsOk', (text) => {
    if (!server || !text.includes('"window"')) return;
    readings.push(cpuSeconds({ server: server.pid, load: child.pid! }));
    gcReadings.push(readGc(server.gcUrl));
  });
  const result = JSON.parse(line) as LoadResult;
  const [gcStart, gcEnd] = await Promise.all(gcReadings);
  const gc = gcStart && gcEnd ? gcBetween(gcStart, gcEnd) : null;
  const [start, end] = readings;
  const perPing = (before: number | null | undefined, after: number | null | undefined) =>
    before == null || after == null || result.pingsOk === 0 ? null : Math.round(((after - before) * 1e6) / result.pingsOk);
  // Microseconds of CPU per ping answered, over the measured window.
  const cpu: CpuReading = {
    server: perPing(start?.server, end?.server),
    postgres: perPing(start?.postgres, end?.postgres),
    load: perPing(start?.load, end?.load),
  };
  return { ...result, cpu, gc };
}
