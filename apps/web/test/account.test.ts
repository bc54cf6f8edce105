/** The account page's time zone in Chromium: the browser's zone offered, a typo caught with a suggestion, and reports moved to 09:00 there. */
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { callApi, DESKTOP, explained, overflowsSideways, PHONE, screenshot, signUp, skipBrowser, useDashboard } from './harness';

/** A page whose browser says it is in `timezoneId`, as a person's laptop there would. */
async function pageIn(browser: Browser, timezoneId: string, viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

interface Me {
  user: { timeZone: string; reportEvery: string; nextReportAt: string | null };
}

describe.skipIf(skipBrowser)('the account page’s time zone', () => {
  // Reports can be turned on only where the server has SMTP; nothing is sent in this suite.
  const dashboard = useDashboard({ SMTP_URL: 'smtp://127.0.0.1:2525' });

  it('offers the browser’s zone, saves it, and shows the next report at 09:00 there', async () => {
    const page = await pageIn(dashboard.browser, 'America/New_York');
    await signUp(page, dashboard.cronbeat.url);
    await page.locator('.who').click();
    const zone = page.getByLabel('Your time zone');
    await explained(page, zone.waitFor());
    expect(await zone.inputValue()).toBe('UTC');

    await page.getByRole('button', { name: 'Use this browser’s zone, America/New_York' }).click();
    expect(await zone.inputValue()).toBe('America/New_York');
    await page.getByRole('button', { name: 'Save time zone' }).click();
    await explained(page, page.getByText('Saved: your time zone is America/New_York.').waitFor());
    // Saved, the offer has nothing more to offer.
    expect(await page.getByRole('button', { name: /Use this browser’s zone/ }).count()).toBe(0);
    expect((await callApi<Me>(page, 'GET', '/auth/me')).user.timeZone).toBe('America/New_York');

    await page.getByLabel('Email me a report').selectOption({ label: 'Weekly, on Mondays' });
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const next = page.getByText(/^Next report: Monday,? \d+ \w+ \d{4} at 09:00 \(America\/New_York\)$/);
    await explained(page, next.waitFor());
    const due = (await callApi<Me>(page, 'GET', '/auth/me')).user.nextReportAt;
    expect(await page.locator('p[role=status] time').getAttribute('datetime')).toBe(due);
    await screenshot(page, `account-time-zone.png`, { fullPage: true });
  });

  it('catches a zone that does not exist as typed, suggests the one meant, and moves the report with it', async () => {
    const page = await pageIn(dashboard.browser, 'UTC', PHONE);
    await signUp(page, dashboard.cronbeat.url);
    await callApi(page, 'PATCH', '/auth/me', { reportEvery: 'monthly' });
    await page.locator('.who').click();
    const zone = page.getByLabel('Your time zone');
    await explained(page, zone.waitFor());
    // A browser already in UTC is offered nothing.
    expect(await page.getByRole('button', { name: /Use this browser’s zone/ }).count()).toBe(0);

    await zone.fill('Europe/Berln');
    await explained(page, page.getByText('"Europe/Berln" is not a time zone.').waitFor());
    expect(await zone.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: 'Save time zone' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Europe/Berlin', exact: true }).click();
    expect(await zone.inputValue()).toBe('Europe/Berlin');
    await page.getByRole('button', { name: 'Save time zone' }).click();
    await explained(page, page.getByText(/^Next report: \w+,? 1 \w+ \d{4} at 09:00 \(Europe\/Berlin\)$/).waitFor());
    expect(await overflowsSideways(page)).toBe(false);

    // What the form would not send, the server refuses too, and says why.
    await expect(callApi(page, 'PATCH', '/auth/me', { timeZone: 'Europe/Berln' })).rejects.toThrow(
      /400 .*timeZone: unknown time zone \\"Europe\/Berln\\"/,
    );
    expect((await callApi<Me>(page, 'GET', '/auth/me')).user.timeZone).toBe('Europe/Berlin');
  });
});
