import { describe, expect, it } from 'vitest';
import { explained, freshPage, signUp, skipBrowser, useDashboard } from './harness';

describe.skipIf(skipBrowser)('OnCalendar schedules in the dashboard (Chromium)', () => {
  const run = useDashboard();

  it('takes OnCalendar expressions with a zone, shows their next runs, says what the server refuses, and saves them', async () => {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    await page.goto(`${run.cronbeat.url}/checks/new`);
    await page.getByLabel('Name', { exact: true }).fill('Weekday report');
    await page.getByLabel('OnCalendar', { exact: true }).check();
    const expressions = page.getByRole('textbox', { name: 'OnCalendar expressions' });
    await expressions.fill('Mon..Fri 25:00');
    await page.getByRole('combobox', { name: 'Time zone' }).fill('Europe/Riga');
    await page.getByRole('button', { name: 'Create check' }).click();
    await page.locator('#oncalendar-help .field-error').waitFor({ timeout: 5_000 });
    await expect(page.locator('#oncalendar-help .field-error').textContent()).resolves.toContain('hour 25 is out of range (0-23)');
    await expect(expressions.getAttribute('aria-invalid')).resolves.toBe('true');

    await expressions.fill('Mon..Fri *-*-* 09:00\n*-*~01 18:00 UTC');
    await page.locator('.next-runs li').nth(4).waitFor({ timeout: 5_000 });
    const runs = await page.locator('.next-runs li').allTextContents();
    expect(
      runs.every((text) => /(09|20|21):00 Europe\/Riga$/.test(text)),
      runs.join(' | '),
    ).toBe(true);
    await page.getByRole('button', { name: 'Create check' }).click();
    await explained(page, page.getByTestId('ping-url').waitFor());
    const id = new URL(page.url()).pathname.split('/').at(-1);
    const saved = await page.evaluate(async (checkId) => (await fetch(`/api/v1/checks/${checkId}`)).json(), id);
    expect(saved).toMatchObject({ period: null, cron: null, onCalendar: 'Mon..Fri *-*-* 09:00\n*-*~01 18:00 UTC', tz: 'Europe/Riga' });
    await expect(page.getByText('OnCalendar Mon..Fri *-*-* 09:00; *-*~01 18:00 UTC, Europe/Riga').count()).resolves.toBeGreaterThan(0);
  });
});
