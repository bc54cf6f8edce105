import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explained, freshPage, screenshot, signUp, skipBrowser, useDashboard } from './harness';

/**
 * Editing a channel on its card: the form is filled from GET /channels
 * (name, events, fields that are not secrets), a stored secret reads only
 * "set", is kept when left empty and replaced when typed, and the page
 * never holds a secret's text. What the receiver gets on "Send test" shows
 * which secret the server kept.
 */
describe.skipIf(skipBrowser)('editing channels in the dashboard, in Chromium', () => {
  // The receiver listens on loopback, which channels reach only when the operator allows it.
  const run = useDashboard({ ALLOW_PRIVATE_TARGETS: '127.0.0.0/8' });
  const requests: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
  const receiver = { url: '' };
  let server: Server;
  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        requests.push({ path: request.url ?? '/', headers: request.headers });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function channelsPage(): Promise<Page> {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    await page.getByRole('link', { name: 'Channels' }).click();
    return page;
  }

  async function addChannel(page: Page, kind: string, fill: (page: Page) => Promise<void>): Promise<void> {
    await page.getByRole('button', { name: 'Add channel' }).click();
    await page.getByLabel('Kind').selectOption(kind);
    await fill(page);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
  }

  const card = (page: Page, name: string): Locator => page.locator('li.card', { hasText: name });

  async function edit(page: Page, name: string): Promise<Locator> {
    await explained(page, card(page, name).waitFor());
    await card(page, name).getByRole('button', { name: 'Edit' }).click();
    return page.getByRole('form', { name: `Edit ${name}` });
  }

  async function save(page: Page, form: Locator, savedName: string): Promise<void> {
    await form.getByRole('button', { name: 'Save' }).click();
    await explained(page, card(page, savedName).getByText('Saved.').waitFor());
  }

  /** Presses "Send test" on a card and answers the request the receiver got for `path`. */
  async function sendTest(page: Page, name: string, path: string) {
    requests.length = 0;
    await card(page, name).getByRole('button', { name: 'Send test' }).click();
    await explained(page, card(page, name).getByText('Test alert delivered.').waitFor());
    return requests.find((request) => request.path.startsWith(path));
  }

  const storedChannels = (page: Page) =>
    page.evaluate(
      async () =>
        (await (await fetch('/api/v1/channels')).json()).channels as Array<{
          name: string;
          events: string[];
          config: Record<string, unknown>;
        }>,
    );

  it('edits the name, events and token of an ntfy channel, keeping the token when left empty and never showing it', async () => {
    const page = await channelsPage();
    const first = 'tk_first-token-not-to-show';
    const second = 'tk_second-token-not-to-show';
    await addChannel(page, 'ntfy', async () => {
      await page.getByLabel('Name', { exact: true }).fill('Phone');
      await page.getByLabel('Server URL').fill(`${receiver.url}/ntfy`);
      await page.getByLabel('Topic (required)').fill('cronbeat-alerts');
      await page.getByLabel('Token', { exact: true }).fill(first);
    });

    let form = await edit(page, 'Phone');
    // Filled from what the API shows; the secret only says it is set.
    await expect(form.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('Phone');
    await expect(form.getByLabel('Topic (required)').inputValue()).resolves.toBe('cronbeat-alerts');
    await expect(form.getByLabel('Server URL').inputValue()).resolves.toBe(`${receiver.url}/ntfy`);
    const token = form.getByLabel('Token', { exact: true });
    await expect(token.inputValue()).resolves.toBe('');
    await expect(token.getAttribute('placeholder')).resolves.toBe('set — leave empty to keep');
    await expect(form.getByRole('checkbox', { name: /^Late/ }).isChecked()).resolves.toBe(true);
    await form.getByLabel('Name', { exact: true }).fill('Night phone');
    await form.getByRole('checkbox', { name: /^Late/ }).uncheck();
    await save(page, form, 'Night phone');

    expect(await storedChannels(page)).toMatchObject([
      { name: 'Night phone', events: ['down', 'up', 'still_down'], config: { topic: 'cronbeat-alerts', token: { set: true } } },
    ]);
    // The token left empty was kept: the server still sends the first one.
    expect((await sendTest(page, 'Night phone', '/ntfy/cronbeat-alerts'))?.headers.authorization).toBe(`Bearer ${first}`);

    form = await edit(page, 'Night phone');
    await form.getByLabel('Token', { exact: true }).fill(second);
    await save(page, form, 'Night phone');
    expect((await sendTest(page, 'Night phone', '/ntfy/cronbeat-alerts'))?.headers.authorization).toBe(`Bearer ${second}`);

    // An optional secret can be removed.
    form = await edit(page, 'Night phone');
    await form.getByRole('checkbox', { name: 'Remove the stored token' }).check();
    await save(page, form, 'Night phone');
    expect((await storedChannels(page))[0]?.config).not.toHaveProperty('token');
    expect((await sendTest(page, 'Night phone', '/ntfy/cronbeat-alerts'))?.headers.authorization).toBeUndefined();

    const html = await page.content();
    expect(html).not.toContain(first);
    expect(html).not.toContain(second);
    await screenshot(page, `channel-edit-ntfy.png`, { fullPage: true });
  });

  it('keeps a Slack webhook URL secret: typed like a password, never on the card, "set" when editing', async () => {
    const page = await channelsPage();
    const hook = `${receiver.url}/services/T000/B000/slack-token-not-to-show`;
    await addChannel(page, 'slack', async () => {
      const url = page.getByLabel('Incoming webhook URL (required)');
      await expect(url.getAttribute('type')).resolves.toBe('password');
      await page.getByLabel('Name', { exact: true }).fill('Team chat');
      await url.fill(hook);
    });
    const form = await edit(page, 'Team chat');
    const url = form.getByLabel('Incoming webhook URL (required)');
    await expect(url.inputValue()).resolves.toBe('');
    await expect(url.getAttribute('placeholder')).resolves.toBe('set — leave empty to keep');
    // A required secret that is stored need not be typed again, and cannot be removed.
    await expect(url.getAttribute('required')).resolves.toBeNull();
    await expect(form.getByRole('checkbox', { name: /Remove the stored/ }).count()).resolves.toBe(0);
    await form.getByRole('checkbox', { name: /^Up/ }).uncheck();
    await save(page, form, 'Team chat');
    expect(await storedChannels(page)).toMatchObject([{ events: ['down', 'late', 'still_down'], config: { url: { set: true } } }]);
    expect((await sendTest(page, 'Team chat', '/services/T000/B000/slack-token-not-to-show'))?.path).toBe(
      '/services/T000/B000/slack-token-not-to-show',
    );
    await expect(page.content()).resolves.not.toContain('slack-token-not-to-show');
  });

  it("shows the API's refusal beside the field and keeps the channel as it was", async () => {
    const page = await channelsPage();
    await addChannel(page, 'ntfy', async () => {
      await page.getByLabel('Name', { exact: true }).fill('Pager phone');
      await page.getByLabel('Topic (required)').fill('ops');
    });
    const form = await edit(page, 'Pager phone');
    await form.getByLabel('Topic (required)').fill('not a topic!');
    await form.getByRole('button', { name: 'Save' }).click();
    const fieldError = form.locator('.field', { has: page.getByLabel('Topic (required)') }).locator('.field-error');
    await expect(explained(page, fieldError.textContent())).resolves.toMatch(/topic/);
    expect((await storedChannels(page))[0]?.config).toMatchObject({ topic: 'ops' });
  });

  it('treats a templated webhook’s headers as a secret once saved: kept when the body changes, replaced when typed', async () => {
    const page = await channelsPage();
    await addChannel(page, 'templated-webhook', async () => {
      await page.getByLabel('Name', { exact: true }).fill('Hook');
      await page.getByLabel('URL (required)').fill(`${receiver.url}/templated`);
      await page.getByLabel('Headers', { exact: true }).fill('Authorization: Bearer old-header-not-to-show');
      await page.getByLabel('Body template (required)').fill('{"text": "{{check.name}}"}');
    });

    let form = await edit(page, 'Hook');
    const headers = form.getByLabel('Headers', { exact: true });
    await expect(headers.inputValue()).resolves.toBe('');
    await expect(headers.getAttribute('placeholder')).resolves.toBe('set — leave empty to keep');
    await expect(form.getByLabel('Body template (required)').inputValue()).resolves.toBe('{"text": "{{check.name}}"}');
    await form.getByLabel('Body template (required)').fill('{"message": "{{check.name}}"}');
    await save(page, form, 'Hook');
    expect((await sendTest(page, 'Hook', '/templated'))?.headers.authorization).toBe('Bearer old-header-not-to-show');

    form = await edit(page, 'Hook');
    await form.getByLabel('Headers', { exact: true }).fill('Authorization: Bearer new-header-not-to-show');
    await save(page, form, 'Hook');
    expect((await sendTest(page, 'Hook', '/templated'))?.headers.authorization).toBe('Bearer new-header-not-to-show');
    expect((await storedChannels(page))[0]?.config).toMatchObject({ headers: { set: true }, body: '{"message": "{{check.name}}"}' });

    const html = await page.content();
    expect(html).not.toContain('old-header-not-to-show');
    expect(html).not.toContain('new-header-not-to-show');
  });
});
