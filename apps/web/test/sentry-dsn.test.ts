import { describe, expect, it } from 'vitest';
import { acceptNextDialog, explained, freshPage, signUp, skipBrowser, useDashboard } from './harness';

/** The Sentry DSN in Settings, in Chromium: shown ready to paste, accepted by the envelope route, rotated apart from the ping key. */
describe.skipIf(skipBrowser)('the Sentry DSN in Settings, in Chromium', () => {
  const run = useDashboard();

  /** A check-in with a monitor_config, as an SDK with this DSN sends it: the answer's status. */
  const checkIn = async (dsn: string) => {
    const { username: key, host, pathname, protocol } = new URL(dsn);
    const envelope = [
      {},
      { type: 'check_in' },
      { monitor_slug: 'from-settings', status: 'ok', monitor_config: { schedule: { type: 'crontab', value: '0 3 * * *' } } },
    ]
      .map((part) => JSON.stringify(part))
      .join('\n');
    return (await fetch(`${protocol}//${host}/api${pathname}/envelope/?sentry_key=${key}`, { method: 'POST', body: envelope })).status;
  };

  it('shows admins a DSN an SDK can use, and rotates it without touching the ping key', async () => {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    await page.getByRole('link', { name: 'Settings' }).click();
    const dsn = (await explained(page, page.getByTestId('sentry-dsn').textContent()))!;
    const server = new URL(run.cronbeat.url);
    expect(dsn).toMatch(new RegExp(`^http://[0-9a-f]{32}@${server.host.replace('.', '\\.')}/\\d+$`));
    expect(await checkIn(dsn)).toBe(200);
    const pingKey = await page.getByTestId('ping-key').textContent();

    acceptNextDialog(page);
    await page.getByRole('button', { name: 'Rotate Sentry DSN' }).click();
    await expect.poll(() => page.getByTestId('sentry-dsn').textContent()).not.toBe(dsn);
    const rotated = (await page.getByTestId('sentry-dsn').textContent())!;
    expect(new URL(rotated).pathname).toBe(new URL(dsn).pathname);
    expect(await checkIn(dsn)).toBe(403);
    expect(await checkIn(rotated)).toBe(200);
    await expect(page.getByTestId('ping-key').textContent()).resolves.toBe(pingKey);
  });
});
