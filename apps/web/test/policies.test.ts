import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { explained, freshPage, overflowsSideways, PHONE, screenshot, signUp, skipBrowser, useDashboard } from './harness';

describe.skipIf(skipBrowser)('alert policies in the dashboard, in Chromium', () => {
  const run = useDashboard();

  /** The check's id, from its page's or its editor's URL (/checks/<id>, /checks/<id>/edit). */
  const checkId = (page: Page) => new URL(page.url()).pathname.split('/')[2]!;
  /** The check as the API answers it, asked by the page with its session. */
  const stored = (page: Page) => page.evaluate(async (id) => (await fetch(`/api/v1/checks/${id}`)).json(), checkId(page));
  const policyLines = (page: Page) => page.locator('.policies li').allTextContents();
  /** The error shown beside a labelled field: the element its aria-describedby names that is an error. */
  const errorBeside = async (page: Page, label: string) => {
    const field = page.getByLabel(label, { exact: true });
    // The API's answer marks the field; it may still be on its way.
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ');
    const errorId = ids.find((id) => id.endsWith('-error'));
    expect(errorId).toBeDefined();
    return page.locator(`[id="${errorId}"]`).textContent();
  };

  /** Opens the editor of a new check with a period schedule and the policy fields as given, and saves it. */
  async function createWithPolicy(page: Page, name: string, fill: Record<string, string>): Promise<void> {
    await page.goto(`${run.cronbeat.url}/checks/new`);
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByRole('button', { name: '5 minutes', exact: true }).click();
    for (const [label, value] of Object.entries(fill)) await page.getByLabel(label, { exact: true }).fill(value);
    await page.getByRole('button', { name: 'Create check' }).click();
    await explained(page, page.getByTestId('ping-url').waitFor());
  }

  it('sets every policy in the editor, stores it through the API and lists it on the check page', async () => {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    await page.goto(`${run.cronbeat.url}/checks/new`);
    await page.getByLabel('Name', { exact: true }).fill('Nightly backup');
    // Too early only means something against a cron schedule.
    await expect(page.getByLabel('Early tolerance').count()).resolves.toBe(0);
    await page.getByLabel('Cron expression').first().check();
    await page.getByRole('textbox', { name: 'Cron expression' }).fill('0 3 * * *');
    await page.getByLabel('Time zone').fill('Europe/Berlin');
    const policy = page.getByRole('group', { name: 'Alert policy' });
    await policy.getByLabel('Failure threshold').fill('3');
    await policy.getByLabel('Recovery threshold').fill('2');
    await policy.getByLabel('Alert when late').check();
    await policy.getByLabel('Success keywords').fill('backup complete');
    await policy.getByLabel('Failure keywords').fill('ERROR\n  \n<i>Traceback</i>\n');
    await policy.getByLabel('Early tolerance').fill('10m');
    await policy.getByLabel('Max concurrent runs').fill('1');
    const durations = policy.getByRole('group', { name: 'Unusual durations' });
    await expect(durations.getByRole('radio', { name: 'Off' }).isChecked()).resolves.toBe(true);
    await durations.getByRole('radio', { name: 'Bounds: a minimum and a maximum' }).check();
    await durations.getByLabel('Minimum duration').fill('30s');
    await durations.getByLabel('Maximum duration').fill('2h');
    await page.getByRole('button', { name: 'Create check' }).click();
    await explained(page, page.getByTestId('ping-url').waitFor());

    await expect(stored(page)).resolves.toMatchObject({
      cron: '0 3 * * *',
      tz: 'Europe/Berlin',
      alertOnLate: true,
      failureThreshold: 3,
      recoveryThreshold: 2,
      successKeywords: ['backup complete'],
      failureKeywords: ['ERROR', '<i>Traceback</i>'],
      earlyTolerance: 600,
      maxConcurrentRuns: 1,
      durationAnomaly: { mode: 'bounds', minDuration: 30, maxDuration: 7200 },
      failures: 0,
      successes: 0,
    });
    await expect(page.getByRole('heading', { name: 'Alert policy' }).count()).resolves.toBe(1);
    await expect(policyLines(page)).resolves.toEqual([
      'Goes down after 3 failed runs in a row',
      'Comes back up after 2 successful runs in a row',
      'Alerts when late, before the grace time runs out',
      'A run fails when its output contains “ERROR” or “<i>Traceback</i>”',
      'A run succeeds when its output contains “backup complete”',
      'A run fails when it starts more than 10 min early',
      'A run fails when it starts while another is running',
      'A run fails when it takes under 30 s or over 2 h',
    ]);
    // A keyword is text, never markup.
    await expect(page.locator('.policies i').count()).resolves.toBe(0);

    // The editor opens on what was saved; auto replaces the bounds; a period schedule drops the early tolerance.
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await expect(policy.getByLabel('Failure threshold').inputValue()).resolves.toBe('3');
    await expect(policy.getByLabel('Failure keywords').inputValue()).resolves.toBe('ERROR\n<i>Traceback</i>');
    await expect(policy.getByLabel('Early tolerance').inputValue()).resolves.toBe('10m');
    await expect(durations.getByLabel('Maximum duration').inputValue()).resolves.toBe('2h');
    await durations.getByRole('radio', { name: 'Auto: compared with recent runs' }).check();
    await durations.getByLabel('Factor').fill('4');
    await policy.getByLabel('Max concurrent runs').fill('');
    await page.getByLabel('Every …').check();
    await expect(page.getByLabel('Early tolerance').count()).resolves.toBe(0);
    await page.getByRole('button', { name: '1 hour', exact: true }).click();
    await screenshot(page, `check-editor-policy.png`, { fullPage: true });
    await page.getByRole('button', { name: 'Save' }).click();
    await explained(page, page.getByTestId('ping-url').waitFor());
    await expect(stored(page)).resolves.toMatchObject({
      period: 3600,
      cron: null,
      earlyTolerance: null,
      maxConcurrentRuns: null,
      durationAnomaly: { mode: 'auto', factor: 4 },
    });
    await expect(policyLines(page)).resolves.toContain(
      'A run fails when it takes 4 × longer or shorter than its usual (the median of recent runs)',
    );
  });

  it("shows the API's refusals beside their fields, and what cannot be sent before asking", async () => {
    const page = await freshPage(run.browser, PHONE);
    await signUp(page, run.cronbeat.url);
    await createWithPolicy(page, 'Refused', {});
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    const policy = page.getByRole('group', { name: 'Alert policy' });

    await policy.getByLabel('Failure threshold').fill('101');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Please correct the fields marked below.');
    await expect(errorBeside(page, 'Failure threshold')).resolves.toMatch(/100/);
    // Editing a field clears what was said about it.
    await policy.getByLabel('Failure threshold').fill('2');
    await expect(policy.getByLabel('Failure threshold').getAttribute('aria-invalid')).resolves.toBeNull();
    await policy.getByLabel('Max concurrent runs').fill('0');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(errorBeside(page, 'Max concurrent runs')).resolves.toMatch(/1/);
    await expect(stored(page)).resolves.toMatchObject({ failureThreshold: 1, maxConcurrentRuns: null });
    await policy.getByLabel('Max concurrent runs').fill('');

    const durations = policy.getByRole('group', { name: 'Unusual durations' });
    await durations.getByRole('radio', { name: 'Bounds: a minimum and a maximum' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(durations.locator('.field-error').textContent()).resolves.toBe('give a minimum, a maximum or both');
    await durations.getByLabel('Minimum duration').fill('soon');
    await durations.getByLabel('Maximum duration').fill('1h');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(errorBeside(page, 'Minimum duration')).resolves.toContain('"soon" is not a duration');

    await durations.getByLabel('Minimum duration').fill('2h');
    await page.getByRole('button', { name: 'Save' }).click();
    const refusal = await durations.locator('.field-error').first().textContent();
    expect(refusal).toMatch(/minDuration|maxDuration|min|max/i);
    expect(await overflowsSideways(page)).toBe(false);
    await screenshot(page, `check-editor-policy-errors-phone.png`, { fullPage: true });
  });

  it('says "Failing 1 of 3" after one failed run, lists the runs of the flip that takes it down, and counts the recovery', async () => {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    await createWithPolicy(page, 'Ledger export', { 'Failure threshold': '3', 'Recovery threshold': '2', 'Failure keywords': 'ERROR' });
    const pingUrl = (await page.getByTestId('ping-url').textContent())!;
    const progress = page.locator('.threshold-progress');
    await expect(progress.textContent()).resolves.toBe('');

    expect((await fetch(`${pingUrl}/fail`, { method: 'POST' })).status).toBe(200);
    await explained(page, page.getByRole('status').filter({ hasText: 'Failing 1 of 3' }).waitFor({ timeout: 15_000 }));
    await expect(stored(page)).resolves.toMatchObject({ failures: 1, failureThreshold: 3 });
    expect(await page.locator('.page-head .status-word').textContent()).not.toBe('down');

    // A success ping whose body holds a failure keyword is a failed run; the ping log says which keyword.
    expect((await fetch(pingUrl, { method: 'POST', body: 'pg_dump: ERROR: disk full' })).status).toBe(200);
    await progress.filter({ hasText: 'Failing 2 of 3' }).waitFor({ timeout: 15_000 });
    await expect(page.locator('.ping-log .ping').first().locator('.ping-keyword').textContent()).resolves.toBe('keyword “ERROR”');

    expect((await fetch(`${pingUrl}/1`, { method: 'POST' })).status).toBe(200);
    await page.locator('.down-banner').waitFor({ timeout: 15_000 });
    await expect(progress.textContent()).resolves.toBe('');
    const wentDown = page.locator('.timeline > li').first();
    await expect(wentDown.locator('.flip-summary').textContent()).resolves.toBe('after 3 failed runs in a row (threshold 3)');
    const runs = await wentDown.getByRole('list', { name: 'Failed runs that led to down' }).locator('li').allTextContents();
    expect(runs).toHaveLength(3);
    expect(runs[0]).toMatch(/failed$/);
    expect(runs[1]).toMatch(/failed: the output contains “ERROR”$/);
    expect(runs[2]).toMatch(/failed with exit status 1$/);

    expect((await fetch(pingUrl, { method: 'POST' })).status).toBe(200);
    await explained(page, progress.filter({ hasText: 'Recovering 1 of 2' }).waitFor({ timeout: 15_000 }));
    await expect(page.locator('.page-head .status-word').textContent()).resolves.toBe('down');
    expect((await fetch(pingUrl, { method: 'POST' })).status).toBe(200);
    await page.locator('.down-banner').waitFor({ state: 'detached', timeout: 15_000 });
    await expect(page.locator('.timeline > li').first().locator('.flip-summary').textContent()).resolves.toBe(
      'after 2 successful runs in a row (threshold 2)',
    );
    await screenshot(page, `check-page-policy.png`, { fullPage: true });
  });
});
