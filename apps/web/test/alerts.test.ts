import { createNotifier } from '@cronbeat/notify';
import { eventually, type SmtpReceiver, startSmtpReceiver } from '@cronbeat/notify/testing';
import { type RunningWorker, sendReports, start as startWorker } from '@cronbeat/worker';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserMissing,
  buildDashboard,
  closeContexts,
  createCheck,
  explained,
  freshPage,
  overflowsSideways,
  PHONE,
  type RunningCronbeat,
  screenshot,
  sharedChromium,
  signUp,
  skipBrowser,
  startCronbeat,
} from './harness';

describe.skipIf(skipBrowser)('alerts end to end: dashboard, server, worker and a real SMTP server', () => {
  let smtp: SmtpReceiver;
  let cronbeat: RunningCronbeat;
  let worker: RunningWorker;
  let browser: Browser;

  beforeAll(async () => {
    if (browserMissing) throw new Error('Chromium is not installed at /usr/bin/chromium; CI installs it in .ci/run');
    await buildDashboard();
    smtp = await startSmtpReceiver();
    cronbeat = await startCronbeat({ SMTP_URL: smtp.url });
    // The same database as the server, on the in-process driver (no REDIS_URL), looking for new work often so the test is quick.
    worker = await startWorker(cronbeat.config, { database: cronbeat.database, logger: pino({ level: 'silent' }) }, { maxSleepMs: 200 });
    browser = await sharedChromium();
  }, 120_000);

  afterAll(async () => {
    if (browser) await closeContexts(browser);
    await worker?.close();
    await cronbeat?.close();
    await smtp?.close();
  });

  const mailsTo = (to: string) => smtp.mails.filter((mail) => mail.to && !Array.isArray(mail.to) && mail.to.text === to);

  it('shows a failed job down and emails the alert, then shows it up and emails the recovery', async () => {
    const page = await freshPage(browser);
    await signUp(page, cronbeat.url);
    await createCheck(page, cronbeat.url, 'Payroll export');
    const pingUrl = (await page.getByTestId('ping-url').textContent())!;

    await page.getByRole('link', { name: 'Channels' }).click();
    await page.getByRole('button', { name: 'Add channel' }).click();
    await page.getByLabel('Email address').fill('payroll-oncall@example.com');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const card = page.locator('.card', { hasText: 'payroll-oncall@example.com' });
    await explained(page, card.waitFor());
    // "Attach to all checks" is ticked by default: the check made before the channel alerts it.
    await card.getByText('Checks that alert here (1)').waitFor();

    await page.getByRole('link', { name: 'Checks', exact: true }).click();
    const row = page.locator('tr', { hasText: 'Payroll export' });
    await row.waitFor();
    expect((await fetch(`${pingUrl}/fail`, { method: 'POST', body: 'export failed: disk full' })).status).toBe(200);

    await page.locator('tr[data-status="down"]', { hasText: 'Payroll export' }).waitFor({ timeout: 15_000 });
    await expect(row.locator('.status-word').textContent()).resolves.toBe('down');
    await screenshot(page, `checks-list-down.png`, { fullPage: true });
    await eventually(() => mailsTo('payroll-oncall@example.com').length >= 1, 15_000, 'the DOWN email');
    const [down] = mailsTo('payroll-oncall@example.com');
    expect(down?.subject).toBe('DOWN: Payroll export (failed)');
    expect(down?.text).toContain(cronbeat.url);

    expect((await fetch(pingUrl, { method: 'POST', body: 'export done' })).status).toBe(200);
    await page.locator('tr[data-status="up"]', { hasText: 'Payroll export' }).waitFor({ timeout: 15_000 });
    await eventually(() => mailsTo('payroll-oncall@example.com').length >= 2, 15_000, 'the recovery email');
    expect(mailsTo('payroll-oncall@example.com')[1]?.subject).toMatch(/^UP: Payroll export \(down for /);

    // The check page tells the same story.
    await row.locator('.check-name').click();
    await page.locator('.timeline li').nth(1).waitFor();
    await expect(page.locator('.timeline .status-word').allTextContents()).resolves.toEqual(['up', 'down']);
    await expect(page.locator('.timeline').textContent()).resolves.toContain('from new: failed');
    await screenshot(page, `check-page-incidents.png`, { fullPage: true });

    // Exactly one email per status change, however many sweeps have passed since.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(mailsTo('payroll-oncall@example.com')).toHaveLength(2);
  });

  it('lays a list with every status out on a phone, each status readable without colour', async () => {
    const page = await freshPage(browser, PHONE);
    await signUp(page, cronbeat.url);
    const urls: Record<string, string> = {};
    for (const name of ['Fresh check', 'Healthy job', 'Broken job', 'Paused job']) {
      await createCheck(page, cronbeat.url, name);
      urls[name] = (await page.getByTestId('ping-url').textContent())!;
    }
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByRole('button', { name: 'Resume', exact: true }).waitFor();
    await fetch(urls['Healthy job']!, { method: 'POST' });
    await fetch(`${urls['Broken job']!}/fail`, { method: 'POST' });

    await page.getByRole('link', { name: 'Checks', exact: true }).click();
    await page.locator('tr[data-status="down"]').waitFor();
    await page.locator('tr[data-status="up"]').waitFor();
    const words = await page.locator('.checks .status-word').allTextContents();
    expect(words.sort()).toEqual(['down', 'new', 'paused', 'up']);
    expect(await overflowsSideways(page)).toBe(false);
    await screenshot(page, `checks-list-statuses-phone.png`, { fullPage: true });
  });

  it('turns on weekly reports from the account page, and the report arrives by email when due', async () => {
    const page = await freshPage(browser);
    const email = await signUp(page, cronbeat.url);
    await createCheck(page, cronbeat.url, 'Ledger close');
    await page.locator('.who').click();
    await page.getByRole('heading', { name: 'Summary reports' }).waitFor();
    await page.getByLabel('Email me a report').selectOption({ label: 'Weekly, on Mondays' });
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const next = page.getByText(/^Next report: Monday.* at 09:00 \(UTC\)$/);
    await explained(page, next.waitFor());
    await screenshot(page, `account-reports.png`, { fullPage: true });

    // The worker's maintenance run sends reports; run it as if the Monday had come.
    const dueAt = new Date((await next.locator('time').getAttribute('datetime'))!);
    const notifier = createNotifier({ smtpUrl: smtp.url, emailFrom: 'Cronbeat <alerts@cronbeat.test>' });
    const sent = await sendReports({
      db: cronbeat.database.db,
      notifier,
      baseUrl: cronbeat.url,
      leaseMs: 30_000,
      batchSize: 100,
      now: new Date(dueAt.getTime() + 60_000),
    });
    notifier.close();
    expect(sent.sent).toBeGreaterThanOrEqual(1);
    const [report] = mailsTo(email);
    expect(report?.subject).toBe('Cronbeat weekly report: all 1 check fine');
    expect(report?.text).toMatch(/NEW\s+Ledger close\n\s+not watched, never down · no runs/);
  });
});
