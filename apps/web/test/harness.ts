import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Config, isCi, loadConfig } from '@cronbeat/config';
import type { Database } from '@cronbeat/db';
import { openTestDatabase } from '@cronbeat/db/testing';
import { freePort } from '@cronbeat/runtime/testing';
import { buildApp } from '@cronbeat/server';
import { TEST_PASSWORD_COST } from '@cronbeat/server/testing';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type LaunchOptions, type Locator, type Logger, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
const WEB_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Screenshots land here (gitignored), for people to look at after a run. */
const ARTIFACTS = fileURLToPath(new URL('../test-results', import.meta.url));
/**
 * Screenshots are taken when asked for (`CRONBEAT_SCREENSHOTS=1 npm test`): no test reads them,
 * and the 40 of a run cost about 15 s of CPU (Chromium draws and encodes each page, Playwright
 * carries it over the pipe and writes it).
 */
const takeScreenshots = process.env.CRONBEAT_SCREENSHOTS === '1';

/** Browser tests run where Chromium is; under CI a missing browser is a failure, not a skip. */
export const browserMissing = !existsSync(CHROMIUM);
export const skipBrowser = browserMissing && !isCi();

/**
 * Builds the dashboard into apps/web/dist when it is missing or older than its
 * sources (scripts/ensure-built.mjs, as `npm start` does; it takes turns with
 * other test files building at the same time).
 */
export async function buildDashboard(): Promise<void> {
  if (takeScreenshots) mkdirSync(ARTIFACTS, { recursive: true });
  execFileSync(process.execPath, [`${WEB_ROOT}/scripts/ensure-built.mjs`], { cwd: WEB_ROOT, stdio: 'inherit' });
}

export interface RunningCronbeat {
  url: string;
  config: Config;
  app: FastifyInstance;
  database: Database;
  close(): Promise<void>;
}

/**
 * A real Cronbeat server on a migrated PGlite database of its own, on 127.0.0.1 (its BASE_URL must
 * be the origin the browser sends). `env` adds configuration, e.g. SMTP_URL.
 */
export async function startCronbeat(env: Record<string, string> = {}): Promise<RunningCronbeat> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env, BASE_URL: url, PORT: String(port), HOST: '127.0.0.1' });
  const database = await openTestDatabase('pglite');
  // A suite signs up a new person per test from one address: the sign-in limit is tested in apps/server.
  const app = await buildApp(config, { database, rateLimits: { signInPerMinute: 1000 }, passwordCost: TEST_PASSWORD_COST });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    url,
    config,
    app,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/**
 * For a browser suite: before it, checks Chromium is there, builds the
 * dashboard, starts a server (with `env`) and Chromium; after it, closes both.
 * Read `.cronbeat` and `.browser` inside tests.
 */
export function useDashboard(env: Record<string, string> = {}): { readonly cronbeat: RunningCronbeat; readonly browser: Browser } {
  let cronbeat: RunningCronbeat | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (browserMissing) throw new Error(`Chromium is not installed at ${CHROMIUM}; CI installs it in .ci/run`);
    await buildDashboard();
    cronbeat = await startCronbeat(env);
    browser = await sharedChromium();
  }, 120_000);
  // A test's pages end with it: left open, each went on rendering and listening to the server (its
  // event stream, the clock that ages "2 minutes ago") while the file's later tests ran. Pages
  // opened in `beforeAll`, or kept with `keepOpen`, stay until the suite ends.
  let openBefore = new Set<BrowserContext>();
  beforeEach(() => {
    openBefore = new Set(browser?.contexts());
  });
  afterEach(async () => {
    if (browser) await closeContexts(browser, (context) => !openBefore.has(context) && !keptOpen.has(context));
  });
  afterAll(async () => {
    if (browser) await closeContexts(browser);
    await cronbeat?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the dashboard suite starts in beforeAll; use it inside tests');
    return value;
  };
  return {
    get cronbeat() {
      return started(cronbeat);
    },
    get browser() {
      return started(browser);
    },
  };
}

const keptOpen = new WeakSet<BrowserContext>();

/** Keeps a page a test opened for the file's later tests (`useDashboard` closes the others after each test). */
export function keepOpen(page: Page): Page {
  keptOpen.add(page.context());
  return page;
}

let shared: Promise<Browser> | undefined;

/**
 * One Chromium per test worker process, which runs file after file (vitest's
 * `isolate: false`): a launch costs a few seconds of CPU, and a suite needs only
 * contexts of its own (`freshPage`), which `closeContexts` ends after it.
 * Playwright ends the browser when the worker process exits.
 */
export function sharedChromium(): Promise<Browser> {
  if (!shared) {
    const launching = launchChromium();
    const forget = () => {
      if (shared === launching) shared = undefined;
    };
    shared = launching;
    launching.then((browser) => browser.once('disconnected', forget), forget);
  }
  return shared;
}

/** Ends a suite's pages (or those `which` picks): left open, they would go on polling the API while later suites run. */
export async function closeContexts(browser: Browser, which: (context: BrowserContext) => boolean = () => true): Promise<void> {
  await Promise.all(
    browser
      .contexts()
      .filter(which)
      .map((context) => context.close()),
  );
}

/**
 * Features Chromium runs that no test needs. Every browser context is a window of its own, and each
 * window built its omnibox popups as WebUI pages, about a second of CPU per context, after the test's
 * page had loaded (raw CDP, no Playwright: 1.2 s of CPU for a context and a page with them, 0.2 s
 * without; a `page.goto` 0.29 → 0.07 s). Chromium reads only the last `--disable-features`, and
 * Playwright passes one of its own before ours, so ours repeats Playwright's list
 * (playwright-core's chromiumSwitches.ts); `harness.test.ts` checks both still hold.
 */
export const DISABLED_FEATURES = [
  // Playwright's own.
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
  // Ours: the omnibox popups, which a headless window never shows.
  'WebUIOmniboxPopup',
  'WebUIOmniboxAimPopup',
];

function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumOptions());
}

/** How the tests launch Chromium (`logger` to read what Playwright runs). */
export function chromiumOptions(logger?: Logger): LaunchOptions {
  return {
    executablePath: CHROMIUM,
    ...(logger ? { logger } : {}),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--disable-features=${DISABLED_FEATURES.join(',')}`,
    ],
  };
}

let counter = 0;
/** A fresh email per call, so tests never share an account. */
export const uniqueEmail = () => `person-${process.pid}-${Date.now()}-${++counter}@example.com`;
export const PASSWORD = 'correct horse battery staple';

export const DESKTOP = { width: 1200, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** Pages whose next dialog (a confirm) the test expects, and accepts. */
const expectingDialog = new WeakSet<Page>();
/** Accept the next confirm() the page shows (any other dialog fails the test). */
export const acceptNextDialog = (page: Page) => expectingDialog.add(page);

/** A page in a new browser context (no cookies) that fails the test on any dialog it was not told to expect. */
/** A new page in a context of its own; dates show in `locale`, as a browser set to it shows them. */
export async function freshPage(browser: Browser, viewport = DESKTOP, locale = 'en-GB'): Promise<Page> {
  const context = await browser.newContext({ viewport, locale });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('dialog', (dialog) => {
    if (!expectingDialog.delete(page)) throw new Error(`unexpected dialog: ${dialog.message()}`);
    void dialog.accept();
  });
  return page;
}

/** Signs up a new person (a fresh email unless given) and waits for the checks list. */
export async function signUp(page: Page, baseUrl: string, email = uniqueEmail()): Promise<string> {
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'Checks', exact: true }).waitFor();
  return email;
}

/** Creates a check with a period preset through the editor and waits for its page. */
export async function createCheck(page: Page, baseUrl: string, name: string, presetLabel = '5 minutes'): Promise<void> {
  await page.goto(`${baseUrl}/checks/new`);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: presetLabel, exact: true }).click();
  await page.getByRole('button', { name: 'Create check' }).click();
  await page.getByTestId('ping-url').waitFor();
}

/** Fails with what the page says when `waiting` times out, not just "timeout". */
export async function explained<T>(page: Page, waiting: Promise<T>): Promise<T> {
  return waiting.catch(async (error: Error) => {
    const shown = await page.locator('.error').allTextContents();
    throw new Error(`${error.message}; the page shows: ${shown.join(' | ') || '(no errors)'}`);
  });
}

/** Saves what `target` shows as `name` in apps/web/test-results, when screenshots are asked for (see above). */
export async function screenshot(target: Page | Locator, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (!takeScreenshots) return;
  const path = `${ARTIFACTS}/${name}`;
  await ('goto' in target ? target.screenshot({ path, ...options }) : target.screenshot({ path }));
}

/** True when the page scrolls sideways: nothing may be wider than a phone. */
export const overflowsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

/**
 * A call to the API as the person signed in on `page`, made from the page (same origin, session
 * cookie) in their first project; `{project}` in `path` becomes its id. Seeds data faster than the UI.
 */
export async function callApi<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = await (await fetch('/auth/me')).json();
      const project = me.projects[0].id;
      const response = await fetch(path.replace('{project}', project), {
        method,
        headers: { 'content-type': 'application/json', 'x-project-id': project },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.json();
    },
    { method, path, body },
  );
}
