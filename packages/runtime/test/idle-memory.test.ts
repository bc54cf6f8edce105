import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('fixtures/idle-after-burst.ts', import.meta.url));
/** How long each process is watched once idle: long enough for V8 to see allocation slow (it looks at the last 5 s) and for a few of the fixture's once-a-second looks. */
const WATCH_MS = 15_000;

/** Runs the fixture with servers' young generation; the young generation's size after its burst, and the smallest while idle, in MB. */
async function youngGeneration(trim: boolean): Promise<{ afterBurst: number; smallest: number }> {
  const child = spawn(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', FIXTURE, ...(trim ? ['trim'] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let afterBurst = 0;
  let smallest = Number.POSITIVE_INFINITY;
  let stop: NodeJS.Timeout | undefined;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const reading = JSON.parse(line) as { afterBurst?: number; young?: number };
    if (reading.afterBurst !== undefined) {
      afterBurst = reading.afterBurst;
      stop = setTimeout(() => child.kill(), WATCH_MS);
    }
    if (reading.young !== undefined) smallest = Math.min(smallest, reading.young);
    if (trim && smallest <= 4) child.kill();
  });
  await new Promise((resolve) => child.once('exit', resolve));
  clearTimeout(stop);
  return { afterBurst, smallest };
}

it('gives back the young generation a burst grew once the process is idle; without it, it stays', async () => {
  const [trimmed, untrimmed] = await Promise.all([youngGeneration(true), youngGeneration(false)]);
  expect(trimmed.afterBurst).toBeGreaterThanOrEqual(16);
  expect(trimmed.smallest).toBeLessThanOrEqual(4);
  expect(untrimmed.afterBurst).toBeGreaterThanOrEqual(16);
  // V8 may grow it further after the burst's reading (CI on Node 24 saw 32 → 64 MB); it never gives any back.
  expect(untrimmed.smallest).toBeGreaterThanOrEqual(untrimmed.afterBurst);
}, 60_000);
