import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migratedDataDir, openTestDatabase, testDatabaseKinds } from '@cronbeat/db/testing';
import { freePort } from '@cronbeat/runtime/testing';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** Starts `npm start`'s entry point and resolves once it prints the URL to open. */
function startCronbeat(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Cronbeat is running')) resolve({ child, output: () => output });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code} before it was ready:\n${output}`)));
  });
}

const exitOf = (child: ChildProcess) => new Promise<number | null>((resolve) => child.on('exit', resolve));

describe.each(testDatabaseKinds())('npm start on %s', (kind) => {
  // A first start initialises a new data directory (initdb) and migrates it: 19 s on the quiet CI machine,
  // over 30 s while other suites share its two cores.
  it('migrates, serves /healthz and /readyz, prints the URL, and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cronbeat-start-'));
    const database = kind === 'postgres' ? await openTestDatabase('postgres') : null;
    try {
      const port = await freePort();
      const env: Record<string, string> = { PORT: String(port), DATA_DIR: dataDir };
      if (database?.url) env.DATABASE_URL = database.url;
      const { child, output } = await startCronbeat(env);

      expect(output()).toContain(`open http://localhost:${port}`);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);

      const exited = exitOf(child);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await database?.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('npm start with bad configuration', () => {
  it('fails fast with one line per problem', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { PATH: process.env.PATH ?? '', PORT: 'abc', LOG_LEVEL: 'loud' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    expect(await exitOf(child)).toBe(1);
    expect(stderr).toContain('PORT must be an integer between 1 and 65535, got "abc"');
    expect(stderr).toContain('LOG_LEVEL must be one of');
  }, 90_000);

  it('says in one line that the port is in use, and exits', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    // Already migrated: the database opens before the port is tried, and a new one would cost an initdb.
    const dataDir = migratedDataDir();
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
        env: { PATH: process.env.PATH ?? '', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      expect(await exitOf(child)).toBe(1);
      expect(stderr).toBe(`port ${port} is in use; set PORT\n`);
    } finally {
      taken.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('npm start in a terminal', () => {
  // `script` (Debian's essential bsdutils) gives the process a terminal, as a person's shell does.
  // Each test here starts Node with tsx as `npm start` does: seconds alone, over 30 s while the whole suite shares two cores.
  it('prints readable log lines, not JSON', async () => {
    const dataDir = migratedDataDir(); // the first test starts on a new directory; this one need not
    const port = await freePort();
    try {
      const command = `${process.execPath} --import tsx ${MAIN}`;
      const child = spawn('/usr/bin/script', ['-qfec', command, '/dev/null'], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), DATA_DIR: dataDir },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let output = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Cronbeat is running')) resolve();
        });
        child.on('exit', () => reject(new Error(`exited before it was ready:\n${output}`)));
      });
      child.kill('SIGTERM');
      await exitOf(child);
      const line = output.split('\n').find((text) => text.includes('Cronbeat is running')) ?? '';
      expect(line).toMatch(/INFO.*Cronbeat is running: open http:\/\/localhost:\d+/);
      expect(line.trim().startsWith('{')).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
