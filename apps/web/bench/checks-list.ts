/**
 * `npm run bench:list`: how long the checks list of a project of 1,000
 * checks with history takes to show its first screen in Chromium, from
 * navigation to its first page of rows in the document, and what the
 * overview request behind it costs the server.
 *
 * A real server on a migrated in-memory PGlite, the built dashboard,
 * 1,000 checks of 40 pings each seeded in a few SQL statements, and the
 * Chromium the browser tests use. Cold navigations each open a new
 * browser context (nothing cached; the first also meets the server's
 * empty caches); warm ones repeat in the last. `--checks N` and
 * `--runs N` (navigations of each kind) change the sizes.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '@cronbeat/config';
import { channels, createDb, migrate } from '@cronbeat/db';
import { freePort } from '@cronbeat/runtime/testing';
import { buildApp } from '@cronbeat/server';
import { TEST_PASSWORD_COST } from '@cronbeat/server/testing';
import { chromium, type Page } from 'playwright-core';
import { seedChecks } from '../test/seed-checks';

const { values } = parseArgs({ options: { checks: { type: 'string', default: '1000' }, runs: { type: 'string', default: '7' } } });
const CHECKS = Number(values.checks);
const RUNS = Number(values.runs);
const ROWS_ON_FIRST_SCREEN = Math.min(100, CHECKS);

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;

execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/ensure-built.mjs', import.meta.url))], { stdio: 'inherit' });
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const config = loadConfig({ LOG_LEVEL: 'silent', BASE_URL: url, PORT: String(port), HOST: '127.0.0.1' });
const database = await createDb({ databaseUrl: null, dataDir: 'memory://' });
await migrate(database, null);
const app = await buildApp(config, { database, passwordCost: TEST_PASSWORD_COST });
await app.listen({ port, host: '127.0.0.1' });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const signUp = await fetch(`${url}/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email: 'bench@example.com', password: 'correct horse battery staple' }),
  });
  const projectId = ((await signUp.json()) as { projects: Array<{ id: string }> }).projects[0]!.id;
  const cookie = signUp.headers
    .getSetCookie()
    .find((line) => line.startsWith('cb_session='))!
    .split(';')[0]!;
  const [channel] = await database.db
    .insert(channels)
    .values({ projectId, kind: 'email', name: 'Ops', config: { to: 'ops@example.com' } })
    .returning();
  const seeding = performance.now();
  await seedChecks(database.db, projectId, CHECKS, channel!.id);
  console.log(`seeded ${CHECKS} checks with 40 pings each in ${Math.round(performance.now() - seeding)} ms`);

  const [name, value] = cookie.split('=') as [string, string];
  /** Milliseconds from navigation to the first page of rows in the document. */
  const firstScreenOf = async (page: Page) => {
    await page.goto(url, { waitUntil: 'commit' });
    // performance.now() counts from the navigation's start; taken in the frame that first finds the rows.
    const shownAt = await page.waitForFunction(
      (rows) => document.querySelectorAll('.checks tbody tr').length >= rows && performance.now(),
      ROWS_ON_FIRST_SCREEN,
      { polling: 'raf', timeout: 30_000 },
    );
    return Math.round((await shownAt.jsonValue()) as number);
  };
  // Cold: each in a new browser context, so nothing of the dashboard is cached (its scripts downloaded and compiled
  // again); the very first also finds the server's caches empty. Warm: again and again in the last context.
  const cold: number[] = [];
  let page!: Page;
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await context.addCookies([{ name, value, url }]);
    page = await context.newPage();
    cold.push(await firstScreenOf(page));
    if (run < RUNS - 1) await context.close();
  }
  const warm: number[] = [];
  for (let run = 0; run < RUNS; run++) warm.push(await firstScreenOf(page));
  const overview: number[] = [];
  for (let run = 0; run < 20; run++) {
    const started = performance.now();
    const response = await fetch(`${url}/api/v1/projects/${projectId}/checks/overview?limit=100`, { headers: { cookie } });
    await response.arrayBuffer();
    overview.push(performance.now() - started);
  }
  console.log(
    `first screen (${ROWS_ON_FIRST_SCREEN} rows of ${CHECKS}), navigation to rows in the document: ` +
      `cold median ${median(cold)} ms (${cold.join(', ')}; the first with the server's caches empty), warm median ${median(warm)} ms (${warm.join(', ')})`,
  );
  console.log(`GET …/checks/overview?limit=100: median ${median(overview).toFixed(1)} ms over 20 requests`);
} finally {
  await browser.close();
  await app.close();
  await database.close();
}
