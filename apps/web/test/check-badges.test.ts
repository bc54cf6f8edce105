/** A check's own badge in Chromium: found by search in Settings › Status badges, drawn by the browser, and changing with the check. */
import { describe, expect, it } from 'vitest';
import { callApi, explained, freshPage, screenshot, signUp, skipBrowser, useDashboard } from './harness';

interface MadeCheck {
  id: string;
  pingUrl: string;
}

describe.skipIf(skipBrowser)('one check’s status badge', () => {
  const dashboard = useDashboard();

  it('finds a check by part of its name, shows its badge and Markdown, and the badge follows the check', async () => {
    const page = await freshPage(dashboard.browser);
    await signUp(page, dashboard.cronbeat.url);
    const nightly = await callApi<MadeCheck>(page, 'POST', '/api/v1/checks', {
      name: 'Nightly [export]',
      slug: 'nightly-export',
      period: 3600,
    });
    await callApi(page, 'POST', '/api/v1/checks', { name: 'Hourly sync', period: 3600 });
    expect((await fetch(`${nightly.pingUrl}/fail`, { method: 'POST' })).status).toBe(200);

    await page.getByRole('link', { name: 'Settings' }).click();
    const section = page.locator('section[aria-labelledby="badges-title"]');
    await explained(page, section.getByLabel('Find a check').waitFor());
    await section.getByLabel('Find a check').fill('zzz');
    await explained(page, section.getByText('No check matches “zzz”.').waitFor());
    await section.getByLabel('Find a check').fill('export');
    const matches = section.getByRole('list', { name: 'Matching checks' });
    await explained(page, matches.getByRole('button', { name: 'Nightly [export]' }).waitFor());
    expect(await matches.getByRole('button').allTextContents()).toEqual(['Nightly [export]']);
    await matches.getByRole('button', { name: 'Nightly [export]' }).click();

    const badge = section.getByTestId('check-badge');
    const image = badge.getByRole('img', { name: 'Nightly [export] status' });
    await explained(page, image.waitFor());
    // The browser has drawn it: the SVG has a size.
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), { timeout: 10_000 })
      .toBeGreaterThan(60);
    const svg = (await image.getAttribute('src'))!;
    expect(svg).toMatch(/\/badge\/[0-9a-f]{32}\/check\/nightly-export\.svg$/);
    expect(await badge.getByRole('button', { name: 'Copy Markdown for Nightly [export]' }).count()).toBe(1);
    const json = (await badge.getByRole('link', { name: 'JSON' }).getAttribute('href'))!;
    await expect(fetch(json).then((response) => response.json())).resolves.toEqual({ status: 'down', total: 1, down: 1, late: 0 });
    expect((await fetch(nightly.pingUrl, { method: 'POST' })).status).toBe(200);
    await expect(fetch(json).then((response) => response.json())).resolves.toMatchObject({ status: 'up' });
    // The same badge by the check's id.
    const byId = json.replace('/check/nightly-export.json', `/check/${nightly.id}.json`);
    await expect(fetch(byId).then((response) => response.json())).resolves.toMatchObject({ status: 'up', total: 1 });
    await screenshot(page, `check-badge.png`, { fullPage: true });
  });

  it('asks the server for the first ten matches by name only, and says how many more there are', async () => {
    const page = await freshPage(dashboard.browser);
    await signUp(page, dashboard.cronbeat.url);
    for (let n = 12; n >= 1; n--)
      await callApi(page, 'POST', '/api/v1/checks', { name: `Batch ${String(n).padStart(2, '0')}`, period: 3600 });
    const searches: string[] = [];
    page.on('request', (request) => {
      if (/\/checks(\/overview)?\?/.test(request.url()) && request.url().includes('q=batch')) searches.push(request.url());
    });

    await page.getByRole('link', { name: 'Settings' }).click();
    const section = page.locator('section[aria-labelledby="badges-title"]');
    await explained(page, section.getByLabel('Find a check').waitFor());
    await section.getByLabel('Find a check').fill('batch');
    await explained(page, section.getByText('The first 10 of 12 matches by name: type more of the name to narrow them.').waitFor());
    const matches = section.getByRole('list', { name: 'Matching checks' });
    expect(await matches.getByRole('button').allTextContents()).toEqual(
      Array.from({ length: 10 }, (_, i) => `Batch ${String(i + 1).padStart(2, '0')}`),
    );
    expect(searches).toHaveLength(1);
    expect(new URL(searches[0]!).searchParams.get('limit')).toBe('10');
  });
});
