/**
 * The client's npm tarball, as a Cronbeat server hands it out at
 * /client/cronbeat.tgz (`npm install -g https://<server>/client/cronbeat.tgz`),
 * so a self-hosted server never depends on the public registry.
 *
 *   node scripts/tarball.mjs
 *     packs dist/ (as `npm run build:dist` left it) into dist/cronbeat.tgz,
 *     with dist/cronbeat.tgz.json saying which sources it was made from.
 *     `npm run build` runs it, so the image ships a tarball.
 *   node scripts/tarball.mjs --ensure <cache dir>
 *     prints, as JSON, a tarball of the sources as they are now:
 *     dist/cronbeat.tgz if it was made from them, else
 *     <cache dir>/cronbeat-<fingerprint>.tgz, built and packed in a copy of
 *     the package first if missing. The server runs this (apps/server's
 *     routes/client-files.ts), so `npm start` on a fresh clone serves one too.
 *
 * Packing happens in a copy: `npm pack` rewrites package.json while it works
 * (publishConfig's entry points), and other processes read the real one.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';

const run = promisify(execFile);
const CLIENT = fileURLToPath(new URL('..', import.meta.url));
const REPOSITORY = join(CLIENT, '..', '..');
const DIST = join(CLIENT, 'dist');
export const RELEASE_TARBALL = join(DIST, 'cronbeat.tgz');

/** Everything that can change what is packed: the client, the workspaces its bundle takes code from, and the build's settings. */
const SOURCES = [
  'packages/client/package.json',
  'packages/client/README.md',
  'packages/client/bin',
  'packages/client/src',
  'packages/client/scripts',
  'packages/client/dts-bundle.config.json',
  'packages/client/tsconfig.dts.json',
  'packages/contract/package.json',
  'packages/contract/src',
  'packages/core/package.json',
  'packages/core/src',
  'tsconfig.json',
];

/** A hash of the sources the tarball is made from: equal fingerprints, equal packages. */
export function sourceFingerprint() {
  const hash = createHash('sha256');
  const files = SOURCES.map((path) => join(REPOSITORY, path))
    .filter((path) => existsSync(path))
    .flatMap(filesUnder)
    .sort();
  for (const file of files) hash.update(`${relative(REPOSITORY, file)}\n`).update(readFileSync(file));
  return hash.digest('hex').slice(0, 20);
}

function filesUnder(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

const version = () => JSON.parse(readFileSync(join(CLIENT, 'package.json'), 'utf8')).version;

/**
 * Packs a built copy of the package (`dir`, holding bin/ and dist/) into `outFile`, atomically:
 * publishConfig's entry points are swapped in (what prepack does) and `npm pack` runs without scripts.
 */
async function packBuilt(dir, outFile) {
  const manifestPath = join(dir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const { main, types, exports } = manifest.publishConfig;
  writeFileSync(manifestPath, `${JSON.stringify({ ...manifest, main, types, exports }, null, 2)}\n`);
  const destination = mkdtempSync(join(tmpdir(), 'cronbeat-tarball-'));
  try {
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
      cwd: dir,
      maxBuffer: 16 << 20,
    });
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf('[')));
    mkdirSync(join(outFile, '..'), { recursive: true });
    // Copied beside the target and renamed over it, so a reader never sees half a file.
    const aside = `${outFile}.${randomBytes(4).toString('hex')}`;
    cpSync(join(destination, packed.filename), aside);
    renameSync(aside, outFile);
  } finally {
    rmSync(destination, { recursive: true, force: true });
  }
}

/** `npm run build`'s last step: dist/ is built; pack it. */
async function packRelease() {
  if (!existsSync(join(DIST, 'bin.js'))) throw new Error('dist/ is not built: run npm run build:dist first');
  const copy = mkdtempSync(join(tmpdir(), 'cronbeat-release-'));
  try {
    for (const name of ['package.json', 'README.md', 'bin']) cpSync(join(CLIENT, name), join(copy, name), { recursive: true });
    cpSync(DIST, join(copy, 'dist'), { recursive: true, filter: (path) => !path.includes('cronbeat.tgz') });
    await packBuilt(copy, RELEASE_TARBALL);
    const fingerprint = sourceFingerprint();
    writeFileSync(`${RELEASE_TARBALL}.json`, `${JSON.stringify({ version: version(), fingerprint })}\n`);
    return { path: RELEASE_TARBALL, version: version(), fingerprint };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/**
 * Builds the package in a copy and packs it into the cache. The copy sits in .test-builds/ (ignored by git), at the
 * depth of packages/client, so its tsconfig's `extends` and the repository's node_modules are found as from the original.
 */
async function buildIntoCache(outFile) {
  const copy = join(REPOSITORY, '.test-builds', `client-tarball-${process.pid}-${randomBytes(3).toString('hex')}`);
  mkdirSync(copy, { recursive: true });
  try {
    cpSync(CLIENT, copy, {
      recursive: true,
      filter: (path) => !/[/\\](test|dist|node_modules|sh)$/.test(path) && !path.endsWith('package.json.development'),
    });
    await run('npm', ['run', '--silent', 'build:dist'], { cwd: copy, maxBuffer: 16 << 20 });
    await packBuilt(copy, outFile);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** The tarball of the current sources: the release one when it matches them, else the cache's (made if missing). */
async function ensure(cacheDir) {
  const fingerprint = sourceFingerprint();
  const release = `${RELEASE_TARBALL}.json`;
  if (existsSync(release) && existsSync(RELEASE_TARBALL)) {
    const made = JSON.parse(readFileSync(release, 'utf8'));
    if (made.fingerprint === fingerprint) return { path: RELEASE_TARBALL, version: version(), fingerprint };
  }
  const cached = join(cacheDir, `cronbeat-${fingerprint}.tgz`);
  if (!existsSync(cached)) {
    await buildIntoCache(cached);
    removeStale(cacheDir, cached);
  }
  return { path: cached, version: version(), fingerprint };
}

/** A tarball of other sources nobody has made for a day belongs to sources long gone. */
function removeStale(cacheDir, current) {
  for (const name of readdirSync(cacheDir)) {
    const path = join(cacheDir, name);
    if (path !== current && name.startsWith('cronbeat-') && Date.now() - statSync(path).mtimeMs > 86_400_000) rmSync(path, { force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { ensure: { type: 'string' } } });
  try {
    const made = values.ensure === undefined ? await packRelease() : await ensure(values.ensure);
    process.stdout.write(`${JSON.stringify(made)}\n`);
  } catch (error) {
    // One line a server can show: npm's own output is in error.stderr.
    const detail = String(error.stderr ?? '')
      .trim()
      .split('\n')
      .filter(Boolean)
      .slice(-3)
      .join(' / ');
    process.stderr.write(`${error.message.split('\n')[0]}${detail ? `: ${detail}` : ''}\n`);
    process.exit(1);
  }
}
