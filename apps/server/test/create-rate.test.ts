import { describe, expect, it } from 'vitest';
import { CreateRate } from '../src/ping/create-rate';

describe('the rate of ?create=1 creations per ping key', () => {
  const t0 = Date.parse('2026-11-23T12:00:00Z');

  it('allows a burst of the rate, then one more each 60/rate seconds, saying how long to wait', () => {
    const rate = new CreateRate(60);
    for (let i = 0; i < 60; i++) expect(rate.take('key', t0)).toBe(0);
    expect(rate.take('key', t0)).toBe(1);
    expect(rate.take('key', t0 + 500)).toBe(1);
    expect(rate.take('key', t0 + 1000)).toBe(0);
    expect(rate.take('key', t0 + 1000)).toBe(1);
    expect(rate.take('other', t0 + 1000)).toBe(0);
  });

  it('counts a slower rate in whole seconds to wait', () => {
    const rate = new CreateRate(6);
    for (let i = 0; i < 6; i++) expect(rate.take('key', t0)).toBe(0);
    expect(rate.take('key', t0)).toBe(10);
    expect(rate.take('key', t0 + 4000)).toBe(6);
    expect(rate.take('key', t0 + 10_000)).toBe(0);
  });

  it('gives back a creation that made nothing, never beyond the burst', () => {
    const rate = new CreateRate(2);
    expect(rate.take('key', t0)).toBe(0);
    expect(rate.take('key', t0)).toBe(0);
    rate.refund('key');
    expect(rate.take('key', t0)).toBe(0);
    expect(rate.take('key', t0)).toBeGreaterThan(0);
    rate.refund('key');
    rate.refund('key');
    rate.refund('key');
    expect(rate.take('key', t0)).toBe(0);
    expect(rate.take('key', t0)).toBe(0);
    expect(rate.take('key', t0)).toBeGreaterThan(0);
  });

  it('remembers a bounded number of ping keys, forgetting the least recently used', () => {
    const rate = new CreateRate(1, 2);
    expect(rate.take('a', t0)).toBe(0);
    expect(rate.take('b', t0)).toBe(0);
    expect(rate.take('a', t0)).toBeGreaterThan(0); // a is now the most recent
    expect(rate.take('c', t0)).toBe(0); // b is forgotten
    expect(rate.take('a', t0)).toBeGreaterThan(0);
    expect(rate.take('b', t0)).toBe(0);
  });
});
