import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  acceptNextDialog,
  createCheck,
  explained,
  freshPage,
  overflowsSideways,
  PHONE,
  screenshot,
  signUp,
  skipBrowser,
  useDashboard,
} from './harness';

describe.skipIf(skipBrowser)('a check page in Chromium', () => {
  const run = useDashboard();

  /** A signed-up person on the page of a new check. */
  async function onNewCheck(name: string, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await freshPage(run.browser, viewport);
    await signUp(page, run.cronbeat.url);
    await createCheck(page, run.cronbeat.url, name);
    return page;
  }

  /** The value of one row of the facts list ("Schedule", "Next expected"…). */
  const fact = (page: Page, term: string) => page.locator('.facts dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');
  const statusWord = (page: Page) => page.locator('.page-head .status-word').textContent();

  it('changes a period schedule to cron in a time zone and shows it in words', async () => {
    const page = await onNewCheck('Report mailer');
    await expect(fact(page, 'Schedule').textContent()).resolves.toBe('every 5 minutes');
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await expect(page.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('Report mailer');
    await page.getByLabel('Cron expression').first().check();
    await page.getByRole('textbox', { name: 'Cron expression' }).fill('30 2 * * 1-5');
    await page.getByLabel('Time zone').fill('America/New_York');
    await expect(page.locator('.cron-words').textContent()).resolves.toBe('At 02:30, Monday through Friday, America/New_York');
    await page.getByRole('button', { name: 'Save' }).click();

    await explained(page, page.getByTestId('ping-url').waitFor());
    await expect(fact(page, 'Schedule').textContent()).resolves.toBe('At 02:30, Monday through Friday, America/New_York');
    await page.getByRole('link', { name: '← Checks' }).click();
    await expect(page.locator('tr', { hasText: 'Report mailer' }).locator('.schedule').textContent()).resolves.toBe(
      'At 02:30, Monday through Friday, America/New_York',
    );

    // The editor opens on what was saved, not on the defaults.
    await page.locator('.check-name', { hasText: 'Report mailer' }).click();
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await expect(page.getByRole('textbox', { name: 'Cron expression' }).inputValue()).resolves.toBe('30 2 * * 1-5');
    await expect(page.getByLabel('Time zone').inputValue()).resolves.toBe('America/New_York');
  });

  it('sets reminders while down from the editor, shows them on the page, and turns them off', async () => {
    const page = await onNewCheck('Invoice sync');
    await expect(page.locator('.facts dt', { hasText: 'Reminders' }).count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    const remind = page.getByLabel('Remind while down');
    await expect(remind.inputValue()).resolves.toBe('');
    await remind.selectOption({ label: 'Every 6 h' });
    await page.getByRole('button', { name: 'Save' }).click();
    await explained(page, page.locator('.facts dt', { hasText: 'Reminders' }).waitFor());
    await expect(fact(page, 'Reminders').textContent()).resolves.toBe('every 6 h while down');

    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await expect(remind.inputValue()).resolves.toBe('21600');
    await remind.selectOption({ label: 'Never: alert once when it goes down' });
    await page.getByRole('button', { name: 'Save' }).click();
    await explained(page, page.getByTestId('ping-url').waitFor());
    await page.locator('.facts dt', { hasText: 'Reminders' }).waitFor({ state: 'detached' });
  });

  it('pauses and resumes a check from its page, and records both in the incidents', async () => {
    const page = await onNewCheck('Cache warmer');
    await expect(statusWord(page)).resolves.toBe('new');
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByRole('button', { name: 'Resume', exact: true }).waitFor();
    await expect(statusWord(page)).resolves.toBe('paused');
    await expect(fact(page, 'Next expected').textContent()).resolves.toBe('—');
    await page.locator('.timeline li', { hasText: 'paused' }).waitFor();

    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
    await expect(statusWord(page)).resolves.toBe('new');
    await page.locator('.timeline li').nth(1).waitFor();
    await expect(page.locator('.timeline li').count()).resolves.toBe(2);

    await page.getByRole('link', { name: '← Checks' }).click();
    await expect(page.locator('tr', { hasText: 'Cache warmer' }).getAttribute('data-status')).resolves.toBe('new');
  });

  it('lists pings as they arrive and expands a body on demand', async () => {
    const page = await onNewCheck('Nightly vacuum', PHONE);
    const pingUrl = (await page.getByTestId('ping-url').textContent())!;
    const body = 'vacuumed 1200 tables\n<b>not markup</b>';
    expect((await fetch(`${pingUrl}/start`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(pingUrl, { method: 'POST', body, headers: { 'user-agent': 'backup-script/1.0' } })).status).toBe(200);

    const success = page.locator('.ping-success');
    await success.waitFor({ timeout: 15_000 });
    await expect(page.locator('.ping-log .ping').count()).resolves.toBe(2);
    await expect(success.textContent()).resolves.toContain('backup-script/1.0');
    await expect(success.textContent()).resolves.toMatch(/took \d/);
    const show = success.getByRole('button', { name: `Show body (${Buffer.byteLength(body)} bytes)` });
    await expect(show.getAttribute('aria-expanded')).resolves.toBe('false');
    await show.click();
    // The body is fetched on demand: wait for it to replace "Loading…".
    await success.locator('pre', { hasText: 'vacuumed 1200 tables' }).waitFor();
    await expect(success.locator('pre').textContent()).resolves.toBe(body);
    await expect(success.getByRole('button', { name: 'Hide body' }).getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(success.locator('b').count()).resolves.toBe(0);
    await expect(statusWord(page)).resolves.toBe('up');
    expect(await overflowsSideways(page)).toBe(false);
    await screenshot(page, `check-page-phone.png`, { fullPage: true });

    await success.getByRole('button', { name: 'Hide body' }).click();
    await expect(success.locator('pre').count()).resolves.toBe(0);
  });

  it("leads a down check's page with DOWN, since when in the browser's locale, and why, until it is back up", async () => {
    const page = await freshPage(run.browser, undefined, 'de-DE');
    await signUp(page, run.cronbeat.url);
    await createCheck(page, run.cronbeat.url, 'Ledger export');
    await expect(page.locator('.down-banner').count()).resolves.toBe(0);
    const pingUrl = (await page.getByTestId('ping-url').textContent())!;
    expect((await fetch(`${pingUrl}/3`, { method: 'POST' })).status).toBe(200);

    const banner = page.locator('.down-banner');
    await explained(page, banner.waitFor({ timeout: 15_000 }));
    const alert = banner.getByRole('alert');
    const id = new URL(page.url()).pathname.split('/').at(-1)!;
    const flips = await page.evaluate(async (checkId) => (await fetch(`/api/v1/checks/${checkId}/flips`)).json(), id);
    const wentDown = flips.flips[0];
    expect(wentDown).toMatchObject({ to: 'down', reason: 'failed', exitStatus: 3 });
    const shownSince = await page.evaluate(
      (at) => new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
      wentDown.at,
    );
    expect(shownSince).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);
    await expect(alert.locator('.down-headline').textContent()).resolves.toBe(`✕ DOWN since ${shownSince}`);
    await expect(alert.locator('time').getAttribute('datetime')).resolves.toBe(wentDown.at);
    await expect(alert.locator('.down-why').textContent()).resolves.toBe('Failed: the job reported a failure with exit status 3.');
    await expect(banner.locator('.down-ago').textContent()).resolves.toMatch(/^It went down (now|\d+ seconds? ago)\.$/);
    // The symbol is there for those who cannot tell the colour, and hidden from screen readers, who get the word.
    await expect(alert.locator('.down-symbol').getAttribute('aria-hidden')).resolves.toBe('true');
    await screenshot(page, `check-page-down.png`, { fullPage: true });

    expect((await fetch(pingUrl, { method: 'POST' })).status).toBe(200);
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    await expect(statusWord(page)).resolves.toBe('up');
  });

  it('says where a check alerts, and warns with a way out when it alerts nobody', async () => {
    const page = await onNewCheck('Thumbnailer');
    const warning = page.locator('.alerts-nobody-card');
    await expect(warning.textContent()).resolves.toBe('⚠ This check alerts nobody: the project has no channel yet. Add a channel');
    await expect(warning.getByRole('link', { name: 'Add a channel' }).getAttribute('href')).resolves.toBe('/channels');

    const created = await page.evaluate(async () => {
      const response = await fetch('/api/v1/channels', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'email', name: 'Night shift', config: { to: 'night@example.com' }, attachToAllChecks: false }),
      });
      return response.status;
    });
    expect(created).toBe(201);
    await page.reload();
    await expect.poll(() => warning.textContent()).toBe('⚠ This check alerts nobody: no channel is chosen for it. Choose channels');
    await warning.getByRole('link', { name: 'Choose channels' }).click();
    await page.getByRole('checkbox', { name: 'Night shift (email)' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await explained(page, page.getByTestId('ping-url').waitFor());
    await expect(page.locator('.alerts-to-check').textContent()).resolves.toBe('Alerts Night shift (email) · Change');
    await expect(warning.count()).resolves.toBe(0);
  });

  it('deletes a check after asking, and its page is gone', async () => {
    const page = await onNewCheck('Old importer');
    const checkUrl = page.url();
    acceptNextDialog(page);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { name: 'Checks', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'No checks yet' }).waitFor();
    await page.goto(checkUrl);
    await expect(page.locator('.error').textContent()).resolves.toContain('Could not load this check');
  });

  it('shows the check’s own badge with its Markdown written out, drawn by the browser, axe-clean and within a phone’s width', async () => {
    const page = await onNewCheck('Nightly [export]');
    const section = page.locator('section[aria-labelledby="badge-title"]');
    await expect(section.getByRole('heading', { level: 2 }).textContent()).resolves.toBe('Badge');
    const image = section.getByRole('img', { name: 'Nightly [export] status' });
    await explained(page, image.waitFor());
    // The browser has drawn it: the SVG has a size.
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), { timeout: 10_000 })
      .toBeGreaterThan(60);
    const svg = (await image.getAttribute('src'))!;
    expect(svg).toMatch(/\/badge\/[0-9a-f]{32}\/check\/[^/]+\.svg$/);
    // Brackets in the name are escaped, so the image text does not end early.
    await expect(section.locator('.badge-markdown code').textContent()).resolves.toBe(`![Nightly \\[export\\] status](${svg})`);
    expect(await section.getByRole('button', { name: 'Copy Markdown for Nightly [export]' }).count()).toBe(1);

    const axe = await new AxeBuilder({ page })
      .include('section[aria-labelledby="badge-title"]')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    expect(axe.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(', ')}`)).toEqual([]);
    await page.setViewportSize(PHONE);
    expect(await overflowsSideways(page)).toBe(false);
    await screenshot(section, `check-page-badge.png`);
  });
});
