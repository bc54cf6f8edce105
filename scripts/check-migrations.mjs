/**
 * `npm run check:migrations` (in CI): fails when the drizzle schema in
 * packages/db/src/schema and the SQL in migrations/ disagree, i.e. when
 * `npm run db:generate` would write a new migration. It generates into a
 * copy of migrations/, so the repository's own folder is never touched.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** What is wrong, or null when migrations/ holds every change of the schema. */
function disagreement(relative) {
  const copy = join(root, relative);
  cpSync(join(root, 'migrations'), copy, { recursive: true });
  const before = new Set(readdirSync(copy));
  let output;
  try {
    output = execFileSync(
      process.execPath,
      [join(root, 'node_modules/drizzle-kit/bin.cjs'), 'generate', '--config', 'packages/db/drizzle.config.ts'],
      {
        cwd: root,
        env: { ...process.env, DRIZZLE_OUT: relative },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  } catch (error) {
    return `drizzle-kit generate failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`;
  }
  const added = readdirSync(copy).filter((name) => !before.has(name));
  if (added.length > 0)
    return `the schema in packages/db/src/schema has changes no migration holds: npm run db:generate would write ${added.join(', ')}`;
  // drizzle-kit can print an error and still exit 0: only its own words for "nothing to do" count as a pass.
  if (!/No schema changes, nothing to migrate/.test(output)) return `drizzle-kit did not say the schema is unchanged:\n${output}`;
  return null;
}

// Inside the repository and named relatively: drizzle-kit prefixes "./" to the folder it is given.
const relative = `.migrations-check-${process.pid}`;
try {
  const problem = disagreement(relative);
  if (problem) {
    console.error(problem);
    process.exitCode = 1;
  } else {
    console.log('migrations/ matches the drizzle schema');
  }
} finally {
  rmSync(join(root, relative), { recursive: true, force: true });
}
