import { readdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumOptions, closeContexts, freshPage, sharedChromium, skipBrowser } from './harness';

/** The command lines of this process's children, by pid. */
function childCommands(): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === process.pid) children.set(pid, readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

describe.skipIf(skipBrowser)('the Chromium the browser tests launch', () => {
  it('keeps every feature Playwright turns off turned off, though Chromium reads only the last --disable-features', async () => {
    const before = childCommands();
    const browser = await chromium.launch(chromiumOptions());
    try {
      const [command] = [...childCommands()].filter(([pid]) => !before.has(pid)).map(([, args]) => args);
      const lists = (command ?? [])
        .filter((arg) => arg.startsWith('--disable-features='))
        .map((arg) => arg.split('=')[1]?.split(',') ?? []);
      expect(lists.length, command?.join(' ')).toBeGreaterThanOrEqual(2);
      const last = lists.at(-1) ?? [];
      for (const list of lists) expect(last).toEqual(expect.arrayContaining(list));
      expect(last).toContain('WebUIOmniboxPopup');
    } finally {
      await browser.close();
    }
  });

  it('opens a window without the omnibox popups it would build as WebUI pages', async () => {
    const browser = await sharedChromium();
    const page = await freshPage(browser);
    try {
      await page.setContent('<h1>a window</h1>');
      const session = await browser.newBrowserCDPSession();
      const { targetInfos } = (await session.send('Target.getTargets', { filter: [{}] })) as {
        targetInfos: { type: string; url: string }[];
      };
      await session.detach();
      expect(targetInfos.filter((target) => target.type !== 'page' && target.type !== 'tab').map((target) => target.url)).toEqual([]);
    } finally {
      await closeContexts(browser);
    }
  });
});
