/**
 * `npm run build:apps`: compiles what production runs to JavaScript, one
 * bundle per entry point, so the image, compose and Kubernetes start plain
 * `node` (tsx stays a development tool):
 *
 *   apps/standalone/dist/main.js   server and worker in one process (the image's default)
 *   apps/server/dist/main.js       a server
 *   apps/worker/dist/main.js       a worker
 *   packages/db/dist/migrate.js    npm run db:migrate
 *   packages/db/dist/copy.js       npm run db:copy-to-postgres
 *
 * Our own workspaces (@cronbeat/*) are TypeScript sources, so they are
 * compiled into each bundle; every other package stays an import of
 * node_modules, as installed by `npm ci --omit=dev`. esbuild only strips
 * types: `npm run typecheck` is what checks them.
 *
 * `--outdir <dir>` writes the same tree under another folder inside the
 * repository (tests build their own copy there, so parallel test files never
 * read a bundle another is writing); node_modules is found by walking up.
 */
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const { values } = parseArgs({ options: { outdir: { type: 'string', default: '.' } } });

const ENTRIES = {
  'apps/standalone/dist/main': 'apps/standalone/src/main.ts',
  'apps/server/dist/main': 'apps/server/src/main.ts',
  'apps/worker/dist/main': 'apps/worker/src/main.ts',
  'packages/db/dist/migrate': 'packages/db/src/migrate-cli.ts',
  'packages/db/dist/copy': 'packages/db/src/copy-cli.ts',
};

/** Bare imports that are not ours stay imports: they are resolved in node_modules at run time. */
const thirdPartyExternal = {
  name: 'third-party-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@cronbeat/') || args.path === 'cronbeat' || args.path.startsWith('cronbeat/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

const started = Date.now();
await build({
  entryPoints: Object.entries(ENTRIES).map(([out, input]) => ({ out, in: input })),
  outdir: values.outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  sourcemap: 'linked',
  // Stack traces keep our function names; the bundles are for running, not for shipping to browsers.
  minify: false,
  plugins: [thirdPartyExternal],
  logLevel: 'warning',
});
console.log(`built ${Object.keys(ENTRIES).length} bundles in ${Date.now() - started} ms`);
