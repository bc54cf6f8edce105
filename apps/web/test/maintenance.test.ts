import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { acceptNextDialog, explained, freshPage, overflowsSideways, PHONE, screenshot, signUp, skipBrowser, useDashboard } from './harness';

describe.skipIf(skipBrowser)('maintenance windows, dependencies and grouped alerts in the dashboard, in Chromium', () => {
  const run = useDashboard();

  /** Creates a check through the API with the page's session; its id. */
  const apiCheck = (page: Page, body: object): Promise<string> =>
    page.evaluate(async (input) => {
      const response = await fetch('/api/v1/checks', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      if (response.status !== 201) throw new Error(`POST /checks: ${response.status} ${await response.text()}`);
      return (await response.json()).id as string;
    }, body);
  const stored = (page: Page, path: string) => page.evaluate(async (url) => (await fetch(url)).json(), `/api/v1${path}`);
  /**
   * A `datetime-local` value `minutes` from `from` (epoch ms), in the browser's zone, as a person would
   * pick it. One `from` for the fields of a form: minutes read at two moments could straddle a minute's end.
   */
  const localIn = (page: Page, minutes: number, from: number) =>
    page.evaluate(
      ({ offset, from }) => {
        const date = new Date(from + offset * 60_000);
        const pad = (value: number) => String(value).padStart(2, '0');
        return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
      },
      { offset: minutes, from },
    );
  /** The error shown beside a labelled field: the element its aria-describedby names that is an error. */
  const errorBeside = async (page: Page, label: string) => {
    const field = page.getByLabel(label, { exact: true });
    // The API answers after the click: wait for the field to be marked, rather than read it at once.
    await field.and(page.locator('[aria-invalid="true"]')).waitFor();
    const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ');
    const errorId = ids.find((id) => id.endsWith('-error'));
    expect(errorId).toBeDefined();
    return page.locator(`[id="${errorId}"]`).textContent();
  };

  it('creates a window covering a tag, shows it on the check page, ends it early and the banner goes', async () => {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    const covered = await apiCheck(page, { name: 'Nightly dump', tags: ['db', 'nightly'], period: 3600 });
    const bystander = await apiCheck(page, { name: 'Web frontend', tags: ['web'], period: 3600 });

    await page.getByRole('link', { name: 'Maintenance' }).click();
    await page.getByRole('heading', { name: 'Maintenance', exact: true }).waitFor();
    await expect(page.getByText('No maintenance windows yet.').count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'New window' }).click();
    const form = page.getByRole('form', { name: 'New maintenance window' });
    await form.getByLabel('Name', { exact: true }).fill('Database upgrade');
    const now = Date.now();
    await form.getByLabel('Starts').fill(await localIn(page, -60, now));
    // An end before the start: the API's refusal is shown beside Ends.
    await form.getByLabel('Ends').fill(await localIn(page, -120, now));
    await form.getByLabel('Checks with any of some tags').check();
    await form.getByLabel('Tags', { exact: true }).fill('db');
    await form.getByRole('button', { name: 'Create window' }).click();
    await expect(errorBeside(page, 'Ends')).resolves.toMatch(/must be after startsAt/);
    await form.getByLabel('Ends').fill(await localIn(page, 120, now));
    await expect(form.getByLabel('Ends').getAttribute('aria-invalid')).resolves.toBeNull();
    await form.getByRole('button', { name: 'Create window' }).click();

    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Database upgrade' }) });
    await explained(page, card.getByText('In force now').waitFor());
    await expect(card.getByText('Checks tagged db').count()).resolves.toBe(1);
    const [window] = (await stored(page, '/maintenance-windows')).maintenanceWindows;
    expect(window).toMatchObject({ name: 'Database upgrade', kind: 'once', covers: 'tags', tags: ['db'] });
    expect(Date.parse(window.endsAt) - Date.parse(window.startsAt)).toBe(3 * 3_600_000);
    await screenshot(page, `maintenance.png`, { fullPage: true });

    await page.goto(`${run.cronbeat.url}/checks/${covered}`);
    const banner = page.getByRole('region', { name: 'This check is in maintenance' });
    await banner.waitFor();
    const until = await page.evaluate(
      (iso) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }),
      window.current.end,
    );
    const sameDay = await page.evaluate((iso) => new Date(iso).toDateString() === new Date().toDateString(), window.current.end);
    const status = await banner.getByRole('status').textContent();
    expect(status).toContain('In maintenance until');
    expect(status).toContain('— Database upgrade');
    if (sameDay) expect(status).toBe(`⚙ In maintenance until ${until} — Database upgrade`);
    await screenshot(page, `check-page-maintenance.png`, { fullPage: true });
    await page.goto(`${run.cronbeat.url}/checks/${bystander}`);
    await page.getByRole('heading', { name: 'Web frontend' }).waitFor();
    await expect(page.getByRole('region', { name: 'This check is in maintenance' }).count()).resolves.toBe(0);

    await page.goto(`${run.cronbeat.url}/maintenance`);
    await card.getByRole('button', { name: 'End now' }).click();
    await card.getByText('Ended early').waitFor();
    await expect(card.getByText('In force now').count()).resolves.toBe(0);
    await expect(card.getByRole('button', { name: 'End now' }).count()).resolves.toBe(0);
    await page.goto(`${run.cronbeat.url}/checks/${covered}`);
    await page.getByRole('heading', { name: 'Nightly dump' }).waitFor();
    await expect(page.getByRole('region', { name: 'This check is in maintenance' }).count()).resolves.toBe(0);
  });

  it('creates and edits a recurring window in its own zone, refuses what the API refuses beside the field, and deletes it', async () => {
    const page = await freshPage(run.browser, PHONE);
    await signUp(page, run.cronbeat.url);
    const backup = await apiCheck(page, { name: 'Backup', period: 3600 });
    await page.goto(`${run.cronbeat.url}/maintenance`);
    await page.getByRole('button', { name: 'New window' }).click();
    const form = page.getByRole('form', { name: 'New maintenance window' });
    await form.getByLabel('Name', { exact: true }).fill('Sunday backups');
    await form.getByLabel('Recurring: each time a cron expression fires, for a while').check();
    await form.getByLabel('Cron expression', { exact: true }).fill('0 2 * * SUN');
    await form.getByLabel('Time zone').fill('Europe/Berlin');
    await form.getByLabel('Duration').fill('8d');
    await form.getByLabel('Chosen checks').check();
    await form.getByRole('button', { name: 'Create window' }).click();
    await expect(errorBeside(page, 'Duration')).resolves.toBe('must be between 1 minute and 7 days');
    await form.getByLabel('Duration').fill('2h');
    await form.getByRole('button', { name: 'Create window' }).click();
    await expect(form.getByRole('group', { name: 'Checks' }).locator('.field-error').textContent()).resolves.toBe(
      'choose at least one check',
    );
    await form.getByRole('group', { name: 'Checks' }).getByLabel('Backup').check();
    await form.getByRole('button', { name: 'Create window' }).click();

    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Sunday backups' }) });
    await explained(page, card.getByText('Next').waitFor());
    const next = await card.locator('dd').first().textContent();
    // Shown in the window's zone, named; 02:00 there on a Sunday.
    expect(next).toMatch(/^Sun, .*02:00 – Sun, .*04:00 \(Europe\/Berlin\)$/);
    await expect(card.getByText('Checks: Backup').count()).resolves.toBe(1);
    expect(await overflowsSideways(page)).toBe(false);
    const [created] = (await stored(page, '/maintenance-windows')).maintenanceWindows;
    expect(created).toMatchObject({ kind: 'recurring', cron: '0 2 * * SUN', tz: 'Europe/Berlin', duration: 7200, checks: [backup] });

    // What only the server judges comes back beside its field.
    await card.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit Sunday backups' });
    await expect(edit.getByLabel('Duration').inputValue()).resolves.toBe('2h');
    await edit.getByLabel('Cron expression', { exact: true }).fill('0 2 * * 8');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(errorBeside(page, 'Cron expression')).resolves.toBeTruthy();
    await edit.getByLabel('Cron expression', { exact: true }).fill('30 3 * * SAT');
    await edit.getByRole('button', { name: 'Save' }).click();
    await explained(page, card.getByText(/Sat, .*03:30/).waitFor());
    await expect(stored(page, `/maintenance-windows/${created.id}`)).resolves.toMatchObject({ cron: '30 3 * * SAT', duration: 7200 });

    acceptNextDialog(page);
    await card.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No maintenance windows yet.').waitFor();
  });

  it('sets dependencies in the editor, lists them with their statuses on both pages, and shows a cycle beside the field', async () => {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    const backup = await apiCheck(page, { name: 'Backup', period: 3600 });
    const upload = await apiCheck(page, { name: 'Upload', period: 3600 });

    await page.goto(`${run.cronbeat.url}/checks/${upload}/edit`);
    const dependsOn = page.getByRole('group', { name: 'Depends on' });
    await dependsOn.getByLabel('Backup').waitFor();
    await expect(dependsOn.getByRole('checkbox').count()).resolves.toBe(1);
    await dependsOn.getByLabel('Backup').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await explained(page, page.getByTestId('ping-url').waitFor());
    await expect(stored(page, `/checks/${upload}`)).resolves.toMatchObject({ dependsOn: [backup] });
    const dependencies = page.getByRole('region', { name: 'Dependencies' });
    await expect(dependencies.getByRole('list', { name: 'Depends on' }).getByRole('listitem').allTextContents()).resolves.toEqual([
      'Backup ○new',
    ]);

    await dependencies.getByRole('link', { name: 'Backup' }).click();
    await page.getByRole('heading', { name: 'Backup', exact: true }).waitFor();
    await expect(
      page
        .getByRole('region', { name: 'Dependencies' })
        .getByRole('list', { name: 'Depended on by' })
        .getByRole('listitem')
        .allTextContents(),
    ).resolves.toEqual(['Upload ○new']);

    // Backup depending on Upload closes a cycle: refused, and said beside the field.
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByRole('group', { name: 'Depends on' }).getByLabel('Upload').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Please correct the fields marked below.');
    const group = page.getByRole('group', { name: 'Depends on' });
    const described = ((await group.getAttribute('aria-describedby')) ?? '').split(' ');
    const errors = await Promise.all(described.map((id) => page.locator(`[id="${id}"].error`).allTextContents()));
    expect(errors.flat()).toEqual(['makes a cycle: Backup → Upload → Backup']);
    await expect(stored(page, `/checks/${backup}`)).resolves.toMatchObject({ dependsOn: [] });
    // Changing the choice clears what was said about it.
    await group.getByLabel('Upload').uncheck();
    await expect(group.locator('.field-error').count()).resolves.toBe(0);
  });

  it('sets, refuses and clears "group alerts when more than N checks go down at once"', async () => {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    await page.goto(`${run.cronbeat.url}/settings`);
    const label = 'Group alerts when more than N checks go down at once';
    const field = page.getByLabel(label);
    await page.locator('input[name="groupAlertsAbove"]:enabled').waitFor();
    await expect(field.inputValue()).resolves.toBe('5');
    const section = page.getByRole('region', { name: 'Grouped alerts' });
    await field.fill('0');
    await expect(errorBeside(page, label)).resolves.toBe('a whole number from 1 to 1000, or empty for never');
    await expect(section.getByRole('button', { name: 'Save' }).isDisabled()).resolves.toBe(true);
    await field.fill('20');
    await section.getByRole('button', { name: 'Save' }).click();
    await section.getByRole('status').waitFor();
    const project = () => page.evaluate(async () => (await (await fetch('/auth/me')).json()).projects[0].id as string);
    await expect(stored(page, `/projects/${await project()}`)).resolves.toMatchObject({ groupAlertsAbove: 20 });
    await field.fill('');
    await section.getByRole('button', { name: 'Save' }).click();
    await section.getByRole('status').waitFor();
    await expect(stored(page, `/projects/${await project()}`)).resolves.toMatchObject({ groupAlertsAbove: null });
    await page.reload();
    await page.locator('input[name="groupAlertsAbove"]:enabled').waitFor();
    await expect(page.getByLabel(label).inputValue()).resolves.toBe('');
  });
});
