import { checks } from '@cronbeat/db';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  acceptNextDialog,
  createCheck as createCheckIn,
  DESKTOP,
  explained,
  freshPage,
  PHONE,
  screenshot,
  signUp,
  skipBrowser,
  useDashboard,
} from './harness';

describe.skipIf(skipBrowser)('dashboard in Chromium', () => {
  const run = useDashboard();

  /** A new browser context (no cookies) signed up as a new person, on the checks list. */
  async function signedUpPage(viewport = DESKTOP, locale?: string): Promise<Page> {
    const page = await freshPage(run.browser, viewport, locale);
    await signUp(page, run.cronbeat.url);
    return page;
  }

  const createCheck = (page: Page, name: string, presetLabel?: string) => createCheckIn(page, run.cronbeat.url, name, presetLabel);

  /** The errors a form shows, for failure messages. */
  const shownErrors = (page: Page) => page.locator('.error').allTextContents();

  it('takes a newcomer from sign-up to a check that shows up without a reload once pinged', async () => {
    const page = await signedUpPage();
    // The list heading shows before the checks have loaded; the empty state follows once they have.
    await page.getByRole('heading', { name: 'No checks yet' }).waitFor();
    await page.getByRole('link', { name: 'Create your first check' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Nightly backup');
    await page.getByLabel('Tags').fill('prod db');
    await page.getByRole('button', { name: '5 minutes', exact: true }).click();
    await page.getByRole('button', { name: 'Create check' }).click();
    await page
      .getByTestId('ping-url')
      .waitFor()
      .catch(async (error: Error) => {
        throw new Error(`${error.message}; the page shows: ${(await shownErrors(page)).join(' | ')}`);
      });
    const pingUrl = await page.getByTestId('ping-url').textContent();
    expect(pingUrl).toMatch(new RegExp(`^${run.cronbeat.url}/ping/[0-9a-f-]{36}$`));
    await screenshot(page, `check-page.png`, { fullPage: true });

    await page.getByRole('link', { name: '← Checks' }).click();
    const row = page.locator('tr', { hasText: 'Nightly backup' });
    await expect(row.locator('.schedule').textContent()).resolves.toBe('every 5 minutes');
    await expect(row.getAttribute('data-status')).resolves.toBe('new');
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });

    const response = await fetch(pingUrl!, { method: 'POST', body: 'backup done' });
    expect(response.status).toBe(200);

    await page.locator('tr[data-status="up"]', { hasText: 'Nightly backup' }).waitFor({ timeout: 15_000 });
    await expect(row.locator('.status-word').textContent()).resolves.toBe('up');
    await expect(page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).resolves.toBe(true);
    await screenshot(page, `checks-list.png`, { fullPage: true });
  });

  it('links every page to the API and ping URL reference the server serves', async () => {
    const page = await signedUpPage();
    const link = page.getByRole('link', { name: 'API and ping URL reference' });
    await expect(link.getAttribute('href')).resolves.toBe('/docs/');
    await link.click();
    await page.waitForURL(/\/docs\/?/);
    const spec = await page.evaluate(async () => (await fetch('/api/v1/openapi.json')).json());
    expect(Object.keys(spec.paths)).toContain('/ping/{a}');
  });

  it("shows admins the project's ping key in Settings with the slug URL form, and the new key after rotating", async () => {
    const page = await signedUpPage();
    await page.getByRole('link', { name: 'Settings' }).click();
    const key = page.getByTestId('ping-key');
    await key.waitFor();
    const projects = await page.evaluate(async () => (await fetch('/api/v1/projects')).json());
    const projectId = projects.projects[0].id;
    const before = (await page.evaluate(async (id) => (await fetch(`/api/v1/projects/${id}`)).json(), projectId)).pingKey;
    await expect(key.textContent()).resolves.toBe(before);
    await expect(page.getByTestId('slug-ping-url').textContent()).resolves.toBe(`${run.cronbeat.url}/ping/${before}/<slug>`);

    acceptNextDialog(page);
    await page.getByRole('button', { name: 'Rotate ping key' }).click();
    await expect.poll(() => key.textContent()).not.toBe(before);
    const after = (await page.evaluate(async (id) => (await fetch(`/api/v1/projects/${id}`)).json(), projectId)).pingKey;
    await expect(key.textContent()).resolves.toBe(after);
  });

  it('shows an inline error for an invalid cron expression and the next runs for a valid one', async () => {
    const page = await signedUpPage();
    await page.goto(`${run.cronbeat.url}/checks/new`);
    await page.getByLabel('Cron expression').first().check();
    const cron = page.getByRole('textbox', { name: 'Cron expression' });
    await cron.fill('61 * * * *');
    await expect(page.locator('.field-error').textContent()).resolves.toContain('minutes part must be >= 0 and <= 59');
    await expect(cron.getAttribute('aria-invalid')).resolves.toBe('true');

    await cron.fill('30 2 * * *');
    await page.getByLabel('Time zone').fill('Europe/Riga');
    await expect(page.locator('.cron-words').textContent()).resolves.toBe('At 02:30, Europe/Riga');
    await page.locator('.next-runs li').nth(4).waitFor({ timeout: 5_000 });
    await expect(page.locator('.next-runs li').count()).resolves.toBe(5);
    await expect(page.locator('.next-runs li').first().textContent()).resolves.toMatch(/02:30 Europe\/Riga$/);
    await screenshot(page, `editor.png`, { fullPage: true });
  });

  it('flags an unknown time zone as you type, offers the zones it may mean, and will not save it', async () => {
    const page = await signedUpPage();
    await page.goto(`${run.cronbeat.url}/checks/new`);
    await page.getByLabel('Name', { exact: true }).fill('Nightly backup');
    await page.getByLabel('Cron expression').first().check();
    await page.getByRole('textbox', { name: 'Cron expression' }).fill('30 2 * * *');
    const zone = page.getByRole('combobox', { name: 'Time zone' });
    await zone.fill('Europe/Berln');
    await expect(page.locator('#tz-help .field-error').textContent()).resolves.toBe('"Europe/Berln" is not a time zone.');
    await expect(zone.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('.next-runs').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Create check' }).click();
    await page.getByText('Please correct the fields marked below.').waitFor();
    await expect(page.locator('#tz-help .field-error').textContent()).resolves.toBe('"Europe/Berln" is not a time zone.');

    await page.locator('#tz-help').getByRole('button', { name: 'Europe/Berlin' }).click();
    await expect(zone.inputValue()).resolves.toBe('Europe/Berlin');
    await expect(page.locator('#tz-help').textContent()).resolves.toBe('');
    await page.locator('.next-runs li').first().waitFor({ timeout: 5_000 });
    await page.getByRole('button', { name: 'Create check' }).click();
    await explained(page, page.getByTestId('ping-url').waitFor());
    const id = new URL(page.url()).pathname.split('/').at(-1);
    const saved = await page.evaluate(async (checkId) => (await fetch(`/api/v1/checks/${checkId}`)).json(), id);
    expect(saved).toMatchObject({ cron: '30 2 * * *', tz: 'Europe/Berlin' });
  });

  it('takes period, grace and max runtime as durations with units, says what is wrong in the same words, and sets alerting when late', async () => {
    const page = await signedUpPage();
    await page.goto(`${run.cronbeat.url}/checks/new`);
    await page.getByLabel('Name', { exact: true }).fill('Billing export');
    const period = page.getByRole('textbox', { name: 'Period' });
    await period.fill('90 minutes');
    await expect(page.locator('#period-help').textContent()).resolves.toBe(
      'Period "90 minutes" is not a duration: a number and a unit, e.g. 90s, 15m, 2h, 1d',
    );
    await period.fill('30s');
    await expect(page.locator('#period-help').textContent()).resolves.toBe('Period must be between 1m and 365d, got 30s');
    await page.getByRole('button', { name: 'Create check' }).click();
    await page.getByText('Please correct the fields marked below.').waitFor();

    await period.fill('90m');
    await expect(page.locator('#period-help').textContent()).resolves.toBe('Expects a ping every 90 minutes.');
    await page.getByLabel('Grace', { exact: true }).fill('15m');
    await page.getByLabel('Max runtime').fill('2h');
    await page.getByLabel('Alert when late').check();
    await page.getByRole('button', { name: 'Create check' }).click();
    await explained(page, page.getByTestId('ping-url').waitFor());
    const id = new URL(page.url()).pathname.split('/').at(-1);
    const saved = await page.evaluate(async (checkId) => (await fetch(`/api/v1/checks/${checkId}`)).json(), id);
    expect(saved).toMatchObject({ period: 5400, grace: 900, maxRuntime: 7200, alertOnLate: true });

    await page.goto(`${run.cronbeat.url}/checks/${id}/edit`);
    await expect(page.getByRole('textbox', { name: 'Period' }).inputValue()).resolves.toBe('90m');
    await expect(page.getByLabel('Grace', { exact: true }).inputValue()).resolves.toBe('15m');
    await expect(page.getByLabel('Max runtime').inputValue()).resolves.toBe('2h');
    await expect(page.getByLabel('Alert when late').isChecked()).resolves.toBe(true);
  });

  it("shows a schedule's next runs in the browser's own locale, in the schedule's zone, naming it", async () => {
    for (const [locale, time] of [
      ['en-US', /2:30\sAM Europe\/Riga$/],
      ['de-DE', /\d{2}\.\d{2}\.\d{4}, 02:30 Europe\/Riga$/],
    ] as const) {
      const page = await signedUpPage(DESKTOP, locale);
      await page.goto(`${run.cronbeat.url}/checks/new`);
      await page.getByLabel('Cron expression').first().check();
      await page.getByRole('textbox', { name: 'Cron expression' }).fill('30 2 * * *');
      await page.getByLabel('Time zone').fill('Europe/Riga');
      // The preview first shows the runs in the zone it had before the field was filled; wait for it to settle.
      await page
        .waitForFunction((pattern) => new RegExp(pattern).test(document.querySelector('.next-runs li')?.textContent ?? ''), time.source, {
          timeout: 5_000,
        })
        .catch(() => {});
      await expect(page.locator('.next-runs li').first().textContent(), locale).resolves.toMatch(time);
    }
  });

  it('renders a check named like an HTML tag as text', async () => {
    const page = await signedUpPage();
    const name = '<img src=x onerror=alert(1)>';
    await createCheck(page, name);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(name);
    await page.goto(run.cronbeat.url);
    await expect(page.locator('.check-name').first().textContent()).resolves.toBe(name);
    await expect(page.locator('img').count()).resolves.toBe(0);
  });

  it('lays the list out for a phone-width screen', async () => {
    const page = await signedUpPage(PHONE);
    await createCheck(page, 'Hourly sync', '1 hour');
    await page.goto(run.cronbeat.url);
    await page.locator('.check-name', { hasText: 'Hourly sync' }).waitFor();
    const overflows = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflows).toBe(false);
    await screenshot(page, `checks-list-phone.png`, { fullPage: true });
  });

  it('adds an email channel that every check alerts by default', async () => {
    const page = await signedUpPage();
    await createCheck(page, 'Invoice run');
    await createCheck(page, 'Stock sync');
    await page.getByRole('link', { name: 'Channels' }).click();
    await page.getByRole('button', { name: 'Add channel' }).click();
    await expect(page.getByRole('checkbox', { name: 'Attach to all checks' }).isChecked()).resolves.toBe(true);
    await page.getByLabel('Email address').fill('oncall@example.com');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const card = page.locator('.card', { hasText: 'oncall@example.com' });
    await explained(page, card.getByText('Checks that alert here (2)').waitFor());
    await card.getByText('Checks that alert here (2)').click();
    await expect(card.getByLabel('Invoice run').isChecked()).resolves.toBe(true);
    await expect(card.getByLabel('Stock sync').isChecked()).resolves.toBe(true);
  });

  it('adds an email channel attached to no check when unticked, then lets one check alert through it', async () => {
    const page = await signedUpPage();
    await createCheck(page, 'Invoice run');
    await page.getByRole('link', { name: 'Channels' }).click();
    await page.getByRole('button', { name: 'Add channel' }).click();
    await page.getByLabel('Email address').fill('oncall@example.com');
    await page.getByRole('checkbox', { name: 'Attach to all checks' }).uncheck();
    await page.getByText('No check alerts this channel until you choose some on its card.').waitFor();
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const card = page.locator('.card', { hasText: 'oncall@example.com' });
    await card.waitFor();
    await card.getByText('Checks that alert here (0)').click();
    await card.getByLabel('Invoice run').click();
    await card.getByText('Checks that alert here (1)').waitFor();
  });

  it('adds a webhook channel with a signing secret, and says what is wrong with a short one', async () => {
    const page = await signedUpPage();
    await page.getByRole('link', { name: 'Channels' }).click();
    await page.getByRole('button', { name: 'Add channel' }).click();
    await page.getByLabel('Kind').selectOption('webhook');
    await page.getByLabel('URL').fill('https://hooks.example.com/cronbeat');
    const secret = page.getByLabel('Signing secret');
    await secret.fill('too-short');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(page.locator('.field-error').textContent()).resolves.toBe('secret must be 16 to 256 characters');

    await page.getByRole('button', { name: 'Generate a secret' }).click();
    const generated = await secret.inputValue();
    expect(generated).toMatch(/^[0-9a-f]{64}$/);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.locator('.card', { hasText: 'https://hooks.example.com/cronbeat' }).waitFor();
    const channels = await page.evaluate(async () => (await fetch('/api/v1/channels')).json());
    // The secret is write-only: the API says one is set, and nothing shows it back.
    expect(channels.channels).toMatchObject([
      { kind: 'webhook', config: { url: 'https://hooks.example.com/cronbeat', secret: { set: true } } },
    ]);
    await expect(page.content()).resolves.not.toContain(generated);
  });

  it('never leaves a check silently alerting nobody: warns on the project and the check, and ticks every channel for a new check', async () => {
    const page = await signedUpPage();
    await createCheck(page, 'Before any channel');
    await page.getByRole('link', { name: 'Checks', exact: true }).click();
    await page.getByText('This project has no channel yet, so no check can alert anyone.').waitFor();
    const row = (name: string) => page.locator('tr', { hasText: name });
    await expect(row('Before any channel').locator('.alerts-to').textContent()).resolves.toBe('Alerts nobody: no channel');

    await page.getByRole('link', { name: 'Channels' }).click();
    await page.getByRole('button', { name: 'Add channel' }).click();
    await page.getByLabel('Email address').fill('oncall@example.com');
    await page.getByLabel('Name').fill('On-call mail');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.locator('.card', { hasText: 'oncall@example.com' }).waitFor();

    await page.goto(`${run.cronbeat.url}/checks/new`);
    const box = page.getByRole('checkbox', { name: 'On-call mail (email)' });
    await expect.poll(() => box.isChecked()).toBe(true);
    await box.uncheck();
    await page.getByText('No channel chosen: this check will alert nobody.').waitFor();
    await box.check();
    await page.getByLabel('Name', { exact: true }).fill('After the channel');
    await page.getByRole('button', { name: 'Create check' }).click();
    await explained(page, page.getByTestId('ping-url').waitFor());

    await page.getByRole('link', { name: 'Checks', exact: true }).click();
    await expect.poll(() => row('After the channel').locator('.alerts-to').textContent()).toBe('Alerts On-call mail');
    // Adding the channel attached it to the check made before it (the form's default).
    await expect(row('Before any channel').locator('.alerts-to').textContent()).resolves.toBe('Alerts On-call mail');
    await expect(page.getByText('This project has no channel yet').count()).resolves.toBe(0);
  });

  it('shows status badges that the browser draws, for the project and each tag, changing with the checks', async () => {
    const page = await signedUpPage();
    await page.goto(`${run.cronbeat.url}/checks/new`);
    await page.getByLabel('Name', { exact: true }).fill('Billing export');
    await page.getByLabel('Tags').fill('billing');
    await page.getByRole('button', { name: '1 hour', exact: true }).click();
    await page.getByRole('button', { name: 'Create check' }).click();
    const pingUrl = (await page.getByTestId('ping-url').textContent())!;
    expect((await fetch(`${pingUrl}/fail`, { method: 'POST' })).status).toBe(200);

    await page.getByRole('link', { name: 'Settings' }).click();
    const section = page.locator('section[aria-labelledby="badges-title"]');
    const billing = section.locator('li', { hasText: 'Tag billing' });
    await explained(page, billing.waitFor());
    await expect(section.locator('.badge-name').allTextContents()).resolves.toEqual(['All checks', 'Tag billing']);
    // The image has loaded and has a size: the SVG is one a browser can draw.
    const image = billing.getByRole('img', { name: 'billing status' });
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), { timeout: 10_000 })
      .toBeGreaterThan(40);
    const json = await billing.getByRole('link', { name: 'JSON' }).getAttribute('href');
    await expect(fetch(json!).then((response) => response.json())).resolves.toMatchObject({ status: 'down', total: 1 });
    expect((await fetch(`${pingUrl}`, { method: 'POST' })).status).toBe(200);
    await expect(fetch(json!).then((response) => response.json())).resolves.toMatchObject({ status: 'up', total: 1 });
    await screenshot(page, `badges.png`, { fullPage: true });

    // Rotating the key moves every badge to a new address and retires the old one.
    acceptNextDialog(page);
    await section.getByRole('button', { name: 'Rotate badge key' }).click();
    await expect.poll(() => billing.getByRole('link', { name: 'JSON' }).getAttribute('href'), { timeout: 10_000 }).not.toBe(json);
    expect((await fetch(json!)).status).toBe(404);
  });

  it('draws a long list 100 rows at a time, paged by the server, while search still finds every check', async () => {
    const page = await signedUpPage();
    const projectId = await page.evaluate(
      async () => ((await (await fetch('/auth/me')).json()) as { projects: { id: string }[] }).projects[0]!.id,
    );
    await run.cronbeat.database.db.insert(checks).values(
      Array.from({ length: 250 }, (_, i) => ({
        projectId,
        name: `Bulk job ${String(i + 1).padStart(3, '0')}`,
        period: 3600,
        grace: 600,
      })),
    );
    await page.reload();
    // Made in one statement, they share a creation time and list in id order: count rows, not names.
    await page.locator('.checks tbody tr').nth(99).waitFor();
    await expect(page.locator('.checks tbody tr').count()).resolves.toBe(100);
    await page.getByRole('button', { name: 'Show 100 more of 250' }).click();
    await page.locator('.checks tbody tr').nth(199).waitFor();
    await page.getByRole('button', { name: 'Show 50 more of 250' }).click();
    await page.locator('.checks tbody tr').nth(249).waitFor();
    await expect(page.locator('.checks tbody tr').count()).resolves.toBe(250);
    await expect(page.getByRole('button', { name: /^Show \d+ more/ }).count()).resolves.toBe(0);

    await page.reload();
    await page.getByPlaceholder('Search by name').fill('Bulk job 249');
    // The search runs on the server: until its answer comes, the unfiltered first page (which may hold 249) is shown.
    await expect.poll(() => page.locator('.checks tbody tr').count(), { timeout: 15_000 }).toBe(1);
    await expect(page.locator('.check-name').textContent()).resolves.toContain('Bulk job 249');
  });

  it('shows keyboard focus, starting with a skip link to the content', async () => {
    const page = await signedUpPage();
    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement as HTMLElement;
        const style = getComputedStyle(element);
        const box = element.getBoundingClientRect();
        return {
          text: element.textContent,
          outline: `${style.outlineStyle} ${style.outlineWidth}`,
          onScreen: box.left >= 0 && box.top >= 0,
        };
      });
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toEqual({ text: 'Skip to content', outline: 'solid 3px', onScreen: true });
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toMatchObject({ text: 'Cronbeat', outline: 'solid 3px' });
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toMatchObject({ text: 'Checks', outline: 'solid 3px' });
    await screenshot(page, `focus.png`);
  });

  it('fits every screen on a phone without sideways scrolling', async () => {
    const page = await signedUpPage(PHONE);
    await createCheck(page, 'A check with a rather long name that has to wrap on a small screen', '1 day');
    const checkPath = new URL(page.url()).pathname;
    const screens: [string, string][] = [
      ['checks', '/'],
      ['check', checkPath],
      ['editor', `${checkPath}/edit`],
      ['channels', '/channels'],
      ['settings', '/settings'],
      ['account', '/account'],
      ['new-project', '/projects/new'],
    ];
    for (const [name, path] of screens) {
      await page.goto(`${run.cronbeat.url}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      // The checks list holds its event stream open, so the network is never idle there: wait for the stream instead.
      if (path === '/') await page.locator('[data-liveness="live"]').waitFor({ state: 'attached' });
      else await page.waitForLoadState('networkidle');
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), name).toBe(0);
      await screenshot(page, `${name}-phone.png`, { fullPage: true });
    }
  });
});
