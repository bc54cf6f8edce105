import AxeBuilder from '@axe-core/playwright';
import { channels, checks } from '@cronbeat/db';
import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { explained, freshPage, screenshot, signUp, skipBrowser, useDashboard } from './harness';
import { seedChecks } from './seed-checks';

const SEEDED = 1_000;

/**
 * The checks list on a project of 1,000 checks with history: pages from the
 * server, history strips with labelled cells, sorting by header, the summary
 * filter, keyboard moves, the warning on checks that alert nobody, and live
 * rows when a real ping arrives (by the event stream, and by polling when
 * the stream is refused). The first screen's time is measured by
 * `npm run bench:list`, not here.
 */
describe.skipIf(skipBrowser)('the checks list of a large project in Chromium', () => {
  const run = useDashboard();
  let page: Page;
  let projectId: string;

  const rows = () => page.locator('.checks tbody tr');
  const names = () => page.locator('.checks tbody .check-name').allTextContents();
  const row = (name: string) => page.locator('.checks tbody tr', { has: page.locator('.check-name', { hasText: name }) });
  const pingCodeOf = async (name: string) =>
    (
      await run.cronbeat.database.db
        .select()
        .from(checks)
        .where(and(eq(checks.projectId, projectId), eq(checks.name, name)))
    )[0]!.pingCode;

  beforeAll(async () => {
    page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    projectId = await page.evaluate(async () => (await (await fetch('/auth/me')).json()).projects[0].id);
    const [channel] = await run.cronbeat.database.db
      .insert(channels)
      .values({ projectId, kind: 'email', name: 'Ops mail', config: { to: 'ops@example.com' } })
      .returning();
    await seedChecks(run.cronbeat.database.db, projectId, SEEDED, channel!.id);
    await page.reload();
    await explained(page, rows().nth(99).waitFor());
  }, 60_000);

  it('shows the first 100 checks with their history strips, durations and channels, and counts over all 1,000', async () => {
    await expect(rows().count()).resolves.toBe(100);
    const bar = page.getByRole('list', { name: 'Checks by status' });
    await expect(bar.getByRole('button').allTextContents()).resolves.toEqual(['✓940 up', '!20 late', '✕20 down', '❚❚20 paused']);
    const first = row('Job 0001');
    // 20 runs: 20 cells, oldest first, each saying its outcome and time in words.
    const cells = first.locator('.history-cell');
    await expect(cells.count()).resolves.toBe(20);
    const labels = await cells.evaluateAll((shown) => shown.map((cell) => cell.getAttribute('aria-label') ?? ''));
    expect(labels.every((label) => /^success, \S/.test(label))).toBe(true);
    await expect(first.locator('.history-strip').getAttribute('aria-label')).resolves.toBe(
      'Last 20 outcomes of Job 0001, oldest first: 0 failed or missed',
    );
    const failing = await row('Job 0007').locator('.history-cell[aria-label^="failed"]').count();
    expect(failing).toBe(4);
    await expect(first.locator('.sparkline').getAttribute('aria-label')).resolves.toMatch(/^Last 20 durations, from \d/);
    // Odd checks alert nobody, and say so with an icon and words; even ones name their channel.
    await expect(first.locator('.alerts-to').textContent()).resolves.toBe('Alerts nobody: no channel');
    const icon = await first.locator('.alerts-nobody').evaluate((element) => getComputedStyle(element, '::before').content);
    expect(icon).toContain('⚠');
    await expect(row('Job 0002').locator('.alerts-to').textContent()).resolves.toBe('Alerts Ops mail');
    await screenshot(page, `checks-list-1000.png`);
  });

  it('sorts by clicking a header (again for the other way), pages on, and filters by the summary bar', async () => {
    const header = (name: string) => page.getByRole('columnheader', { name });
    await header('Name').getByRole('button').click();
    await expect.poll(() => header('Name').getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(async () => (await names())[0]).toBe('Job 0001');
    await header('Name').getByRole('button').click();
    await expect.poll(() => header('Name').getAttribute('aria-sort')).toBe('descending');
    await expect.poll(async () => (await names()).slice(0, 2)).toEqual(['Job 1000', 'Job 0999']);
    await expect(header('Status').getAttribute('aria-sort')).resolves.toBe('none');
    await page.getByRole('button', { name: 'Show 100 more of 1000' }).click();
    await rows().nth(199).waitFor();
    const shown = await names();
    expect(shown).toEqual([...shown].sort().reverse());

    await header('Status').getByRole('button').click();
    await expect.poll(async () => rows().first().getAttribute('data-status')).toBe('down');
    await page.getByRole('button', { name: /^20 down$/ }).click();
    await expect.poll(async () => rows().count()).toBe(20);
    const statuses = await rows().evaluateAll((shown) => shown.map((tr) => tr.getAttribute('data-status')));
    expect(new Set(statuses)).toEqual(new Set(['down']));
    await page.getByRole('button', { name: /^20 down$/ }).click();
    await expect.poll(async () => rows().count()).toBe(100);
  });

  it('moves the focus between rows with j/k and the arrow keys, and Enter opens the check', async () => {
    await page.locator('h1').click();
    await page.keyboard.press('j');
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');
    const first = (await names())[0]!;
    const second = (await names())[1]!;
    await expect(focused()).resolves.toBe(first);
    await page.keyboard.press('j');
    await expect(focused()).resolves.toBe(second);
    await page.keyboard.press('ArrowUp');
    await expect(focused()).resolves.toBe(first);
    await page.keyboard.press('ArrowDown');
    await expect(focused()).resolves.toBe(second);
    await page.keyboard.press('k');
    await expect(focused()).resolves.toBe(first);
    // The focused row stands out.
    const background = await rows()
      .first()
      .evaluate((tr) => getComputedStyle(tr).backgroundColor);
    expect(background).not.toBe('rgba(0, 0, 0, 0)');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/checks\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: first }).waitFor();
    await page.goBack();
    await rows().nth(99).waitFor();
  });

  it('updates a row within seconds of a real ping, fetching only that row', async () => {
    const asked: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/checks/overview')) asked.push(new URL(request.url()).search);
    });
    await page.locator('[data-liveness="live"]').waitFor({ state: 'attached' });
    const target = row('Job 0003');
    await expect(target.getAttribute('data-status')).resolves.toBe('up');
    // Give the server's watcher its first look, so the ping is a change it reports.
    await page.waitForTimeout(1_500);
    expect((await fetch(`${run.cronbeat.url}/ping/${await pingCodeOf('Job 0003')}/fail`, { method: 'POST' })).status).toBe(200);
    await expect.poll(() => target.getAttribute('data-status'), { timeout: 6_000 }).toBe('down');
    await expect(target.locator('.history-cell').last().getAttribute('aria-label')).resolves.toMatch(/^failed, /);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((search) => search.includes('id='))).toBe(true);
    await expect(page.getByRole('button', { name: /^21 down$/ }).count()).resolves.toBe(1);
  });

  it('falls back to polling when the event stream is refused, and still shows the ping', async () => {
    const polling = await freshPage(run.browser);
    await polling.context().addCookies(await page.context().cookies());
    await polling.route('**/events', (route) => route.abort());
    await polling.goto(run.cronbeat.url);
    await polling.locator('[data-liveness="polling"]').waitFor();
    const target = polling.locator('.checks tbody tr', { has: polling.locator('.check-name', { hasText: 'Job 0005' }) });
    await expect(target.getAttribute('data-status')).resolves.toBe('up');
    expect((await fetch(`${run.cronbeat.url}/ping/${await pingCodeOf('Job 0005')}/fail`, { method: 'POST' })).status).toBe(200);
    await expect.poll(() => target.getAttribute('data-status'), { timeout: 12_000 }).toBe('down');
  });

  it('asks for the first page beside the session on a return visit, and shows that answer', async () => {
    const events: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/auth/me')) events.push('session asked');
      if (request.url().includes('/checks/overview')) events.push('overview asked');
    });
    page.on('requestfinished', (request) => {
      if (request.url().includes('/auth/me')) events.push('session answered');
    });
    await page.reload();
    await rows().nth(99).waitFor();
    // The project shown last visit is remembered: its first page is asked for before the session has answered.
    expect(events.indexOf('overview asked')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('overview asked')).toBeLessThan(events.indexOf('session answered'));
    page.removeAllListeners('request');
    page.removeAllListeners('requestfinished');
  });

  it('opens the stream again after an error answer (which makes the browser give up on it), and is live once more', async () => {
    const refused = await freshPage(run.browser);
    await refused.context().addCookies(await page.context().cookies());
    await refused.route('**/events', (route) => route.fulfill({ status: 502, body: 'Bad gateway' }));
    await refused.goto(run.cronbeat.url);
    await refused.locator('[data-liveness="polling"]').waitFor({ state: 'attached' });
    await refused.unroute('**/events');
    await refused.locator('[data-liveness="live"]').waitFor({ state: 'attached', timeout: 15_000 });
  });

  it('has no serious accessibility violation (axe, WCAG 2.1 A/AA)', async () => {
    // The down checks only: the same rows, strips and headers, in a fifth of the time axe takes over 100 rows.
    await page.getByRole('button', { name: /^\d+ down$/ }).click();
    await expect.poll(async () => rows().count()).toBeLessThan(30);
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const serious = result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious.map((violation) => `${violation.id}: ${violation.nodes[0]?.target.join(' ')}`)).toEqual([]);
  }, 120_000);
});
