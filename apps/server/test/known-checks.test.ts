import { newCheckState } from '@cronbeat/core';
import { describe, expect, it } from 'vitest';
import { type KnownCheck, KnownChecks } from '../src/ping/known-checks';

const aKnownCheck = (id: string, overrides: Partial<KnownCheck> = {}): KnownCheck => ({
  id,
  version: '100',
  slug: null,
  nPings: 0,
  state: newCheckState({ schedule: { kind: 'period', period: 3600 }, grace: 600 }),
  sweepAt: null,
  runStarts: new Map(),
  ...overrides,
});

describe('known checks', () => {
  it('keeps at most its bound, dropping the check used longest ago', () => {
    const known = new KnownChecks(2);
    known.remember(aKnownCheck('a'));
    known.remember(aKnownCheck('b'));
    known.remember(aKnownCheck('a', { version: '101' }));
    known.remember(aKnownCheck('c'));
    expect(known.size).toBe(2);
    expect(known.find({ checkId: 'b' })).toBeUndefined();
    expect(known.find({ checkId: 'a' })?.version).toBe('101');
  });

  it('finds a check by slug only while the check still answers to that slug', () => {
    const known = new KnownChecks(10);
    known.remember(aKnownCheck('a', { slug: { pingKey: 'key', slug: 'nightly' } }));
    expect(known.find({ slug: { pingKey: 'key', slug: 'nightly' } })?.id).toBe('a');
    known.remember(aKnownCheck('a', { slug: { pingKey: 'key', slug: 'weekly' } }));
    expect(known.find({ slug: { pingKey: 'key', slug: 'nightly' } })).toBeUndefined();
    expect(known.find({ slug: { pingKey: 'other', slug: 'weekly' } })).toBeUndefined();
    expect(known.find({ slug: { pingKey: 'key', slug: 'weekly' } })?.id).toBe('a');
  });

  it('keeps the newest run starts of a check only', () => {
    const known = new KnownChecks(10);
    const runStarts = new Map(Array.from({ length: 20 }, (_, i) => [`run-${i}`, new Date(i)]));
    known.remember(aKnownCheck('a', { runStarts }));
    const kept = known.find({ checkId: 'a' })!.runStarts;
    expect(kept.size).toBe(16);
    expect(kept.has('run-3')).toBe(false);
    expect(kept.get('run-19')).toEqual(new Date(19));
  });

  it('does not keep a check for ten minutes once it was found changed twice in ten minutes', () => {
    const known = new KnownChecks(10);
    const now = Date.parse('2026-11-23T12:00:00Z');
    const minutes = (n: number) => now + n * 60_000;
    known.remember(aKnownCheck('a'), now);
    known.stale('a', now);
    expect(known.find({ checkId: 'a' })).toBeUndefined();
    known.remember(aKnownCheck('a'), minutes(1));
    expect(known.find({ checkId: 'a' })).toBeDefined(); // once is no pattern

    known.stale('a', minutes(12)); // more than ten minutes after the first: still once
    known.remember(aKnownCheck('a'), minutes(12));
    expect(known.find({ checkId: 'a' })).toBeDefined();

    known.stale('a', minutes(15));
    known.remember(aKnownCheck('a'), minutes(24));
    expect(known.find({ checkId: 'a' })).toBeUndefined();
    known.remember(aKnownCheck('a'), minutes(25) + 1);
    expect(known.find({ checkId: 'a' })).toBeDefined();
  });
});
