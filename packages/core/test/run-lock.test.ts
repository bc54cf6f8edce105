import { describe, expect, it } from 'vitest';
import { RUN_LOCK_LIMITS, readSkippedPing, renewEveryMs, skippedPingBody } from '../src';

describe('run lock rules', () => {
  it('renews a third of the way through the lease, so two renewals may fail before it lapses', () => {
    expect(renewEveryMs(60)).toBe(20_000);
    expect(renewEveryMs(RUN_LOCK_LIMITS.ttl.min)).toBe(1667);
  });

  it('reads back the holder a skipped ping names', () => {
    const since = new Date('2026-12-07T17:48:15.123Z');
    const body = skippedPingBody({ host: 'web (eu) 2', pid: 4242, since }, { host: 'web-3', pid: 7 });
    expect(body).toBe('skipped: the run lock is held by web (eu) 2 (pid 4242) since 2026-12-07T17:48:15.123Z\nrefused: web-3 (pid 7)\n');
    expect(readSkippedPing(body)).toEqual({ host: 'web (eu) 2', pid: 4242, since: '2026-12-07T17:48:15.123Z' });
  });

  it('reads nothing from a body it did not write', () => {
    expect(readSkippedPing('')).toBeNull();
    expect(readSkippedPing('job output\nskipped: the run lock is held by x (pid 1) since now')).toBeNull();
  });
});
