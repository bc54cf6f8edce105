/**
 * The Content-Security-Policy the server sends (apps/server/src/plugins/security-headers.ts)
 * must let the built dashboard and Swagger UI at /docs run untouched: Chromium
 * reports every violation, and none may happen.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createCheck, freshPage, signUp, skipBrowser, useDashboard } from './harness';

describe.skipIf(skipBrowser)('the Content-Security-Policy, in Chromium', () => {
  const run = useDashboard();

  /** A fresh page and the violations it reports, from its first script on. */
  async function watchedPage(): Promise<{ page: Page; violations: string[] }> {
    const page = await freshPage(run.browser);
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    return { page, violations };
  }

  it('lets the dashboard sign up, list, create and show a check and open Settings without a violation', async () => {
    const { page, violations } = await watchedPage();
    const answer = await page.goto(run.cronbeat.url);
    expect(answer?.headers()['content-security-policy']).toContain("script-src 'self'");
    await signUp(page, run.cronbeat.url);
    await createCheck(page, run.cronbeat.url, 'Nightly backup');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(/\/settings/);
    await page.waitForLoadState('networkidle');
    expect(violations).toEqual([]);
  });

  it('lets Swagger UI at /docs render the API reference without a violation', async () => {
    const { page, violations } = await watchedPage();
    await page.goto(`${run.cronbeat.url}/docs/`);
    // Swagger UI's bundle is 1.5 MB of script: on a busy 2-core machine it takes more than the page's usual 10 s.
    await page
      .locator('.swagger-ui .info .title', { hasText: 'Cronbeat API' })
      .waitFor({ timeout: 30_000 })
      .catch((error: Error) => {
        throw new Error(`${error.message}; violations: ${violations.join(' | ') || 'none'}`);
      });
    await page.waitForLoadState('networkidle');
    expect(violations).toEqual([]);
  });

  it('would see a violation: an inline script is refused and reported', async () => {
    const { page, violations } = await watchedPage();
    await page.goto(run.cronbeat.url);
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      document.head.append(script);
    });
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    await expect(page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan)).resolves.toBeUndefined();
  });
});
