/**
 * Run by `npm install` and `npm ci` (the root package's postinstall): gives
 * postgres.js's query its `resolve` and `reject` as methods, in place of the
 * two closures its constructor makes for every query. Nothing else changes.
 *
 * Why: on Node 20 (V8 11.3) a query built that way, and everything it
 * reaches (its parameters, its rows, the batch of pings waiting on it),
 * survives the next young-generation collection, so it is copied, then
 * promoted, and dies in the old generation. At 4,000 pings/s that was 1.5 MB
 * copied per young collection and a full collection every two or three
 * seconds, which is what set the ping p99; with the methods, 0.09 MB and no
 * full collection (`npm run bench:ping` prints the server's collections and
 * their pauses). A promise subclass with a closure as an own property shows
 * it without a database; no way of holding the closures from outside the
 * driver helped.
 *
 * The files are those of the version package-lock.json pins: if they no
 * longer hold the two lines, the install fails so the upgrade is looked at.
 * Running it again changes nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const CLOSURES = `    this.resolve = x => (this.active = false, resolve(x))
    this.reject = x => (this.active = false, reject(x))
`;
const SETTLERS = `    this.resolvePromise = resolve
    this.rejectPromise = reject
`;
const CANCEL = '  cancel() {\n';
const METHODS = `  resolve(x) {
    this.active = false
    this.resolvePromise(x)
  }

  reject(x) {
    this.active = false
    this.rejectPromise(x)
  }

${CANCEL}`;

// `postgres` exports no package.json; its CommonJS entry is cjs/src/index.js.
const root = join(dirname(createRequire(import.meta.url).resolve('postgres')), '..', '..');

for (const build of ['src', 'cjs/src', 'cf/src']) {
  const file = join(root, build, 'query.js');
  const text = readFileSync(file, 'utf8');
  if (text.includes(SETTLERS)) continue;
  if (!text.includes(CLOSURES) || !text.includes(CANCEL)) {
    throw new Error(`${file} is not the postgres.js query this patch was written for: review packages/db/scripts/patch-postgres.mjs`);
  }
  writeFileSync(file, text.replace(CLOSURES, SETTLERS).replace(CANCEL, METHODS));
}
