import AxeBuilder from '@axe-core/playwright';
import { pings } from '@cronbeat/db';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { callApi, DESKTOP, explained, keepOpen, PHONE, screenshot, signUp, skipBrowser, useDashboard } from './harness';

/**
 * The check page's duration chart in Chromium, under the server's real
 * Content-Security-Policy: uPlot draws the runs, p50 and p95 are labelled with
 * the right values, hovering or the arrow keys show a run, a phone's width
 * does not overflow, and dates follow the browser's locale and zone.
 */
describe.skipIf(skipBrowser)('the duration chart in Chromium', () => {
  const run = useDashboard();

  /** 30 runs an hour apart, ending an hour ago: run i took 10 s × (1 + (7i mod 30)), so every duration from 10 s to 300 s once. */
  const RUNS = Array.from({ length: 30 }, (_, i) => ({ seconds: (((i * 7) % 30) + 1) * 10, failed: i % 10 === 3 }));
  // Worked by hand, not by the code under test: sorted 10 … 300, p50 = (150 + 160) / 2, p95 = 280 + 0.55 × 10 (rank 27.55).
  const P50 = '2 min 35 s';
  const P95 = '4 min 46 s';
  const finished = (i: number, base: number) => new Date(base - (RUNS.length - i) * 3_600_000);

  /** A page in a context of its own, reporting any CSP violation; the browser's locale and zone as given. */
  async function watchedPage(browser: Browser, options: { locale: string; timezoneId: string; viewport?: typeof DESKTOP }) {
    const context = await browser.newContext({
      viewport: options.viewport ?? DESKTOP,
      locale: options.locale,
      timezoneId: options.timezoneId,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    return { page, violations };
  }

  const tooltip = (page: Page) => page.locator('.chart-tooltip');

  /** The chart canvas's width in CSS pixels, and how many of its pixels are exactly each colour. */
  const paintedIn = (page: Page, ...colours: number[][]) =>
    page.locator('.chart-plot canvas').evaluate((canvas: HTMLCanvasElement, rgbs) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      const counts = rgbs.map((rgb) => {
        let found = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i] === rgb[0] && data[i + 1] === rgb[1] && data[i + 2] === rgb[2]) found++;
        return found;
      });
      return { width: canvas.clientWidth, counts };
    }, colours);
  let base = 0;
  let checkPath = '';
  let signedIn: Page;

  it('draws 30 runs on a canvas, labels p50 and p95 with their values, and shows a run on hover and by keyboard', async () => {
    const { page, violations } = await watchedPage(run.browser, { locale: 'en-GB', timezoneId: 'UTC' });
    signedIn = keepOpen(page);
    await signUp(page, run.cronbeat.url);
    const check = await callApi<{ id: string }>(page, 'POST', '/api/v1/checks', { name: 'Nightly backup' });
    base = Date.now();
    await run.cronbeat.database.db.insert(pings).values(
      RUNS.map((timed, i) => ({
        checkId: check.id,
        n: i + 1,
        kind: timed.failed ? ('fail' as const) : ('success' as const),
        createdAt: finished(i, base),
        duration: timed.seconds * 1000,
        method: 'POST',
        scheme: 'http',
      })),
    );
    checkPath = `/checks/${check.id}`;
    await page.goto(`${run.cronbeat.url}${checkPath}`);
    const plot = page.locator('.chart-plot');
    await explained(page, plot.locator('canvas').waitFor());

    await expect(page.locator('.chart-p50').textContent()).resolves.toBe(`p50 ${P50}`);
    await expect(page.locator('.chart-p95').textContent()).resolves.toBe(`p95 ${P95}`);
    await expect(page.locator('.chart-legend').textContent()).resolves.toContain('◆ failed (3)');
    await expect(plot.getAttribute('aria-label')).resolves.toBe(
      `Durations of the last 30 runs: median (p50) ${P50}, p95 ${P95}, 3 failed (diamonds). Arrow keys step through the runs; the table after the chart lists them.`,
    );

    // The canvas holds the drawing: the failed runs' diamonds in the page's --down colour, the p95 line in --late.
    const painted = await paintedIn(page, [0xc0, 0x26, 0x2d], [0xa1, 0x5c, 0x00]);
    expect(painted.width).toBeGreaterThan(500);
    expect(painted.counts[0]).toBeGreaterThan(30);
    expect(painted.counts[1]).toBeGreaterThan(30);

    // The hidden table lists every run, newest first, for screen readers.
    const rows = page.locator('.chart table tbody tr');
    await expect(rows.count()).resolves.toBe(30);
    const newest = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }).format(
      finished(29, base),
    );
    await expect(rows.first().locator('td').allTextContents()).resolves.toEqual([newest, '4 min', 'succeeded']);

    // Hovering the middle of the plot shows the run drawn there: its duration, outcome and time, as the table has them.
    await plot.scrollIntoViewIfNeeded();
    const area = (await page.locator('.chart-plot .u-over').boundingBox())!;
    await page.mouse.move(area.x + area.width / 2, area.y + area.height / 2);
    await tooltip(page).waitFor();
    const hovered = (await tooltip(page).innerText()).split('\n');
    const listed = await rows.evaluateAll((all) => all.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent)));
    const [took, outcome] = hovered[0]!.split(' · ');
    expect(listed).toContainEqual([hovered[1], took, outcome]);
    await page.mouse.move(0, 0);
    await tooltip(page).waitFor({ state: 'detached' });

    // By keyboard: End is the newest run, the left arrow the one before it (run 28: 170 s).
    await plot.focus();
    await page.keyboard.press('End');
    await expect(tooltip(page).innerText()).resolves.toBe(`4 min · succeeded\n${newest}`);
    await page.keyboard.press('ArrowLeft');
    await expect(tooltip(page).innerText()).resolves.toMatch(/^2 min 50 s · succeeded\n/);
    await page.keyboard.press('Home');
    await expect(tooltip(page).innerText()).resolves.toMatch(/^10 s · succeeded\n/);
    await screenshot(page, `duration-chart.png`);

    const axe = await new AxeBuilder({ page }).include('.chart').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(', ')}`)).toEqual([]);
    expect(violations).toEqual([]);
  });

  it('fits a 390 px phone: the chart shrinks with its container and nothing scrolls sideways, tooltip included; dark mode redraws it', async () => {
    const page = signedIn;
    await page.setViewportSize(PHONE);
    const plot = page.locator('.chart-plot');
    await expect.poll(() => plot.locator('canvas').evaluate((canvas) => canvas.clientWidth), { timeout: 5_000 }).toBeLessThan(390);
    await plot.focus();
    await page.keyboard.press('End');
    await tooltip(page).waitFor();
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
    await page.keyboard.press('Home');
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
    await screenshot(page, `duration-chart-phone.png`, { fullPage: true });

    // Dark mode: the chart is drawn again in dark mode's colours (--down #ff6b70), none of the light ones left.
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(async () => (await paintedIn(page, [0xff, 0x6b, 0x70])).counts[0], { timeout: 5_000 }).toBeGreaterThan(30);
    await expect(paintedIn(page, [0xc0, 0x26, 0x2d]).then((painted) => painted.counts[0])).resolves.toBe(0);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it("writes dates as a German browser in New York reads them: the runs' times and the ping log's exact times", async () => {
    const { page, violations } = await watchedPage(run.browser, { locale: 'de-DE', timezoneId: 'America/New_York' });
    await page.context().addCookies(await signedIn.context().cookies());
    await page.goto(`${run.cronbeat.url}${checkPath}`);
    await explained(page, page.locator('.chart-plot canvas').waitFor());
    const newest = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'America/New_York' }).format(
      finished(29, base),
    );
    expect(newest).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2}$/);
    await expect(page.locator('.chart table tbody tr').first().locator('td').first().textContent()).resolves.toBe(newest);
    // Durations and the words around them stay the dashboard's own.
    await expect(page.locator('.chart-p50').textContent()).resolves.toBe(`p50 ${P50}`);

    // The ping log's relative times carry the exact time with the zone's short name, as a title and as text for screen readers.
    const ago = page.locator('.ping-log time.time-ago').first();
    await ago.waitFor();
    const title = await ago.getAttribute('title');
    expect(title).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2} GMT-5$/);
    await expect(ago.locator('.visually-hidden').textContent()).resolves.toBe(` (${title})`);
    await expect(ago.textContent()).resolves.toBe(`1 hour ago (${title})`);
    expect(violations).toEqual([]);
  });

  it('says the chart could not be drawn when its code does not arrive, instead of an empty box', async () => {
    const { page } = await watchedPage(run.browser, { locale: 'en-GB', timezoneId: 'UTC' });
    await page.context().addCookies(await signedIn.context().cookies());
    // As when a deploy has replaced the chunk the open page asks for: uPlot's file never comes.
    await page.route(/\/assets\/uPlot[^/]*\.js$/, (route) => route.abort());
    await page.goto(`${run.cronbeat.url}${checkPath}`);
    const unavailable = page.locator('.chart .chart-unavailable');
    await explained(page, unavailable.waitFor());
    await expect(unavailable.textContent()).resolves.toMatch(/^The chart could not be drawn \(.+\); reload the page to try again\./);
    expect(await page.locator('.chart-plot').count()).toBe(0);
    // The runs are still there in words: the percentiles and the ping log.
    await expect(page.locator('.chart-p50').textContent()).resolves.toBe(`p50 ${P50}`);
  });
});
