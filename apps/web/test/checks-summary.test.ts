import { checks } from '@cronbeat/db';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type FaviconState, faviconHref } from '../src/favicon';
import { callApi, freshPage, screenshot, signUp, skipBrowser, useDashboard } from './harness';

/** The checks list's summary bar (filters on click and by keyboard) and the favicon that follows the worst status. */
describe.skipIf(skipBrowser)('the status summary bar and favicon in Chromium', () => {
  const run = useDashboard();

  /** Waits until the tab's icon is the one drawn for `state` (the list hears of changes within seconds). */
  const faviconShows = (page: Page, state: FaviconState) =>
    page.waitForFunction((href) => document.querySelector('link[rel="icon"]')?.getAttribute('href') === href, faviconHref(state), {
      timeout: 10_000,
    });

  it('shows the worst status of the project in the favicon, changing as the list refreshes', async () => {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    await faviconShows(page, 'none');
    const first = await callApi<{ id: string; pingUrl: string }>(page, 'POST', '/api/v1/checks', { name: 'Nightly backup' });
    const second = await callApi<{ id: string; pingUrl: string }>(page, 'POST', '/api/v1/checks', { name: 'Invoice export' });
    await page.reload();
    await page.locator('.check-name', { hasText: 'Invoice export' }).waitFor();
    // Only new checks: nothing says all is well yet.
    await faviconShows(page, 'none');

    expect((await fetch(first.pingUrl, { method: 'POST' })).status).toBe(200);
    await faviconShows(page, 'up');
    // As the sweep writes it: a change of status stamps updated_at, which is how the list's event stream sees it.
    await run.cronbeat.database.db.update(checks).set({ status: 'late', updatedAt: new Date() }).where(eq(checks.id, second.id));
    await faviconShows(page, 'late');
    expect((await fetch(`${second.pingUrl}/fail`, { method: 'POST' })).status).toBe(200);
    await faviconShows(page, 'down');
    expect((await fetch(second.pingUrl, { method: 'POST' })).status).toBe(200);
    await faviconShows(page, 'up');
  });

  it('counts checks by status and filters the list on click or key press, and again to clear', async () => {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    const create = (name: string) => callApi<{ id: string; pingUrl: string }>(page, 'POST', '/api/v1/checks', { name });
    for (const name of ['Backup one', 'Backup two'])
      expect((await fetch((await create(name)).pingUrl, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`${(await create('Broken export')).pingUrl}/fail`, { method: 'POST' })).status).toBe(200);
    await callApi(page, 'POST', `/api/v1/checks/${(await create('Old importer')).id}/pause`, {});
    await create('Fresh job');
    await page.reload();

    const bar = page.getByRole('list', { name: 'Checks by status' });
    const button = (status: string) => bar.getByRole('button', { name: new RegExp(`^\\d+ ${status}$`) });
    // The server filters: the rows shown stay until its answer comes, so every look at them after a click polls.
    const names = () => page.locator('.checks .check-name').allTextContents();
    await page.locator('.check-name', { hasText: 'Fresh job' }).waitFor();
    await expect(bar.getByRole('button').allTextContents()).resolves.toEqual(['✓2 up', '!0 late', '✕1 down', '❚❚1 paused']);

    await button('down').click();
    await expect(button('down').getAttribute('aria-pressed')).resolves.toBe('true');
    await expect.poll(names).toEqual(['Broken export']);
    await expect(page.locator('.filters select').first().inputValue()).resolves.toBe('down');
    await screenshot(page, `checks-summary-down.png`);
    await button('down').click();
    await expect(button('down').getAttribute('aria-pressed')).resolves.toBe('false');
    await expect.poll(async () => (await names()).length).toBe(5);

    // By keyboard: Tab from "up" to "late" to "down", Space presses, Enter presses again.
    await button('up').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('✕1 down');
    await page.keyboard.press('Space');
    await expect.poll(names).toEqual(['Broken export']);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await names()).sort()).toEqual(['Backup one', 'Backup two']);
    await expect(button('down').getAttribute('aria-pressed')).resolves.toBe('false');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await names()).length).toBe(5);
  });
});
