import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  createCheck,
  explained,
  freshPage,
  overflowsSideways,
  PASSWORD,
  PHONE,
  screenshot,
  signUp,
  skipBrowser,
  uniqueEmail,
  useDashboard,
} from './harness';

describe.skipIf(skipBrowser)('projects, invitations and roles in Chromium', () => {
  const run = useDashboard();

  /** Creates a project through the header link; the dashboard switches to it. */
  async function createProject(page: Page, name: string) {
    await page.getByRole('link', { name: 'New project' }).click();
    await page.getByLabel('Project name').fill(name);
    await page.getByRole('button', { name: 'Create project' }).click();
    await explained(page, page.getByRole('heading', { name: 'No checks yet' }).waitFor());
  }

  /** Invites `email` from the project's settings and returns the link the page shows for it. */
  async function invite(owner: Page, email: string, role = 'member'): Promise<string> {
    await owner.getByRole('link', { name: 'Settings' }).click();
    await owner.getByLabel('Invite by email').fill(email);
    await owner.getByLabel('Role', { exact: true }).selectOption(role);
    await owner.getByRole('button', { name: 'Invite' }).click();
    await explained(owner, owner.locator('section[aria-labelledby="pending-title"] li', { hasText: email }).waitFor());
    await owner.getByText('This server sends no email').waitFor();
    return (await owner.getByTestId('invitation-link').textContent()) ?? '';
  }

  const projectOptions = (page: Page) => page.locator('.project-switcher option').allTextContents();
  const selectedProject = (page: Page) =>
    page.getByLabel('Project', { exact: true }).evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.text);

  it('creates a project from the header and switches to it, keeping the first one in the switcher', async () => {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    await createCheck(page, run.cronbeat.url, 'In the first project');
    await page.goto(run.cronbeat.url);
    await createProject(page, 'Billing jobs');
    await expect(projectOptions(page)).resolves.toEqual(expect.arrayContaining(['My project', 'Billing jobs']));
    await expect(selectedProject(page)).resolves.toBe('Billing jobs');

    await page.getByLabel('Project', { exact: true }).selectOption({ label: 'My project' });
    await page.locator('.check-name', { hasText: 'In the first project' }).waitFor();
  });

  it('renames a project and deletes it by its name, landing in the project left, which cannot be deleted while alone', async () => {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    await createProject(page, 'Temp jobs');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Project name').fill('Nightly imports');
    await page.getByRole('button', { name: 'Rename' }).click();
    await explained(page, page.getByRole('heading', { name: 'Settings of Nightly imports' }).waitFor());
    await expect(projectOptions(page)).resolves.toEqual(expect.arrayContaining(['My project', 'Nightly imports']));

    const remove = page.getByRole('button', { name: 'Delete project' });
    await page.getByLabel('Type Nightly imports to delete the project').fill('Nightly');
    await expect(remove.isDisabled()).resolves.toBe(true);
    await page.getByLabel('Type Nightly imports to delete the project').fill('Nightly imports');
    await remove.click();
    await explained(page, page.getByRole('heading', { name: 'No checks yet' }).waitFor());
    // One project left: the header names it instead of offering a switcher.
    await expect(page.locator('.project-name').textContent()).resolves.toBe('My project');

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByText('This is your only project').waitFor();
    await expect(page.getByRole('button', { name: 'Delete project' }).count()).resolves.toBe(0);
  });

  it('offers someone left with no project a project of their own, and their invitation link still leads in', async () => {
    const owner = await freshPage(run.browser);
    const ownerEmail = await signUp(owner, run.cronbeat.url);
    await createProject(owner, 'Shared jobs');
    const invitee = uniqueEmail();
    const link = await invite(owner, invitee);

    const page = await freshPage(run.browser, PHONE);
    await signUp(page, run.cronbeat.url, invitee);
    // The dashboard never deletes a last project; the API does, which leaves this person in none.
    const deleted = await page.evaluate(async () => {
      const me = (await (await fetch('/auth/me')).json()) as { projects: { id: string }[] };
      const id = me.projects[0]!.id;
      return (await fetch(`/api/v1/projects/${id}`, { method: 'DELETE', headers: { 'x-project-id': id } })).status;
    });
    expect(deleted).toBe(204);
    await page.reload();

    await page.getByRole('heading', { name: 'No projects' }).waitFor();
    await page.getByText('open the invitation link its admin sent you').waitFor();
    expect(await overflowsSideways(page)).toBe(false);
    await screenshot(page, `no-projects-phone.png`, { fullPage: true });
    await page.getByLabel('Project name').fill('   ');
    await expect(page.getByRole('button', { name: 'Create project' }).isDisabled()).resolves.toBe(true);
    await page.getByLabel('Project name').fill('Side jobs');
    await page.getByRole('button', { name: 'Create project' }).click();

    await explained(page, page.getByRole('heading', { name: 'No checks yet' }).waitFor());
    await expect(page.locator('.project-name').textContent()).resolves.toBe('Side jobs');

    await page.goto(link);
    await expect(page.locator('.invitation').textContent()).resolves.toBe(`${ownerEmail} invited you to join Shared jobs as member.`);
    await page.getByRole('button', { name: 'Join Shared jobs' }).click();
    await explained(page, page.getByRole('heading', { name: 'No checks yet' }).waitFor());
    await expect(selectedProject(page)).resolves.toBe('Shared jobs');
  });

  it('lets an invited read-only member join and see the checks with no control to change anything', async () => {
    const owner = await freshPage(run.browser);
    await signUp(owner, run.cronbeat.url);
    await createProject(owner, 'Ops team');
    await createCheck(owner, run.cronbeat.url, 'Disk cleanup');
    await owner.goto(`${run.cronbeat.url}/channels`);
    await owner.getByRole('button', { name: 'Add channel' }).click();
    await owner.getByLabel('Email address').fill('ops@example.com');
    await owner.getByRole('button', { name: 'Add', exact: true }).click();
    await owner.locator('.card', { hasText: 'ops@example.com' }).waitFor();

    const readerEmail = uniqueEmail();
    const link = await invite(owner, readerEmail, 'readonly');
    const pending = owner.locator('section[aria-labelledby="pending-title"] li', { hasText: readerEmail });
    await expect(pending.textContent()).resolves.toContain('readonly');
    await screenshot(owner, `settings.png`, { fullPage: true });

    // The link leads a newcomer through sign-up and back to the invitation.
    const reader = await freshPage(run.browser, PHONE);
    await reader.goto(link);
    await reader.getByText('You have an invitation to a project.').waitFor();
    await reader.getByLabel('Email').fill(readerEmail);
    await reader.getByLabel('Password').fill(PASSWORD);
    await reader.getByRole('button', { name: 'Sign up' }).click();
    const join = reader.getByRole('button', { name: 'Join Ops team' });
    await explained(reader, join.waitFor());
    await expect(reader.locator('.invitation').textContent()).resolves.toContain('as readonly');
    expect(await overflowsSideways(reader)).toBe(false);
    await screenshot(reader, `invitation-phone.png`, { fullPage: true });
    await join.click();

    await explained(reader, reader.locator('.check-name', { hasText: 'Disk cleanup' }).waitFor());
    await expect(projectOptions(reader)).resolves.toEqual(expect.arrayContaining(['My project', 'Ops team']));
    await expect(selectedProject(reader)).resolves.toBe('Ops team');
    await expect(reader.getByRole('link', { name: 'New check' }).count()).resolves.toBe(0);
    await screenshot(reader, `checks-list-readonly-phone.png`, { fullPage: true });

    await reader.locator('.check-name', { hasText: 'Disk cleanup' }).click();
    await reader.getByRole('heading', { name: 'Disk cleanup', level: 1 }).waitFor();
    await reader.getByRole('heading', { name: 'Ping log' }).waitFor();
    for (const name of ['Pause', 'Resume', 'Delete']) {
      await expect(reader.getByRole('button', { name, exact: true }).count(), name).resolves.toBe(0);
    }
    await expect(reader.getByRole('link', { name: 'Edit', exact: true }).count()).resolves.toBe(0);
    await expect(reader.getByTestId('ping-url').count()).resolves.toBe(0);
    expect(await overflowsSideways(reader)).toBe(false);
    await screenshot(reader, `check-page-readonly-phone.png`, { fullPage: true });

    await reader.getByRole('link', { name: 'Channels' }).click();
    await reader.locator('.card', { hasText: 'Email' }).waitFor();
    const buttons = await reader.getByRole('button').allTextContents();
    expect(buttons.filter((text) => text !== 'Log out')).toEqual([]);
    await expect(reader.getByRole('checkbox').count()).resolves.toBe(0);

    await reader.getByRole('link', { name: 'Settings' }).click();
    await reader.getByRole('heading', { name: 'Members' }).waitFor();
    await reader.locator('#members-title + * li', { hasText: readerEmail }).waitFor();
    await expect(reader.getByLabel('Invite by email').count()).resolves.toBe(0);
    await expect(reader.getByRole('combobox').count()).resolves.toBe(1); // the project switcher, nothing else

    await reader.goto(`${run.cronbeat.url}/checks/new`);
    await reader.getByText('Your role in this project can only look at checks.').waitFor();
    await expect(reader.getByRole('button', { name: 'Create check' }).count()).resolves.toBe(0);

    await owner.reload();
    await owner.locator('#members-title + * li', { hasText: readerEmail }).waitFor();
    await owner.getByText('None. People you invite join').waitFor();
  });

  it('lets an admin withdraw an invitation before it is accepted, after which its link leads nowhere', async () => {
    const owner = await freshPage(run.browser);
    await signUp(owner, run.cronbeat.url);
    const invitee = uniqueEmail();
    const link = await invite(owner, invitee);
    await owner.getByRole('button', { name: `Withdraw the invitation of ${invitee}` }).click();
    await owner.getByText('None. People you invite join').waitFor();

    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url, invitee);
    await page.goto(link);
    await page.getByText('This invitation link was used already, has expired or was replaced').waitFor();
    await expect(page.getByRole('button', { name: /^Join/ }).count()).resolves.toBe(0);
  });

  it('changes the password: the old one stops working, the new one signs in', async () => {
    const page = await freshPage(run.browser);
    const email = await signUp(page, run.cronbeat.url);
    await page.locator('.who').click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    const newPassword = 'a different long passphrase';

    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Repeat new password').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.locator('.field-error').textContent()).resolves.toContain('wrong password');

    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('Repeat new password').fill(`${newPassword}!`);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.locator('.field-error').textContent()).resolves.toContain('differ');

    await page.getByLabel('Repeat new password').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await explained(page, page.getByText('Password changed.').waitFor());
    await screenshot(page, `account.png`, { fullPage: true });

    await page.getByRole('button', { name: 'Log out of this browser' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('wrong email or password');
    await page.getByLabel('Password').fill(newPassword);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Checks', exact: true }).waitFor();
  });
});
