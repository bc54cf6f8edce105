import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCheck, freshPage, signUp, skipBrowser, useDashboard } from './harness';

describe.skipIf(skipBrowser)('the run lock on a check page in Chromium', () => {
  const run = useDashboard();

  it('shows a skipped ping with who held the lock, escaped as text', async () => {
    const page = await freshPage(run.browser);
    await signUp(page, run.cronbeat.url);
    await createCheck(page, run.cronbeat.url, 'Ledger close');
    const pingUrl = (await page.getByTestId('ping-url').textContent())!;
    const ask = (host: string, pid: number) =>
      fetch(`${pingUrl}/lock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ttl: 60, holder: { id: randomUUID(), host, pid } }),
      });
    expect((await ask('<b>web-1</b>', 4242)).status).toBe(200);
    expect((await ask('web-2', 5151)).status).toBe(409);

    const skipped = page.locator('.ping-skipped');
    await skipped.waitFor({ timeout: 15_000 });
    await expect(skipped.locator('.ping-kind').textContent()).resolves.toBe('skipped');
    const holder = skipped.locator('.ping-holder');
    await holder.waitFor();
    await expect(holder.textContent()).resolves.toMatch(/^held by <b>web-1<\/b> \(pid 4242\) since (now|\d+ seconds? ago|in \d+ seconds?)/);
    // The host is the holder's own text: shown as typed, never as markup.
    await expect(holder.locator('b').count()).resolves.toBe(0);
    await expect(holder.locator('time').getAttribute('datetime')).resolves.toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
