import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explained, freshPage, screenshot, signUp, skipBrowser, useDashboard } from './harness';

/**
 * The channel form draws every kind from its config schema (GET /api/v1/channel-kinds):
 * Discord, PagerDuty and a templated webhook are added through it, shown
 * without their secrets, and "Send test" reaches a local receiver with the
 * request each vendor documents.
 */
describe.skipIf(skipBrowser)('channel kinds in the dashboard, in Chromium', () => {
  // The receiver listens on loopback, which channels reach only when the operator allows it.
  const run = useDashboard({ ALLOW_PRIVATE_TARGETS: '127.0.0.0/8' });
  const requests: Array<{ method: string; path: string; headers: IncomingHttpHeaders; body: string }> = [];
  const receiver = { url: '' };
  let server: Server;
  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        requests.push({
          method: request.method ?? '',
          path: request.url ?? '/',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        response.writeHead(request.url?.startsWith('/v2/enqueue') ? 202 : 200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  const requestsTo = (path: string) => requests.filter((request) => request.path.startsWith(path));

  async function channelForm(kind: string): Promise<Page> {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    await page.getByRole('link', { name: 'Channels' }).click();
    await page.getByRole('button', { name: 'Add channel' }).click();
    await page.getByLabel('Kind').selectOption(kind);
    return page;
  }

  const storedChannels = (page: Page) =>
    page.evaluate(
      async () => (await (await fetch('/api/v1/channels')).json()).channels as Array<{ kind: string; events: string[]; config: object }>,
    );

  /** Presses the card's "Send test" and waits for what it says. */
  async function sendTest(page: Page, name: string): Promise<void> {
    const card = page.locator('.card', { hasText: name });
    await explained(page, card.waitFor());
    await card.getByRole('button', { name: 'Send test' }).click();
    await explained(page, card.getByText('Test alert delivered.').waitFor());
  }

  it('adds a Discord channel whose webhook URL is never shown back, and sends a test embed to it', async () => {
    const page = await channelForm('discord');
    const hookPath = '/api/webhooks/1234567890/discord-token-not-to-show';
    const url = page.getByLabel('URL (required)');
    await expect(url.getAttribute('type')).resolves.toBe('password');
    await expect(url.getAttribute('autocomplete')).resolves.toBe('new-password');
    await page.getByText('The channel webhook URL Discord gave').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Ops Discord');
    await url.fill(`${receiver.url}${hookPath}`);
    await page.getByLabel('Username').fill('Cronbeat');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await sendTest(page, 'Ops Discord');

    expect(await storedChannels(page)).toMatchObject([{ kind: 'discord', config: { url: { set: true }, username: 'Cronbeat' } }]);
    await expect(page.content()).resolves.not.toContain('discord-token-not-to-show');
    await screenshot(page, `channel-discord.png`, { fullPage: true });

    const [sent] = requestsTo(hookPath);
    expect(sent?.method).toBe('POST');
    expect(sent?.headers['content-type']).toMatch(/^application\/json/);
    const message = JSON.parse(sent?.body ?? '{}');
    expect(message).toMatchObject({ username: 'Cronbeat', allowed_mentions: { parse: [] } });
    expect(message.content).toContain('Test alert for channel');
    expect(message.embeds).toHaveLength(1);
  });

  it('adds a PagerDuty channel with a severity and the local Events API, refusing a bad routing key beside its field', async () => {
    const page = await channelForm('pagerduty');
    const routingKey = page.getByLabel('Routing key (required)');
    await expect(routingKey.getAttribute('type')).resolves.toBe('password');
    await page.getByLabel('Name', { exact: true }).fill('Pager');
    await routingKey.fill('too-short');
    await page.getByLabel('Severity').selectOption('warning');
    await page.getByLabel('Base URL').fill(receiver.url);
    // The kind's own default events: an incident tool is not sent late alerts unless asked.
    await expect(page.getByRole('checkbox', { name: /^Late/ }).isChecked()).resolves.toBe(false);
    await expect(page.getByRole('checkbox', { name: /^Still down/ }).isChecked()).resolves.toBe(true);
    await page.getByRole('checkbox', { name: /^Up/ }).uncheck();
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    // The API's refusal of config.routingKey is shown beside that field.
    const fieldError = page.locator('.field', { has: page.getByLabel('Routing key (required)') }).locator('.field-error');
    await expect(fieldError.textContent()).resolves.toMatch(/routingKey/);

    const key = 'R0ut1ngKeyR0ut1ngKeyR0ut1ngKey12';
    await routingKey.fill(key);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await sendTest(page, 'Pager');

    expect(await storedChannels(page)).toMatchObject([
      {
        kind: 'pagerduty',
        events: ['down', 'still_down'],
        config: { routingKey: { set: true }, severity: 'warning', baseUrl: receiver.url },
      },
    ]);
    await expect(page.content()).resolves.not.toContain(key);

    // https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
    const [sent, resolved] = requestsTo('/v2/enqueue');
    // A test leaves no incident open: its trigger is resolved at once under the same key.
    expect(JSON.parse(resolved?.body ?? '{}')).toEqual({
      routing_key: key,
      event_action: 'resolve',
      dedup_key: JSON.parse(sent?.body ?? '{}').dedup_key,
    });
    expect(sent?.method).toBe('POST');
    expect(sent?.headers['content-type']).toMatch(/^application\/json/);
    const event = JSON.parse(sent?.body ?? '{}');
    expect(event).toMatchObject({ routing_key: key, event_action: 'trigger', payload: { severity: 'warning' } });
    expect(event.dedup_key).toMatch(/^cronbeat-test-/);
    expect(event.payload.summary).toContain('Test alert for channel');
  });

  it('adds a templated webhook whose headers stay secret, and sends its body with the check name filled in', async () => {
    const page = await channelForm('templated-webhook');
    await page.getByLabel('Name', { exact: true }).fill('Custom hook');
    await page.getByLabel('URL (required)').fill(`${receiver.url}/templated`);
    await page.getByLabel('Method').selectOption('PUT');
    await page.getByLabel('Headers').fill('Authorization: Bearer header-secret-not-to-show\nX-Team: ops');
    await page.getByLabel('Body template (required)').fill('{"text": "{{check.name}} needs you", "source": "cronbeat"}');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await sendTest(page, 'Custom hook');

    expect(await storedChannels(page)).toMatchObject([
      { kind: 'templated-webhook', config: { url: `${receiver.url}/templated`, method: 'PUT', headers: { set: true } } },
    ]);
    await expect(page.content()).resolves.not.toContain('header-secret-not-to-show');

    const [sent] = requestsTo('/templated');
    expect(sent?.method).toBe('PUT');
    expect(sent?.headers.authorization).toBe('Bearer header-secret-not-to-show');
    expect(sent?.headers['x-team']).toBe('ops');
    expect(sent?.headers['content-type']).toMatch(/^application\/json/);
    // The check's name, quotes and all, stays valid JSON inside the string.
    expect(JSON.parse(sent?.body ?? '')).toEqual({ text: 'Test alert for channel "Custom hook" needs you', source: 'cronbeat' });
  });

  it('says a header line that is not "Name: value" beside the headers field', async () => {
    const page = await channelForm('templated-webhook');
    await page.getByLabel('URL (required)').fill(`${receiver.url}/templated`);
    await page.getByLabel('Headers').fill('no colon here');
    await page.getByLabel('Body template (required)').fill('{}');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(page.locator('.field-error').textContent()).resolves.toBe('line 1 must read Name: value');
  });
});
