import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without declarations
import { sourceFingerprint } from '../scripts/tarball.mjs';
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
 * Packing builds (esbuild, then dts-bundle-generator's TypeScript: about 25 s
 * of CPU), so the tarball is kept between runs under node_modules/.cache,
 * named by the fingerprint the server's tarball uses (the package's sources
 * and the workspaces it bundles) and the lockfile (the builders' versions).
 */
let unpacked: string;
let outside: string;
let files: string[];
let server: CronbeatServer;

/** Packs the client with `npm pack` (its prepack and postpack scripts included) into `tarball`. */
async function pack(tarball: string): Promise<void> {
  const copy = join(REPOSITORY, '.test-builds', `client-pack-${process.pid}`);
  const destination = mkdtempSync(join(tmpdir(), 'cronbeat-packed-'));
  try {
    rmSync(copy, { recursive: true, force: true });
    mkdirSync(dirname(copy), { recursive: true });
    cpSync(CLIENT, copy, {
      recursive: true,
      filter: (path) => !/[/\\](test|dist|node_modules)$/.test(path) && !path.endsWith('package.json.development'),
    });
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? destination };
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], { cwd: copy, env, maxBuffer: 16 << 20 });
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string }[];
    mkdirSync(dirname(tarball), { recursive: true });
    // Copied beside its place and renamed, so a run starting meanwhile never reads half a tarball.
    const aside = `${tarball}.${process.pid}`;
    cpSync(join(destination, packed!.filename), aside);
    renameSync(aside, tarball);
  } finally {
    rmSync(copy, { recursive: true, force: true });
    rmSync(destination, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  const lockfile = createHash('sha256')
    .update(readFileSync(join(REPOSITORY, 'package-lock.json')))
    .digest('hex')
    .slice(0, 12);
  const tarball = join(REPOSITORY, 'node_modules', '.cache', 'cronbeat-test', `client-pack-${sourceFingerprint()}-${lockfile}.tgz`);
  if (!existsSync(tarball)) await pack(tarball);
  outside = mkdtempSync(join(tmpdir(), 'cronbeat-pack-'));
  files = (await run('tar', ['-tzf', tarball])).stdout
    .split('\n')
    .filter((path) => path !== '')
    .map((path) => path.replace(/^package\//, ''));
  await run('tar', ['-xzf', tarball, '-C', outside]);
  unpacked = join(outside, 'package');
  server = await startCronbeat();
}, 180_000);

afterAll(async () => {
  await server?.close();
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
