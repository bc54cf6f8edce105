import { describe, expect, it } from 'vitest';
import { type AutoCreatePolicy, autoCreateCheck } from '../src';

const policy = (overrides: Partial<AutoCreatePolicy> = {}): AutoCreatePolicy => ({
  defaultPeriod: 86_400,
  defaultGrace: 3_600,
  limit: 3,
  attachChannels: true,
  ...overrides,
});

describe('a check made by a ?create=1 ping', () => {
  it.each([
    ['none made yet', 3, 0, true],
    ['one short of the limit', 3, 2, true],
    ['the limit reached', 3, 3, false],
    ['more than the limit (lowered since)', 3, 5, false],
    ['a limit of 0', 0, 0, false],
  ])('with %s (limit %i, made %i): made = %s', (_name, limit, made, create) => {
    const decision = autoCreateCheck(policy({ limit }), 'nightly-backup', made);
    expect(decision.create).toBe(create);
    if (!decision.create) expect(decision.limit).toBe(limit);
  });

  it("is named by its slug, follows the project's default schedule and counts as made by a ping", () => {
    expect(autoCreateCheck(policy({ defaultPeriod: 600, defaultGrace: 60 }), 'db-dump', 0)).toEqual({
      create: true,
      check: { name: 'db-dump', slug: 'db-dump', period: 600, grace: 60, autoCreated: true },
      attachChannels: true,
    });
  });

  it("alerts the project's channels only if the project says so", () => {
    const decision = autoCreateCheck(policy({ attachChannels: false }), 'db-dump', 0);
    expect(decision.create && decision.attachChannels).toBe(false);
  });
});
