import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { explained, freshPage, signUp, skipBrowser, useDashboard } from './harness';

/**
 * A ping host of its own (PING_BASE_URL) and a check's methods, in Chromium.
 * The server listens on 127.0.0.1 (its BASE_URL); `localhost` is the ping
 * host, so both names reach the one server and only the ping host's root
 * takes pings.
 */
describe.skipIf(skipBrowser)('the ping host and ping methods in the dashboard, in Chromium', () => {
  const run = useDashboard({ PING_BASE_URL: 'http://localhost' });
  const checkId = (page: Page) => new URL(page.url()).pathname.split('/')[2]!;
  const api = (page: Page, path: string) => page.evaluate(async (url) => (await fetch(url)).json(), path);
  const onPingHost = (shown: string) => `http://localhost:${new URL(run.cronbeat.url).port}${new URL(shown).pathname}`;

  it('sets a check to POST only, shows its URL on the ping host, and that URL ignores a GET and records a POST', async () => {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    await page.goto(`${run.cronbeat.url}/checks/new`);
    await page.getByLabel('Name', { exact: true }).fill('Webhook job');
    await page.getByRole('button', { name: '5 minutes', exact: true }).click();
    await page.getByLabel('Ping methods').selectOption('POST');
    await page.getByRole('button', { name: 'Create check' }).click();
    const shown = await explained(page, page.getByTestId('ping-url').textContent());
    expect(shown).toMatch(/^http:\/\/localhost\/[0-9a-f-]{36}$/);
    const id = checkId(page);
    await expect(api(page, `/api/v1/checks/${id}`)).resolves.toMatchObject({ methods: 'POST' });

    const url = onPingHost(shown!);
    expect(await (await fetch(url)).text()).toBe('OK');
    expect(await (await fetch(url, { method: 'POST', body: 'done' })).text()).toBe('OK');
    const { pings } = await api(page, `/api/v1/checks/${id}/pings`);
    expect(pings.map((ping: { kind: string; method: string }) => [ping.kind, ping.method])).toEqual([
      ['success', 'POST'],
      ['ignored', 'GET'],
    ]);

    await page.goto(`${run.cronbeat.url}/checks/${id}/edit`);
    await expect.poll(() => page.getByLabel('Ping methods').inputValue()).toBe('POST');
    await page.getByLabel('Ping methods').selectOption('');
    await page.getByRole('button', { name: /^Save/ }).click();
    await expect.poll(async () => (await api(page, `/api/v1/checks/${id}`)).methods).toBe('');
  });

  it('shows the slug ping URL on the ping host in Settings', async () => {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    await page.getByRole('link', { name: 'Settings' }).click();
    const key = await page.getByTestId('ping-key').textContent();
    await expect(page.getByTestId('slug-ping-url').textContent()).resolves.toBe(`http://localhost/${key}/<slug>`);
  });
});
