import AxeBuilder from '@axe-core/playwright';
import { checks } from '@cronbeat/db';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { callApi, DESKTOP, explained, freshPage, keepOpen, PHONE, signUp, skipBrowser, useDashboard } from './harness';

/**
 * axe-core on every dashboard screen, on a desktop in the light colour scheme
 * and on a 390 px phone in the dark one: each layout and each scheme once (an
 * analysis costs about a second of CPU, and a contrast failure of one scheme
 * shows in either layout). A serious or critical violation fails the test
 * with every one listed; lesser ones are not the bar (issue #26).
 */
describe.skipIf(skipBrowser)('accessibility of every screen (axe) in Chromium', () => {
  const run = useDashboard();
  const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

  /** The serious and critical violations on the page as it is now, one line each. */
  async function violations(page: Page, screen: string): Promise<string[]> {
    const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .flatMap((violation) =>
        violation.nodes.map(
          (node) => `${screen}: ${violation.id} (${violation.impact}) at ${node.target.join(' ')}: ${node.failureSummary}`,
        ),
      );
  }

  interface Seeded {
    up: string;
    down: string;
    joinUrl: string;
  }

  /** One check in each status (up and down with pings), a channel and an invitation. */
  async function seed(page: Page): Promise<Seeded> {
    const create = (name: string) => callApi<{ id: string; pingUrl: string }>(page, 'POST', '/api/v1/checks', { name, tags: ['billing'] });
    const up = await create('Nightly backup');
    const down = await create('Invoice export');
    const late = await create('Cache warmer');
    const paused = await create('Old importer');
    await create('Fresh job');
    expect((await fetch(`${up.pingUrl}/start`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(up.pingUrl, { method: 'POST', body: 'backup done' })).status).toBe(200);
    expect((await fetch(down.pingUrl, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`${down.pingUrl}/start`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`${down.pingUrl}/3`, { method: 'POST', body: 'export failed: disk full' })).status).toBe(200);
    await callApi(page, 'POST', `/api/v1/checks/${paused.id}/pause`, {});
    // Late needs a sweep after the period: set it as the sweep would.
    await run.cronbeat.database.db.update(checks).set({ status: 'late' }).where(eq(checks.id, late.id));
    await callApi(page, 'POST', '/api/v1/channels', { kind: 'email', name: 'On-call mail', config: { to: ['oncall@example.com'] } });
    const invitation = await callApi<{ acceptUrl: string }>(page, 'POST', '/api/v1/projects/{project}/invitations', {
      email: 'teammate@example.com',
      role: 'member',
    });
    return { up: up.id, down: down.id, joinUrl: invitation.acceptUrl };
  }

  const VARIANTS = [
    { name: 'desktop light', viewport: DESKTOP, colorScheme: 'light' },
    { name: 'phone dark', viewport: PHONE, colorScheme: 'dark' },
  ] as const;

  /** The signed-in page, a signed-out one and what was seeded: made by the first test, used by the rest. */
  let person: Page;
  let visitor: Page;
  let seeded: Seeded;
  const at = (variant: (typeof VARIANTS)[number], screen: string) => `${variant.name} ${screen}`;

  async function show(variant: (typeof VARIANTS)[number], ...pages: Page[]) {
    for (const page of pages) {
      await page.setViewportSize(variant.viewport);
      await page.emulateMedia({ colorScheme: variant.colorScheme });
    }
  }

  /** Goes to `path`, waits for `ready`, and returns what axe finds there. */
  async function visit(page: Page, screen: string, path: string, ready: (page: Page) => Promise<unknown>): Promise<string[]> {
    await page.goto(`${run.cronbeat.url}${path}`);
    await explained(page, ready(page));
    return violations(page, screen);
  }
  const heading = (name: string) => (page: Page) => page.getByRole('heading', { name, exact: true }).first().waitFor();

  it('finds none on the empty checks list of a new person, in both layouts and colour schemes', async () => {
    person = keepOpen(await freshPage(run.browser));
    visitor = keepOpen(await freshPage(run.browser));
    await signUp(person, run.cronbeat.url);
    const found: string[] = [];
    for (const variant of VARIANTS) {
      await show(variant, person);
      found.push(...(await visit(person, at(variant, 'checks list (empty)'), '/', heading('No checks yet'))));
    }
    expect(found).toEqual([]);
    seeded = await seed(person);
  }, 60_000);

  for (const variant of VARIANTS) {
    it(`finds none on any screen, signed out or in, on ${variant.name}`, async () => {
      await show(variant, person, visitor);
      const found = [
        ...(await visit(visitor, at(variant, 'sign-in'), '/login', heading('Log in'))),
        ...(await visit(visitor, at(variant, 'sign-up'), '/signup', heading('Create your account'))),
        ...(await visit(visitor, at(variant, 'join, signed out'), new URL(seeded.joinUrl).pathname, (page) =>
          page.locator('main h1').waitFor(),
        )),
        ...(await visit(person, at(variant, 'join, signed in'), new URL(seeded.joinUrl).pathname, (page) =>
          page.getByRole('button', { name: /^Join / }).waitFor(),
        )),
        ...(await visit(person, at(variant, 'checks list'), '/', (page) => page.locator('tr[data-status="late"]').waitFor())),
        ...(await visit(person, at(variant, 'check page (up)'), `/checks/${seeded.up}`, (page) =>
          page.locator('.page-head .status-up').waitFor(),
        )),
        ...(await visit(person, at(variant, 'check page (down)'), `/checks/${seeded.down}`, (page) =>
          page.locator('.page-head .status-down').waitFor(),
        )),
        ...(await visit(person, at(variant, 'check editor'), `/checks/${seeded.up}/edit`, (page) =>
          page.getByRole('button', { name: 'Save' }).waitFor(),
        )),
        ...(await visit(person, at(variant, 'new check'), '/checks/new', (page) =>
          page.getByRole('button', { name: 'Create check' }).waitFor(),
        )),
        ...(await visit(person, at(variant, 'channels'), '/channels', (page) => page.getByText('On-call mail').first().waitFor())),
      ];
      await person.getByRole('button', { name: 'Add channel' }).click();
      await person.getByLabel('Kind').waitFor();
      found.push(...(await violations(person, at(variant, 'channels, add form'))));
      await person.goto(`${run.cronbeat.url}/channels`);
      await person.getByRole('button', { name: 'Edit', exact: true }).click();
      await person.getByRole('button', { name: 'Cancel' }).first().waitFor();
      found.push(
        ...(await violations(person, at(variant, 'channels, edit form'))),
        ...(await visit(person, at(variant, 'maintenance'), '/maintenance', heading('Maintenance'))),
        ...(await visit(person, at(variant, 'settings and members'), '/settings', (page) =>
          page.getByText('teammate@example.com').first().waitFor(),
        )),
        ...(await visit(person, at(variant, 'account'), '/account', heading('Summary reports'))),
        ...(await visit(person, at(variant, 'new project'), '/projects/new', (page) => page.getByLabel('Project name').waitFor())),
        ...(await visit(person, at(variant, 'not found'), '/no/such/page', (page) => page.locator('main h1').waitFor())),
      );
      expect(found).toEqual([]);
    }, 120_000);
  }

  it('shows every status with a symbol and a word, not colour alone, in the list and on a check page', async () => {
    await show(VARIANTS[0], person);
    await person.goto(run.cronbeat.url);
    await person.locator('tr[data-status="late"]').waitFor();
    const statuses = (scope: string) =>
      person
        .locator(`${scope} .status`)
        .evaluateAll((shown) =>
          shown.map((status) => [
            status.querySelector('.status-symbol')?.textContent?.trim(),
            status.querySelector('.status-word')?.textContent,
          ]),
        );
    expect((await statuses('.checks')).sort()).toEqual(
      [
        ['!', 'late'],
        ['○', 'new'],
        ['✓', 'up'],
        ['✕', 'down'],
        ['❚❚', 'paused'],
      ].sort(),
    );
    await person.goto(`${run.cronbeat.url}/checks/${seeded.down}`);
    await person.locator('.page-head .status-down').waitFor();
    await expect(statuses('.page-head')).resolves.toEqual([['✕', 'down']]);
    // The duration chart tells a failed run by its shape too (a diamond, which its legend names), and lists it in words.
    await expect(person.locator('.chart-legend').textContent()).resolves.toContain('◆ failed (1)');
    await expect(person.locator('.chart table td', { hasText: 'failed' }).count()).resolves.toBe(1);
  });

  it('outlines whatever has the keyboard focus, on every stop of the checks list and a check page', async () => {
    for (const path of ['/', `/checks/${seeded.down}`]) {
      await person.goto(`${run.cronbeat.url}${path}`);
      await person.locator('main h1').waitFor();
      let outlined = 0;
      for (let stop = 0; stop < 25; stop++) {
        await person.keyboard.press('Tab');
        const focused = await person.evaluate(() => {
          const element = document.activeElement as HTMLElement | null;
          if (!element || element === document.body) return null;
          const style = getComputedStyle(element);
          return { what: element.outerHTML.slice(0, 80), outline: `${style.outlineStyle} ${style.outlineWidth}` };
        });
        if (focused === null) break;
        expect(focused.outline, focused.what).toBe('solid 3px');
        outlined++;
      }
      // The walk reached the page's controls, not just the skip link.
      expect(outlined, path).toBeGreaterThan(8);
    }
  });
});
