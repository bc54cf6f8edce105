import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CronbeatServer, cli, envFor, startCronbeat } from './cronbeat-server';

const run = promisify(execFile);
const CLIENT = fileURLToPath(new URL('..', import.meta.url));
const REPOSITORY = join(CLIENT, '..', '..');

/**
 * What `npm publish` would upload, unpacked where no node_modules can help it:
 * the published client must run on Node alone. The package is packed from a
 * copy (under .test-builds/, at the same depth so its tsconfig and
 * node_modules are found the same way), because `npm pack` rewrites
 * package.json while it works and other files read the real one meanwhile.
 */
let unpacked: string;
let outside: string;
let copy: string;
let files: string[];
let server: CronbeatServer;

beforeAll(async () => {
  copy = join(REPOSITORY, '.test-builds', `client-pack-${process.pid}`);
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(dirname(copy), { recursive: true });
  cpSync(CLIENT, copy, {
    recursive: true,
    filter: (path) => !/[/\\](test|dist|node_modules)$/.test(path) && !path.endsWith('package.json.development'),
  });
  outside = mkdtempSync(join(tmpdir(), 'cronbeat-pack-'));
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? outside };
  // Packing builds: esbuild bundles, dts-bundle-generator writes one declaration file per entry point.
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', outside], { cwd: copy, env, maxBuffer: 16 << 20 });
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  files = packed!.files.map((file) => file.path);
  await run('tar', ['-xzf', join(outside, packed!.filename), '-C', outside]);
  unpacked = join(outside, 'package');
  server = await startCronbeat();
}, 180_000);

afterAll(async () => {
  await server?.close();
  rmSync(copy, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('the packed client', () => {
  it('sits where no node_modules folder is above it', () => {
    const above = unpacked.split(sep).map((_, i, parts) => join(sep, ...parts.slice(0, i + 1), 'node_modules'));
    expect(above.filter((path) => existsSync(path))).toEqual([]);
  });

  it('declares no runtime dependencies and points its entry points at dist/', () => {
    const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.peerDependencies).toBeUndefined();
    expect(manifest.optionalDependencies).toBeUndefined();
    expect(manifest.main).toBe('dist/index.js');
    expect(manifest.types).toBe('dist/index.d.ts');
    expect(manifest.exports['./duration']).toEqual({ types: './dist/duration.d.ts', default: './dist/duration.js' });
    expect(manifest.bin).toEqual({ cronbeat: 'bin/cronbeat.js' });
  });

  it('ships the bundles, the type declarations and the bin, and no TypeScript sources', () => {
    expect(files).toEqual(
      expect.arrayContaining(['bin/cronbeat.js', 'dist/bin.js', 'dist/index.js', 'dist/index.d.ts', 'dist/duration.d.ts']),
    );
    expect(files.filter((path) => path.startsWith('src/') || (path.endsWith('.ts') && !path.endsWith('.d.ts')))).toEqual([]);
  });

  it('ships type declarations that import nothing from outside the package', () => {
    const imported = files
      .filter((path) => path.endsWith('.d.ts'))
      .flatMap((path) =>
        [...readFileSync(join(unpacked, path), 'utf8').matchAll(/(?:from|import\()\s*['"]([^'"]+)['"]/g)].map(
          (match) => `${path}: ${match[1]}`,
        ),
      );
    expect(imported.filter((line) => !/: (\.{1,2}\/|node:)/.test(line))).toEqual([]);
  });

  it('runs a sync dry run of a YAML file with anchors, merge keys and multi-line values', async () => {
    const monitors = join(outside, 'cronbeat.yaml');
    writeFileSync(
      monitors,
      `defaults: &defaults
  tz: Europe/Paris
  grace: 1h
checks:
  - <<: *defaults
    slug: nightly-backup
    cron: "0 3 * * *"
    tags: [
      backup,
      db,
    ]
    description: >
      Dumps the main database
      and ships it off site.
  - <<: *defaults
    slug: hourly-report
    period: 1h
`,
    );
    const result = await cli(['sync', 'cronbeat.yaml', '--dry-run', '--json'], {
      bin: join(unpacked, 'bin', 'cronbeat.js'),
      cwd: outside,
      env: envFor(server),
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { dryRun, changes } = JSON.parse(result.stdout);
    expect(dryRun).toBe(true);
    expect(changes.map((change: { action: string; slug: string }) => `${change.action} ${change.slug}`)).toEqual([
      'create nightly-backup',
      'create hourly-report',
    ]);
    expect(changes[0].input).toMatchObject({
      tz: 'Europe/Paris',
      grace: 3600,
      tags: ['backup', 'db'],
      description: 'Dumps the main database and ships it off site.\n',
    });
    expect(changes[1].input).toMatchObject({ tz: 'Europe/Paris', grace: 3600, period: 3600 });
  });

  it('lets the SDK be imported and read YAML', async () => {
    const script = `import { parseYaml } from ${JSON.stringify(join(unpacked, 'dist', 'index.js'))};
process.stdout.write(JSON.stringify(parseYaml('a: &x [1, 2]\\nb: *x\\nc: |\\n  two\\n  lines\\n')));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', script], { cwd: outside, env: {} });
    expect(JSON.parse(stdout)).toEqual({ a: [1, 2], b: [1, 2], c: 'two\nlines\n' });
  });
});
