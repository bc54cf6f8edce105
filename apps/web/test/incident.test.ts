import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import { eventually } from '@cronbeat/notify/testing';
import { type RunningWorker, start as startWorker } from '@cronbeat/worker';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, explained, freshPage, PASSWORD, screenshot, signUp, skipBrowser, uniqueEmail, useDashboard } from './harness';

/** The output of the failing run: 30 lines, markup among them that must show as text, the cause last. */
const OUTPUT = [
  ...Array.from({ length: 27 }, (_, i) => `copying chunk ${i + 1}`),
  '<script>window.pwned = true</script>',
  '<b>not bold</b>',
  'ERROR: disk full on /var/backups',
].join('\n');

/**
 * A down check's page leads with the incident: why, the failing run's
 * output, who was notified (a real webhook receiver, delivered by a real
 * worker), who acknowledged it; the incident has its own timeline from the
 * flip to down until the recovery; a read-only member sees it all without
 * a button. One signed-in context: the owner, then, signed in again in the
 * same context, a read-only member.
 */
describe.skipIf(skipBrowser)('incidents in Chromium', () => {
  // The receiver listens on loopback, which channels reach only when the operator allows it.
  const run = useDashboard({ ALLOW_PRIVATE_TARGETS: '127.0.0.0/8' });
  let worker: RunningWorker;
  let receiver: Server;
  let receiverUrl = '';
  /** Bodies the working hook received; the gone hook answers 410, a permanent failure. */
  const received: string[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => {
        if (request.url === '/gone') return response.writeHead(410, { 'content-type': 'text/plain' }).end('gone');
        received.push(body);
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    worker = await startWorker(
      run.cronbeat.config,
      { database: run.cronbeat.database, logger: pino({ level: 'silent' }) },
      { maxSleepMs: 200 },
    );
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  /** What axe (WCAG 2.1 A and AA) finds serious or critical on the page as it is now. */
  async function seriousViolations(page: Page): Promise<string[]> {
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
  }

  /** A session of a new person, made outside the browser: its cookie header. */
  async function signUpElsewhere(email: string): Promise<string> {
    const response = await fetch(`${run.cronbeat.url}/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: run.cronbeat.url },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(response.status).toBe(201);
    return response.headers
      .getSetCookie()
      .map((cookie) => cookie.split(';')[0])
      .join('; ');
  }

  it('leads with why, the output, the delivery and the acknowledgement; the incident view runs from the flip to the recovery', async () => {
    const page = await freshPage(run.browser);
    const ownerEmail = await signUp(page, run.cronbeat.url);
    const channel = await callApi<{ id: string }>(page, 'POST', '/api/v1/channels', {
      kind: 'webhook',
      name: 'Ops hook',
      config: { url: `${receiverUrl}/hook` },
    });
    const gone = await callApi<{ id: string }>(page, 'POST', '/api/v1/channels', {
      kind: 'webhook',
      name: 'Old hook',
      config: { url: `${receiverUrl}/gone` },
    });
    const check = await callApi<{ id: string; pingUrl: string }>(page, 'POST', '/api/v1/checks', {
      name: 'Nightly backup',
      channels: [channel.id, gone.id],
    });
    expect((await fetch(`${check.pingUrl}/2`, { method: 'POST', body: OUTPUT })).status).toBe(200);
    await eventually(() => received.length >= 1, 15_000, 'the DOWN webhook');
    expect(JSON.parse(received[0]!)).toMatchObject({ event: 'check.down' });

    await page.goto(`${run.cronbeat.url}/checks/${check.id}`);
    const banner = page.locator('.down-banner');
    await explained(page, banner.waitFor({ timeout: 15_000 }));
    await expect(banner.locator('.down-why').textContent()).resolves.toBe('Failed: the job reported a failure with exit status 2.');
    const output = banner.locator('.incident-output pre');
    await output.waitFor();
    const shown = (await output.textContent()) ?? '';
    // The last 20 of 30 lines, the markup as the job wrote it: text, never elements.
    expect(shown.split('\n')).toEqual(OUTPUT.split('\n').slice(10));
    await expect(output.locator('script, b').count()).resolves.toBe(0);
    expect(await page.evaluate(() => (window as { pwned?: boolean }).pwned)).toBeUndefined();
    await expect(banner.locator('.incident-output figcaption').textContent()).resolves.toBe(
      'Output of the failing run (ping #1, last lines; 10 earlier not shown)',
    );
    // Each channel's outcome, by name: the failed one with why, its symbol beside the word.
    const delivered = banner.locator('.alert-outcome');
    await explained(page, delivered.filter({ hasText: 'failed' }).waitFor({ timeout: 15_000 }));
    await explained(page, delivered.filter({ hasText: 'sent' }).waitFor({ timeout: 15_000 }));
    await expect(delivered.allTextContents()).resolves.toEqual([
      '✕ Old hook (webhook): failed · HTTP 410 · webhook: HTTP 410 Gone',
      '✓ Ops hook (webhook): sent · HTTP 200',
    ]);

    // Acknowledge: the banner says who, the button goes, and the API agrees.
    await banner.getByRole('button', { name: 'Acknowledge' }).click();
    const acknowledged = banner.locator('.down-acknowledged');
    await explained(page, acknowledged.waitFor());
    await expect(acknowledged.textContent()).resolves.toMatch(
      new RegExp(`^Acknowledged by ${ownerEmail.replaceAll('.', '\\.')} .+: no more reminders until it is back up\\.$`),
    );
    await expect(banner.getByRole('button', { name: 'Acknowledge' }).count()).resolves.toBe(0);
    const { flips } = await callApi<{ flips: Array<{ id: number; to: string; acknowledgedBy: string | null }> }>(
      page,
      'GET',
      `/api/v1/checks/${check.id}/flips`,
    );
    expect(flips[0]).toMatchObject({ to: 'down', acknowledgedBy: ownerEmail });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, `incident-banner.png`, { fullPage: true });

    const incidentPath = `/checks/${check.id}/incidents/${flips[0]!.id}`;
    await expect(banner.getByRole('link', { name: 'Incident timeline' }).getAttribute('href')).resolves.toBe(incidentPath);

    // Back up, and the recovery delivered; the incident view, opened from the check's history, runs from the flip to the recovery.
    expect((await fetch(check.pingUrl, { method: 'POST', body: 'backup done' })).status).toBe(200);
    // What the last look found, for the failure message: a timeout alone would not say how far it got.
    let lastSeen = 'no recovery flip yet';
    await eventually(
      async () => {
        const [recovery] = (await callApi<{ flips: Array<{ id: number; to: string }> }>(page, 'GET', `/api/v1/checks/${check.id}/flips`))
          .flips;
        if (recovery?.to !== 'up') return false;
        const { deliveries } = await callApi<{ deliveries: Array<{ outcome: string }> }>(
          page,
          'GET',
          `/api/v1/checks/${check.id}/flips/${recovery.id}/deliveries`,
        );
        lastSeen = `the recovery's deliveries: ${JSON.stringify(deliveries)}`;
        return ['sent', 'failed'].every((outcome) => deliveries.some((attempt) => attempt.outcome === outcome));
      },
      30_000,
      'the UP webhook delivered to one hook and refused by the other',
    ).catch((error: Error) => {
      throw new Error(`${error.message}; ${lastSeen}`);
    });
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    await page.locator('.timeline .incident-link').click();
    expect(new URL(page.url()).pathname).toBe(incidentPath);
    await page.getByRole('heading', { name: 'Incident of Nightly backup', level: 1 }).waitFor();
    const events = page.locator('.incident-events > li');
    await explained(page, events.filter({ hasText: 'from down' }).waitFor({ timeout: 15_000 }));
    const eventTexts = (await events.allTextContents()).map((text) => text.replace(/^.*?\d{2}:\d{2}:\d{2}\s*/, ''));
    expect(eventTexts.map((text) => text.split(' · ')[0]!.split(':')[0])).toEqual([
      'fail ping #1',
      '✕down from new',
      `Acknowledged by ${ownerEmail}`,
      'success ping #2',
      '✓up from down',
    ]);
    for (const flipEvent of [events.nth(1), events.nth(4)]) {
      await expect(flipEvent.locator('.deliveries li', { hasText: 'Ops hook' }).textContent()).resolves.toMatch(
        /Ops hook: sent · HTTP 200$/,
      );
      await expect(flipEvent.locator('.deliveries li', { hasText: 'Old hook' }).textContent()).resolves.toMatch(
        /Old hook: failed for good · HTTP 410 · webhook: HTTP 410 Gone$/,
      );
    }
    await expect(page.locator('.facts').textContent()).resolves.toContain(`Acknowledgedby ${ownerEmail}`);
    await expect(page.locator('.incident-output pre').textContent()).resolves.toContain('ERROR: disk full on /var/backups');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, `incident-view.png`, { fullPage: true });

    // A read-only member sees the banner of a new incident and no button; the API refuses them too.
    const readerEmail = uniqueEmail();
    const readerCookie = await signUpElsewhere(readerEmail);
    const invitation = await callApi<{ acceptUrl: string }>(page, 'POST', '/api/v1/projects/{project}/invitations', {
      email: readerEmail,
      role: 'readonly',
    });
    const accepted = await fetch(`${run.cronbeat.url}/api/v1/invitations/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: run.cronbeat.url, cookie: readerCookie },
      body: JSON.stringify({ token: new URL(invitation.acceptUrl).pathname.split('/').at(-1) }),
    });
    expect(accepted.status).toBe(200);
    const projectId = await page.evaluate(async () => (await (await fetch('/auth/me')).json()).projects[0].id as string);
    expect((await fetch(`${check.pingUrl}/fail`, { method: 'POST' })).status).toBe(200);
    const refused = await page.evaluate(
      async ({ email, password, checkId, project }) => {
        const login = await fetch('/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password }),
        });
        if (!login.ok) throw new Error(`log-in failed: ${login.status}`);
        localStorage.setItem('cronbeat.project', project);
        const answer = await fetch(`/api/v1/checks/${checkId}/acknowledge`, { method: 'POST', headers: { 'x-project-id': project } });
        return answer.status;
      },
      { email: readerEmail, password: PASSWORD, checkId: check.id, project: projectId },
    );
    expect(refused).toBe(403);
    await page.goto(`${run.cronbeat.url}/checks/${check.id}`);
    await explained(page, banner.locator('.down-why').waitFor({ timeout: 15_000 }));
    await banner.getByRole('link', { name: 'Incident timeline' }).waitFor();
    await banner.locator('.alert-outcome', { hasText: 'Ops hook' }).waitFor();
    for (const name of ['Acknowledge', 'Pause', 'Resume', 'Delete']) {
      await expect(page.getByRole('button', { name, exact: true }).count(), name).resolves.toBe(0);
    }
    await screenshot(page, `incident-banner-readonly.png`, { fullPage: true });
  }, 90_000);

  it('reads an ended incident once more and then no more, and says when the pings cannot be read', async () => {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    const check = await callApi<{ id: string; pingUrl: string }>(page, 'POST', '/api/v1/checks', { name: 'Weekly report', period: 3600 });
    expect((await fetch(`${check.pingUrl}/fail`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(check.pingUrl, { method: 'POST' })).status).toBe(200);
    const flipsNow = async () =>
      (await callApi<{ flips: Array<{ id: number; to: string }> }>(page, 'GET', `/api/v1/checks/${check.id}/flips`)).flips;
    await eventually(async () => (await flipsNow())[0]?.to === 'up', 15_000, 'the check back up');
    const down = (await flipsNow()).find((flip) => flip.to === 'down')!;
    const incidentUrl = `${run.cronbeat.url}/checks/${check.id}/incidents/${down.id}`;

    // Requests for the check, its flips and its pings (not the deliveries, which a new flip is still waiting for).
    const reads: string[] = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith(`/api/v1/checks/${check.id}`) && !path.includes('/deliveries')) reads.push(path);
    });
    const count = (suffix: string) => reads.filter((path) => path === `/api/v1/checks/${check.id}${suffix}`).length;
    await page.goto(incidentUrl);
    const events = page.locator('.incident-events > li');
    await explained(page, events.filter({ hasText: 'from down' }).waitFor());
    await expect(page.locator('.facts').textContent()).resolves.toContain('Ended');
    // Longer than the page's 10 s between reads of an ongoing incident.
    await page.waitForTimeout(12_000);
    expect([count(''), count('/flips'), count('/pings')]).toEqual([2, 1, 2]);

    // The pings cannot be read: the page says so rather than showing a timeline without them.
    await page.route(`**/api/v1/checks/${check.id}/pings?*`, (route) => route.abort());
    await page.reload();
    await explained(page, page.getByText(/^Could not load the pings, so none are shown \(.+\)\.$/).waitFor());
    expect(await events.filter({ hasText: 'ping #' }).count()).toBe(0);
    await events.filter({ hasText: 'from down' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  }, 60_000);
});
