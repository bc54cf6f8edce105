import { newCheckState } from '@cronbeat/core';
import { describe, expect, it } from 'vitest';
import { type KnownCheck, KnownChecks } from '../src/ping/known-checks';

const aKnownCheck = (id: string, overrides: Partial<KnownCheck> = {}): KnownCheck => ({
  id,
  pingCode: `code-${id}`,
  version: '100',
  slug: null,
  nPings: 0,
  state: newCheckState({ schedule: { kind: 'period', period: 3600 }, grace: 600 }),
  sweepAt: null,
  runStarts: new Map(),
  methods: '',
  ...overrides,
});

describe('known checks', () => {
  it('gives back every fact of a check as it was last written, unset times included', () => {
    const known = new KnownChecks(10);
    const pinged = aKnownCheck('a', {
      version: '4294967295',
      slug: { pingKey: 'key', slug: 'nightly' },
      nPings: 7,
      methods: 'POST',
      state: {
        ...newCheckState({ schedule: { kind: 'cron', cron: '0 3 * * *', tz: 'Europe/Riga' }, grace: 300, maxRuntime: 900 }),
        status: 'up',
        lastPing: new Date('2026-11-23T03:00:05.123Z'),
        lastStart: new Date('2026-11-23T03:00:00Z'),
        lastStartRid: 'd7a7a3c6-1f6e-4f57-9a47-3c8f3b0f7a11',
        lastDuration: 5123,
        nextDue: new Date('2026-11-24T03:00:00Z'),
        alertAfter: new Date('2026-11-24T03:05:00Z'),
      },
      sweepAt: new Date('2026-11-24T03:00:00Z'),
      runStarts: new Map([['d7a7a3c6-1f6e-4f57-9a47-3c8f3b0f7a11', new Date('2026-11-23T03:00:00Z')]]),
    });
    known.remember(pinged);
    expect(known.find({ pingCode: 'code-a' })).toEqual(pinged);

    const paused = aKnownCheck('a', {
      version: '5',
      nPings: 8,
      state: { ...pinged.state, status: 'paused', nextDue: null, alertAfter: null },
    });
    known.remember(paused);
    expect(known.find({ pingCode: 'code-a' })).toEqual(paused);
  });

  it('keeps at most its bound, dropping the check used longest ago', () => {
    const known = new KnownChecks(2);
    known.remember(aKnownCheck('a'));
    known.remember(aKnownCheck('b'));
    known.remember(aKnownCheck('a', { version: '101' }));
    known.remember(aKnownCheck('c'));
    expect(known.size).toBe(2);
    expect(known.find({ pingCode: 'code-b' })).toBeUndefined();
    expect(known.find({ pingCode: 'code-a' })?.version).toBe('101');
  });

  it('keeps a check written again since the last one was dropped over one that was not', () => {
    const known = new KnownChecks(3);
    for (const id of ['a', 'b', 'c']) known.remember(aKnownCheck(id));
    known.remember(aKnownCheck('a', { nPings: 1 }));
    known.remember(aKnownCheck('d')); // drops b: a was written again
    known.remember(aKnownCheck('c', { nPings: 1 }));
    known.remember(aKnownCheck('e')); // a was passed over once already, so it goes now
    expect(['a', 'b', 'c', 'd', 'e'].filter((id) => known.find({ pingCode: `code-${id}` }))).toEqual(['c', 'd', 'e']);
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
    const kept = known.find({ pingCode: 'code-a' })!.runStarts;
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
    expect(known.find({ pingCode: 'code-a' })).toBeUndefined();
    known.remember(aKnownCheck('a'), minutes(1));
    expect(known.find({ pingCode: 'code-a' })).toBeDefined(); // once is no pattern

    known.stale('a', minutes(12)); // more than ten minutes after the first: still once
    known.remember(aKnownCheck('a'), minutes(12));
    expect(known.find({ pingCode: 'code-a' })).toBeDefined();

    known.stale('a', minutes(15));
    known.remember(aKnownCheck('a'), minutes(24));
    expect(known.find({ pingCode: 'code-a' })).toBeUndefined();
    known.remember(aKnownCheck('a'), minutes(25) + 1);
    expect(known.find({ pingCode: 'code-a' })).toBeDefined();
  });

  it('finds a check by its ping code, never by its id, and forgets a code once the check has another', () => {
    const known = new KnownChecks(10);
    known.remember(aKnownCheck('a', { pingCode: 'old-code' }));
    expect(known.find({ pingCode: 'old-code' })?.id).toBe('a');
    expect(known.find({ pingCode: 'a' })).toBeUndefined();

    known.remember(aKnownCheck('a', { pingCode: 'new-code', version: '101' }));
    expect(known.find({ pingCode: 'old-code' })).toBeUndefined();
    expect(known.idOf({ pingCode: 'old-code' })).toBeUndefined();
    expect(known.find({ pingCode: 'new-code' })).toMatchObject({ id: 'a', pingCode: 'new-code', version: '101' });

    known.forget('a');
    expect(known.find({ pingCode: 'new-code' })).toBeUndefined();
  });
});
