/**
 * A public status page as an anonymous visitor sees it in Chromium: made in
 * Settings by the owner, read by someone with no session, without a script,
 * without a Content-Security-Policy violation, and without anything private.
 */
import AxeBuilder from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import { createCheck, explained, freshPage, signUp, skipBrowser, useDashboard } from './harness';

describe.skipIf(skipBrowser)('public status pages, in Chromium', () => {
  const run = useDashboard();

  it('shows an anonymous visitor the page made in Settings, under public names, with nothing private', async () => {
    const owner = await freshPage(run.browser);
    const email = await signUp(owner, run.cronbeat.url);
    await createCheck(owner, run.cronbeat.url, 'internal-db-backup-7');
    const checkId = new URL(owner.url()).pathname.split('/').at(-1) as string;
    const pingUrl = (await owner.getByTestId('ping-url').textContent()) ?? '';
    const pingCode = pingUrl.trim().split('/').at(-1) as string;
    expect(pingCode).toMatch(/\S{8,}/);

    await owner.getByRole('link', { name: 'Settings' }).click();
    const form = owner.getByRole('form', { name: 'New status page' });
    await form.getByLabel('Title').fill('Acme <jobs>');
    await form.getByLabel(/^Address/).fill('acme-status');
    await form.getByLabel('Description').fill('Nightly work & friends');
    await form.getByRole('checkbox', { name: 'internal-db-backup-7' }).check();
    await form.getByLabel('Public name of internal-db-backup-7').fill('Nightly backup');
    await form.getByRole('button', { name: 'Create status page' }).click();
    await explained(owner, owner.getByRole('link', { name: '/status/acme-status', exact: true }).waitFor());

    const visitor = await freshPage(run.browser);
    const violations: string[] = [];
    visitor.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const answer = await visitor.goto(`${run.cronbeat.url}/status/acme-status`);
    expect(answer?.status()).toBe(200);
    expect(answer?.headers()['cache-control']).toBe('public, max-age=30');
    await expect(visitor.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Acme <jobs>');
    await expect(visitor.getByText('Nightly work & friends').count()).resolves.toBe(1);
    await expect(visitor.getByText('Nightly backup', { exact: true }).count()).resolves.toBe(1);
    await expect(visitor.getByRole('status').textContent()).resolves.toBe('All systems operational');
    await expect(visitor.locator('.bar .cell').count()).resolves.toBe(90);
    // The stylesheet loaded (the CSP allows no inline style): the bar lays its days out in a row.
    await expect(visitor.locator('.bar').evaluate((bar) => getComputedStyle(bar).display)).resolves.toBe('flex');
    await expect(visitor.locator('script').count()).resolves.toBe(0);
    const shown = await visitor.content();
    for (const secret of [pingCode, checkId, email, 'internal-db-backup-7']) expect(shown).not.toContain(secret);
    expect(violations).toEqual([]);

    const json = await visitor.goto(`${run.cronbeat.url}/status/acme-status.json`);
    const body = (await json?.text()) ?? '';
    expect(JSON.parse(body)).toMatchObject({ title: 'Acme <jobs>', state: 'up', checks: [{ name: 'Nightly backup', state: 'pending' }] });
    for (const secret of [pingCode, checkId, email, 'internal-db-backup-7']) expect(body).not.toContain(secret);

    expect((await visitor.goto(`${run.cronbeat.url}/status/no-such-page`))?.status()).toBe(404);

    // The owner renames the check's public name and moves the page: the old address ends, the new one shows the change.
    await owner.getByRole('button', { name: 'Edit Acme <jobs>' }).click();
    const edit = owner.getByRole('form', { name: 'Edit status page Acme <jobs>' });
    await expect(edit.getByLabel('Public name of internal-db-backup-7').inputValue()).resolves.toBe('Nightly backup');
    await edit.getByLabel(/^Address/).fill('acme-moved');
    await edit.getByLabel('Public name of internal-db-backup-7').fill('Backups');
    await edit.getByRole('button', { name: 'Save status page' }).click();
    await explained(owner, owner.getByRole('link', { name: '/status/acme-moved', exact: true }).waitFor());
    // A visitor who saw the page may keep it up to 30 s (Cache-Control); a new one sees the change at once.
    const later = await freshPage(run.browser);
    expect((await later.goto(`${run.cronbeat.url}/status/acme-status`))?.status()).toBe(404);
    await later.goto(`${run.cronbeat.url}/status/acme-moved`);
    await expect(later.getByText('Backups', { exact: true }).count()).resolves.toBe(1);

    // The page is for everyone: axe (WCAG 2.1 A and AA) finds nothing on it, of any impact.
    const axe = await new AxeBuilder({ page: later }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(
      axe.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  });
});
