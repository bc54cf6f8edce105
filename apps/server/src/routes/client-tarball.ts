import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { strongEtag } from '../etag';

/** The client's npm tarball as served: its bytes, a strong ETag and the version inside. */
export interface ClientTarballFile {
  bytes: Buffer;
  etag: string;
  version: string;
}

export type TarballAnswer = { state: 'ready'; file: ClientTarballFile } | { state: 'making' } | { state: 'unavailable'; reason: string };

export interface ClientTarballOptions {
  /** The client package's folder (packages/client), whose scripts/tarball.mjs makes the tarball. */
  clientDir: string;
  /** Where tarballs made on request are kept, named by a fingerprint of the sources. */
  cacheDir: string;
  /** Milliseconds making one may take (building and packing the client) before it is stopped. Default: 300000. */
  makeTimeout?: number;
  /**
   * Milliseconds after a failure before a request may try again; the pause
   * doubles with each failure in a row, up to `maxRetryAfterFailure`, so a
   * build that always fails is not restarted by every visitor. Default: 60000.
   */
  retryAfterFailure?: number;
  /** The longest pause after failures in a row, in milliseconds. Default: 3600000. */
  maxRetryAfterFailure?: number;
  /** The command that prints the tarball's place as JSON. Default: node <clientDir>/scripts/tarball.mjs --ensure <cacheDir>. */
  command?: string[];
  /** Told once per failed attempt why it failed (the answer to requests says less). */
  onFailure?: (reason: string) => void;
}

/**
 * The client's tarball, made at most once at a time per process. A release
 * build (`npm run build`, the image) has one ready in packages/client/dist;
 * from sources (`npm start`) the client's script builds and packs one into
 * the cache on the first request, which takes seconds to a minute. A request
 * waits for it up to its own deadline and is told to come back if making
 * it takes longer; making it goes on meanwhile, under a deadline of its own,
 * and ends with the server (`close`): the packer runs in a process group of
 * its own, which nothing else would stop.
 */
export class ClientTarball {
  private ready: ClientTarballFile | null = null;
  private making: Promise<ClientTarballFile> | null = null;
  private failure: { reason: string; retryAt: number; inARow: number } | null = null;
  private packer: ChildProcess | null = null;
  private closed = false;

  constructor(private readonly options: ClientTarballOptions) {}

  async get(waitMs: number): Promise<TarballAnswer> {
    if (this.ready) return { state: 'ready', file: this.ready };
    if (this.closed) return { state: 'unavailable', reason: 'the server is closing' };
    if (this.failure && Date.now() < this.failure.retryAt) return { state: 'unavailable', reason: this.failure.reason };
    if (!this.making) {
      this.making = this.make().then(
        (file) => {
          this.ready = file;
          this.failure = null;
          return file;
        },
        (error: Error) => {
          const inARow = (this.failure?.inARow ?? 0) + 1;
          const first = this.options.retryAfterFailure ?? 60_000;
          const pause = Math.min(first * 2 ** (inARow - 1), this.options.maxRetryAfterFailure ?? 3_600_000);
          this.failure = { reason: error.message, retryAt: Date.now() + pause, inARow };
          this.options.onFailure?.(error.message);
          this.making = null;
          throw error;
        },
      );
    }
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<'making'>((resolve) => {
      timer = setTimeout(() => resolve('making'), waitMs);
    });
    try {
      const outcome = await Promise.race([this.making, waited]);
      return outcome === 'making' ? { state: 'making' } : { state: 'ready', file: outcome };
    } catch (error) {
      return { state: 'unavailable', reason: (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops a packer still running, with all it started, and makes no more. */
  close(): void {
    this.closed = true;
    if (this.packer) killGroup(this.packer);
  }

  private async make(): Promise<ClientTarballFile> {
    const script = join(this.options.clientDir, 'scripts', 'tarball.mjs');
    if (!this.options.command && !existsSync(script)) throw new Error(`this server has no copy of the client package (${script})`);
    const command = this.options.command ?? [process.execPath, script, '--ensure', this.options.cacheDir];
    const printed = await runWithDeadline(command, this.options.makeTimeout ?? 300_000, (child) => {
      this.packer = child;
    }).finally(() => {
      this.packer = null;
    });
    const { path, version } = JSON.parse(printed) as { path: string; version: string };
    const bytes = await readFile(path);
    return { bytes, etag: strongEtag(bytes), version };
  }
}

/** Stops a packer's whole process group (npm, esbuild…): killing the packer alone would leave them running. */
function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Runs a command in a process group of its own and stops the whole group at the deadline. */
function runWithDeadline(command: string[], timeoutMs: number, started: (child: ChildProcess) => void): Promise<string> {
  const [program, ...args] = command;
  return new Promise((resolve, reject) => {
    const child = spawn(program!, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) started(child);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start the client's packer: ${error.message}`));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (timedOut) return reject(new Error(`making it took longer than ${Math.round(timeoutMs / 1000)} s`));
      const said = Buffer.concat(stderr).toString().trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(said || `the client's packer exited with status ${code}`));
      resolve(Buffer.concat(stdout).toString());
    });
  });
}
