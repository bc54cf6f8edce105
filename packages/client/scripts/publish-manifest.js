// npm, unlike pnpm and yarn, ignores `main`/`exports` in publishConfig. In the
// repository the package points at its TypeScript sources (no build step
// between workspaces); the tarball must point at dist/. `prepack` swaps the
// publishConfig entry points in, `postpack` puts the development manifest back.
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const manifest = new URL('../package.json', import.meta.url);
const backup = new URL('../package.json.development', import.meta.url);

if (process.argv[2] === 'swap') {
  copyFileSync(manifest, backup);
  const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
  const { main, types, exports } = pkg.publishConfig;
  Object.assign(pkg, { main, types, exports });
  writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
} else if (process.argv[2] === 'restore' && existsSync(backup)) {
  renameSync(backup, manifest);
}
