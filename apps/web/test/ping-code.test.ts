import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  acceptNextDialog,
  createCheck,
  explained,
  freshPage,
  PASSWORD,
  PHONE,
  screenshot,
  signUp,
  skipBrowser,
  uniqueEmail,
  useDashboard,
} from './harness';

describe.skipIf(skipBrowser)('ping URLs and what pings may create, in Chromium', () => {
  const run = useDashboard();

  const pingUrlOf = async (page: Page) => (await page.getByTestId('ping-url').textContent()) ?? '';
  const checkIdOf = (page: Page) => new URL(page.url()).pathname.split('/').at(-1) ?? '';

  it('shows a ping URL holding the ping code, not the check id, and rotates it after asking', async () => {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    await createCheck(page, run.cronbeat.url, 'Offsite sync');
    const before = await pingUrlOf(page);
    const id = checkIdOf(page);
    expect(before).toMatch(new RegExp(`^${run.cronbeat.url}/ping/[0-9a-f-]{36}$`));
    expect(before).not.toContain(id);
    expect((await fetch(before)).status).toBe(200);
    expect((await fetch(`${run.cronbeat.url}/ping/${id}`)).status).toBe(404);

    await page.getByRole('tab', { name: 'cronbeat run' }).click();
    const code = before.split('/ping/')[1]!;
    await expect(page.locator('#snippet-panel code').textContent()).resolves.toContain(`cronbeat run ${code} --`);

    acceptNextDialog(page);
    await page.getByRole('button', { name: 'Rotate ping URL' }).click();
    await explained(
      page,
      page.waitForFunction((old) => document.querySelector('[data-testid="ping-url"]')?.textContent !== old, before),
    );
    const after = await pingUrlOf(page);
    expect(after).toMatch(new RegExp(`^${run.cronbeat.url}/ping/[0-9a-f-]{36}$`));
    expect(after).not.toBe(before);
    expect((await fetch(before)).status).toBe(404);
    expect((await fetch(after)).status).toBe(200);
    await page.getByRole('tab', { name: 'cronbeat run' }).click();
    await expect(page.locator('#snippet-panel code').textContent()).resolves.toContain(`cronbeat run ${after.split('/ping/')[1]} --`);
    await screenshot(page, `check-page-rotated.png`, { fullPage: true });
  });

  it('keeps the ping URL when the question is declined', async () => {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    await createCheck(page, run.cronbeat.url, 'Log shipper');
    const before = await pingUrlOf(page);
    // The person answers "Cancel".
    await page.evaluate(() => {
      window.confirm = () => false;
    });
    await page.getByRole('button', { name: 'Rotate ping URL' }).click();
    await page.waitForTimeout(500);
    expect(await pingUrlOf(page)).toBe(before);
    expect((await fetch(before)).status).toBe(200);
  });

  it('shows a read-only member neither the ping URL, its code, nor a way to rotate it', async () => {
    const owner = await freshPage(run.browser);
    await signUp(owner, run.cronbeat.url);
    await createCheck(owner, run.cronbeat.url, 'Payroll export');
    const code = (await pingUrlOf(owner)).split('/ping/')[1]!;

    const readerEmail = uniqueEmail();
    await owner.getByRole('link', { name: 'Settings' }).click();
    await owner.getByLabel('Invite by email').fill(readerEmail);
    await owner.getByLabel('Role', { exact: true }).selectOption('readonly');
    await owner.getByRole('button', { name: 'Invite' }).click();
    const link = (await explained(owner, owner.getByTestId('invitation-link').textContent())) ?? '';

    const reader = await freshPage(run.browser, PHONE);
    await reader.goto(link);
    await reader.getByText('You have an invitation to a project.').waitFor();
    await reader.getByLabel('Email').fill(readerEmail);
    await reader.getByLabel('Password').fill(PASSWORD);
    await reader.getByRole('button', { name: 'Sign up' }).click();
    await explained(reader, reader.getByRole('button', { name: 'Join My project' }).waitFor());
    await reader.getByRole('button', { name: 'Join My project' }).click();
    await explained(reader, reader.locator('.check-name', { hasText: 'Payroll export' }).waitFor());
    await reader.locator('.check-name', { hasText: 'Payroll export' }).click();
    await reader.getByRole('heading', { name: 'Ping log' }).waitFor();

    await expect(reader.getByTestId('ping-url').count()).resolves.toBe(0);
    await expect(reader.getByRole('button', { name: 'Rotate ping URL' }).count()).resolves.toBe(0);
    await expect(reader.getByRole('heading', { name: 'Ping it' }).count()).resolves.toBe(0);
    expect(await reader.content()).not.toContain(code);
    await screenshot(reader, `check-page-readonly-no-ping-url.png`, { fullPage: true });
  });

  it('lets an admin set how many checks ?create=1 may make and whether they alert every channel', async () => {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    await page.getByRole('link', { name: 'Settings' }).click();
    // The settings page has a form per section, each with its Save.
    const section = page.getByRole('region', { name: 'Checks made by pings' });
    const limit = page.getByLabel('Most checks ?create=1 may make');
    const attach = page.getByLabel('Checks made by ?create=1 alert every channel of the project', { exact: false });
    await expect.poll(() => limit.inputValue()).toBe('1000');
    await expect(attach.isChecked()).resolves.toBe(true);
    await expect(section.getByRole('button', { name: 'Save' }).isDisabled()).resolves.toBe(true);

    await limit.fill('many');
    await page.getByText('a whole number from 0 to 1000000').waitFor();
    await limit.fill('0');
    await attach.uncheck();
    await section.getByRole('button', { name: 'Save' }).click();
    await explained(page, section.getByRole('status').filter({ hasText: 'Saved.' }).waitFor());

    await page.reload();
    await expect.poll(() => limit.inputValue()).toBe('0');
    await expect(attach.isChecked()).resolves.toBe(false);
  });
});
