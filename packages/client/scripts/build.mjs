/**
 * `npm run build` for the published package: one ESM bundle per entry point
 * in dist/, with every third-party package the client uses (today `yaml`)
 * compiled in, so `npm install cronbeat` installs nothing else. Shared code
 * goes into dist/chunks/ instead of being copied into each entry. Type
 * declarations come from tsc (--emitDeclarationOnly) after this script.
 *
 * The build fails if a bundle would still import anything but Node's own
 * modules: a dependency that slipped in must be bundled or dropped, never
 * left for the user's node_modules.
 */
import { rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = fileURLToPath(new URL('../dist', import.meta.url));

/** What the package exports (see publishConfig in package.json) and the CLI that bin/cronbeat.js starts. */
const ENTRIES = { index: 'src/index.ts', duration: 'src/duration.ts', bin: 'src/bin.ts' };

// A stale file from an earlier build would be packed with the new ones.
rmSync(dist, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: Object.entries(ENTRIES).map(([out, input]) => ({ out, in: input })),
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  // Readable stack traces for the people who run the CLI in their cron jobs.
  minify: false,
  // yaml ships CommonJS that require()s node:process and node:buffer; an ES module has no
  // `require` of its own, so each output file makes one (esbuild's documented remedy).
  banner: { js: "import { createRequire as __cronbeatRequire } from 'node:module';\nconst require = __cronbeatRequire(import.meta.url);" },
  metafile: true,
  logLevel: 'warning',
});

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const leftOver = Object.values(result.metafile.outputs)
  .flatMap((output) => output.imports)
  .filter((imported) => imported.external && !builtins.has(imported.path))
  .map((imported) => imported.path);
if (leftOver.length > 0) {
  console.error(`the client's bundle would need these packages at run time: ${[...new Set(leftOver)].join(', ')}`);
  process.exit(1);
}
