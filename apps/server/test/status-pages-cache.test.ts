import { describe, expect, it } from 'vitest';
import { createPageCache } from '../src/status-pages/cache';

/** A load that finishes when the test says so, counting its calls. */
function controlledLoad() {
  const pending: Array<(value: string | null) => void> = [];
  const failing: Array<(error: Error) => void> = [];
  const calls: string[] = [];
  return {
    calls,
    load: (key: string) =>
      new Promise<string | null>((resolve, reject) => {
        calls.push(key);
        pending.push(resolve);
        failing.push(reject);
      }),
    finish: (value: string | null) => pending.shift()?.(value),
    fail: (error: Error) => {
      pending.shift();
      failing.shift()?.(error);
    },
  };
}

describe('the status page cache', () => {
  it('shares one load among concurrent misses of a key', async () => {
    const source = controlledLoad();
    const cache = createPageCache({ ttlMs: 30_000, load: source.load, now: () => 0 });
    const views = Array.from({ length: 100 }, () => cache.get('acme'));
    source.finish('page');
    await expect(Promise.all(views)).resolves.toEqual(Array(100).fill('page'));
    expect(source.calls).toEqual(['acme']);
    expect(cache.loads).toBe(1);
  });

  it('loads again once the TTL has passed, not before', async () => {
    let clock = 0;
    const source = controlledLoad();
    const cache = createPageCache({ ttlMs: 30_000, load: source.load, now: () => clock });
    const first = cache.get('acme');
    source.finish('v1');
    await first;
    clock = 29_999;
    await expect(cache.get('acme')).resolves.toBe('v1');
    clock = 30_000;
    const second = cache.get('acme');
    source.finish('v2');
    await expect(second).resolves.toBe('v2');
    expect(cache.loads).toBe(2);
  });

  it('caches a miss, and forgets a key on request', async () => {
    const source = controlledLoad();
    const cache = createPageCache({ ttlMs: 30_000, load: source.load, now: () => 0 });
    const miss = cache.get('nope');
    source.finish(null);
    await expect(miss).resolves.toBeNull();
    await expect(cache.get('nope')).resolves.toBeNull();
    expect(cache.loads).toBe(1);
    cache.forget('nope');
    const again = cache.get('nope');
    source.finish('made since');
    await expect(again).resolves.toBe('made since');
    expect(cache.loads).toBe(2);
  });

  it('does not keep a failed load: the next view tries again', async () => {
    const source = controlledLoad();
    const cache = createPageCache({ ttlMs: 30_000, load: source.load, now: () => 0 });
    const failed = cache.get('acme');
    source.fail(new Error('database away'));
    await expect(failed).rejects.toThrow('database away');
    const retried = cache.get('acme');
    source.finish('page');
    await expect(retried).resolves.toBe('page');
    expect(cache.loads).toBe(2);
  });

  it('keeps its pages however many unknown addresses are guessed', async () => {
    const cache = createPageCache({ ttlMs: 30_000, load: async (key) => (key.startsWith('guess-') ? null : key), now: () => 0 });
    await cache.get('acme');
    for (let i = 0; i < 5000; i++) await cache.get(`guess-${i}`);
    expect(cache.loads).toBe(5001);
    await expect(cache.get('acme')).resolves.toBe('acme');
    expect(cache.loads).toBe(5001);
    // Misses are bounded too: the oldest guesses are asked again.
    await cache.get('guess-0');
    expect(cache.loads).toBe(5002);
  });

  it('does not keep what a load returns after the key was forgotten during it', async () => {
    const source = controlledLoad();
    const cache = createPageCache({ ttlMs: 30_000, load: source.load, now: () => 0 });
    const before = cache.get('acme');
    cache.forget('acme');
    source.finish('before the edit');
    await expect(before).resolves.toBe('before the edit');
    const after = cache.get('acme');
    source.finish('after the edit');
    await expect(after).resolves.toBe('after the edit');
    expect(cache.loads).toBe(2);
  });

  it('holds at most 1,000 pages, dropping the oldest', async () => {
    const cache = createPageCache({ ttlMs: 30_000, load: async (key) => key, now: () => 0 });
    for (let i = 0; i <= 1000; i++) await cache.get(`page-${i}`);
    expect(cache.loads).toBe(1001);
    await cache.get('page-1000');
    expect(cache.loads).toBe(1001);
    await cache.get('page-0');
    expect(cache.loads).toBe(1002);
  });
});
