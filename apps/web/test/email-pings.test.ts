import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { explained, freshPage, signUp, skipBrowser, useDashboard } from './harness';

const DOMAIN = 'pings.cronbeat.test';

describe.skipIf(skipBrowser)('email pings in the dashboard, in Chromium', () => {
  const run = useDashboard({ EMAIL_PINGS_PORT: '2525', EMAIL_PINGS_DOMAIN: DOMAIN });

  const checkId = (page: Page) => new URL(page.url()).pathname.split('/')[2]!;
  const stored = (page: Page) => page.evaluate(async (id) => (await fetch(`/api/v1/checks/${id}`)).json(), checkId(page));

  it('shows the check’s email address beside its ping URL, and takes start keywords in the alert policy', async () => {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    await page.goto(`${run.cronbeat.url}/checks/new`);
    await page.getByLabel('Name', { exact: true }).fill('NAS backup');
    await page.getByRole('button', { name: '5 minutes', exact: true }).click();
    const policy = page.getByRole('group', { name: 'Alert policy' });
    await policy.getByLabel('Start keywords').fill('Backup started\n\n<b>begun</b>\n');
    await policy.getByLabel('Failure keywords').fill('FAILED');
    await page.getByRole('button', { name: 'Create check' }).click();
    await explained(page, page.getByTestId('ping-url').waitFor());

    const check = await stored(page);
    expect(check).toMatchObject({ startKeywords: ['Backup started', '<b>begun</b>'], failureKeywords: ['FAILED'] });
    await expect(page.getByTestId('ping-email').textContent()).resolves.toBe(`${check.pingCode}@${DOMAIN}`);
    await expect(page.getByRole('button', { name: 'Copy address' }).count()).resolves.toBe(1);
    // The keyword is text on the page, never markup.
    await expect(page.locator('.policies li').allTextContents()).resolves.toContain(
      'A ping starts a run when its body contains “Backup started” or “<b>begun</b>”',
    );
    await expect(page.locator('.policies b').count()).resolves.toBe(0);

    // A keyword too long is refused by the API, and the editor says so beside the field.
    await page.goto(`${run.cronbeat.url}/checks/${check.id}/edit`);
    await page.getByRole('group', { name: 'Alert policy' }).getByLabel('Start keywords').fill('x'.repeat(201));
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const field = page.getByLabel('Start keywords', { exact: true });
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
  });
});
