import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '@cronbeat/notify/testing';
import { type RunningWorker, start as startWorker } from '@cronbeat/worker';
import pino from 'pino';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheck, explained, freshPage, screenshot, signUp, skipBrowser, useDashboard } from './harness';

/** Long enough to open the incident's deliveries between the two attempts, short enough for a test. */
const RETRY_DELAY_MS = 4_000;

/**
 * A check's incidents tell what became of their notifications: a webhook
 * receiver that answers 503 then 200 shows as a retrying attempt with its
 * next try time, then as a sent one.
 */
describe.skipIf(skipBrowser)('delivery attempts of an incident on the check page, in Chromium', () => {
  // The receiver listens on loopback, which channels reach only when the operator allows it.
  const run = useDashboard({ ALLOW_PRIVATE_TARGETS: '127.0.0.0/8' });
  let worker: RunningWorker;
  let receiver: Server;
  let receiverUrl = '';
  const statusesAnswered: number[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const status = statusesAnswered.length === 0 ? 503 : 200;
        statusesAnswered.push(status);
        response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 503 ? 'busy' : 'ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    // The server's database, on the in-process driver, looking for new work often so the test is quick.
    worker = await startWorker(
      run.cronbeat.config,
      { database: run.cronbeat.database, logger: pino({ level: 'silent' }) },
      { maxSleepMs: 200, retryDelayMs: RETRY_DELAY_MS },
    );
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  /** The deliveries are fetched when the disclosure opens: close and open it until `shown` appears. */
  async function reopenUntil(page: Page, disclosure: Locator, shown: Locator): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (await disclosure.evaluate((details: HTMLDetailsElement) => details.open)) await disclosure.locator('summary').click();
      await disclosure.locator('summary').click();
      await disclosure.locator('.deliveries, .muted, .error').first().waitFor();
      try {
        await shown.waitFor({ timeout: 500 });
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      await page.waitForTimeout(300);
    }
  }

  /** Whether each `<time>` in the list reads as the browser's locale writes its moment. */
  const timesInBrowserLocale = (list: Locator) =>
    list.evaluate((element) =>
      [...element.querySelectorAll('time')].every(
        (time) => time.textContent === new Date(time.dateTime).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }),
      ),
    );

  it('lists the retrying 503 attempt with its next try, then the sent one with 200', async () => {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    await page.getByRole('link', { name: 'Channels' }).click();
    await page.getByRole('button', { name: 'Add channel' }).click();
    await page.getByLabel('Kind').selectOption('webhook');
    await page.getByLabel('Name', { exact: true }).fill('Ops hook');
    await page.getByLabel(/^URL/).fill(`${receiverUrl}/hook`);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await explained(page, page.locator('.card', { hasText: 'Ops hook' }).waitFor());

    await createCheck(page, run.cronbeat.url, 'Nightly backup');
    const pingUrl = (await page.getByTestId('ping-url').textContent())!;
    expect((await fetch(`${pingUrl}/fail`, { method: 'POST', body: 'backup failed' })).status).toBe(200);
    await eventually(() => statusesAnswered.length >= 1, 15_000, 'the first webhook request');

    const incident = page.locator('.timeline > li', { has: page.locator('.status-word', { hasText: 'down' }) });
    await incident.waitFor({ timeout: 15_000 });
    const disclosure = incident.locator('details.flip-deliveries');
    await expect(disclosure.locator('summary').textContent()).resolves.toBe('Deliveries');

    const retrying = disclosure.locator('.deliveries li[data-outcome="retrying"]');
    await reopenUntil(page, disclosure, retrying);
    const retryingText = (await retrying.textContent()) ?? '';
    expect(retryingText).toContain('Ops hook');
    expect(retryingText).toContain('failed, will retry');
    expect(retryingText).toContain('HTTP 503');
    expect(retryingText).toMatch(/next try at \S/);
    const [attemptAt, nextTryAt] = await retrying
      .locator('time')
      .evaluateAll((times) => times.map((time) => Date.parse((time as HTMLTimeElement).dateTime)));
    expect(nextTryAt! - attemptAt!).toBeGreaterThanOrEqual(RETRY_DELAY_MS - 1_000);
    expect(await timesInBrowserLocale(disclosure)).toBe(true);
    await screenshot(page, `incident-deliveries-retrying.png`, { fullPage: true });

    await eventually(() => statusesAnswered.length >= 2, 20_000, 'the retried webhook request');
    const sent = disclosure.locator('.deliveries li[data-outcome="sent"]');
    await reopenUntil(page, disclosure, sent);
    expect(await sent.textContent()).toContain('HTTP 200');
    // Newest first: the sent attempt above the retrying one.
    await expect(
      disclosure.locator('.deliveries li').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-outcome'))),
    ).resolves.toEqual(['sent', 'retrying']);
    await screenshot(page, `incident-deliveries-sent.png`, { fullPage: true });
  });

  it('says "No delivery yet" for an incident with no channel, and an error line when the request fails', async () => {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    await createCheck(page, run.cronbeat.url, 'Quiet job');
    const pingUrl = (await page.getByTestId('ping-url').textContent())!;
    expect((await fetch(`${pingUrl}/fail`, { method: 'POST' })).status).toBe(200);

    const incident = page.locator('.timeline > li', { has: page.locator('.status-word', { hasText: 'down' }) });
    await incident.waitFor({ timeout: 15_000 });
    const disclosure = incident.locator('details.flip-deliveries');
    await disclosure.locator('summary').click();
    await disclosure.getByText('No delivery yet').waitFor();

    // A dropped connection is the one failure a live server will not produce on demand.
    await page.route('**/flips/*/deliveries', (route) => route.abort('connectionreset'));
    await disclosure.locator('summary').click();
    await disclosure.locator('summary').click();
    await expect(disclosure.getByRole('alert').textContent()).resolves.toMatch(/^Could not load the deliveries: /);
  });
});
