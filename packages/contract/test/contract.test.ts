import { FlipReason, PingKind, REPORT_PERIODS, Status } from '@cronbeat/core';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import {
  AccountPatch,
  CheckList,
  CheckStatus,
  canonicalZone,
  Flip,
  isUuid,
  Me,
  Ping,
  ProjectPatch,
  REPORT_EVERY,
  STATUSES,
  StatusSummary,
  slugProblem,
} from '../src/index';

/** The values of a `oneOf` schema, in order. */
const constsOf = (schema: unknown): string[] => (schema as { anyOf: Array<{ const: string }> }).anyOf.map((literal) => literal.const);

const check = {
  id: '0b6c4c5e-3f0e-4a53-9d51-0d6f0b1f6a11',
  name: 'backup',
  slug: 'backup',
  tags: ['nightly'],
  description: '',
  period: 86_400,
  cron: null,
  onCalendar: null,
  tz: 'UTC',
  grace: 3600,
  maxRuntime: null,
  manualResume: false,
  methods: '',
  alertOnLate: false,
  remindEvery: null,
  dependsOn: [],
  maintenance: null,
  failureThreshold: 1,
  recoveryThreshold: 1,
  successKeywords: [],
  failureKeywords: [],
  startKeywords: [],
  earlyTolerance: null,
  maxConcurrentRuns: null,
  durationAnomaly: null,
  failures: 0,
  successes: 0,
  status: 'up',
  running: false,
  lastPing: '2026-01-31T23:59:00.000Z',
  nextPing: '2026-02-01T23:59:00.000Z',
  alertAfter: '2026-02-02T00:59:00.000Z',
  lastDuration: null,
  nPings: 3,
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe('the contract', () => {
  it("takes the statuses from core's status machine, in both the schema and the plain list", () => {
    expect(STATUSES).toEqual(Object.values(Status));
    expect(constsOf(CheckStatus)).toEqual(Object.values(Status));
    expect(Object.keys(StatusSummary.properties.byStatus.properties)).toEqual(Object.values(Status));
  });

  it('names every ping kind, flip reason and report period core knows', () => {
    const kinds = constsOf(Ping.properties.kind);
    expect(kinds).toEqual([...Object.values(PingKind), 'ignored', 'skipped']);
    const reasons = constsOf(Flip.properties.reason);
    expect(reasons).toEqual(Object.values(FlipReason));
    expect(REPORT_EVERY).toEqual(['off', ...REPORT_PERIODS]);
  });

  it('accepts a check list as the server sends it, read-only callers without secrets included', () => {
    expect(Value.Check(CheckList, { checks: [check], nextCursor: null })).toBe(true);
    const secret = { pingCode: '9d0c4c5e-3f0e-4a53-9d51-0d6f0b1f6a11', pingUrl: 'http://x/ping/9d0c', channels: [] };
    expect(Value.Check(CheckList, { checks: [{ ...check, ...secret }], nextCursor: 'abc' })).toBe(true);
  });

  it('refuses a list in any other form, and a status core does not know', () => {
    expect(Value.Check(CheckList, [check])).toBe(false);
    expect(Value.Check(CheckList, { items: [check], nextCursor: null })).toBe(false);
    expect(Value.Check(CheckList, { checks: [{ ...check, status: 'unknown' }], nextCursor: null })).toBe(false);
  });

  it("limits a project's defaults to core's schedule limits", () => {
    expect(Value.Check(ProjectPatch, { defaultPeriod: 60 })).toBe(true);
    expect(Value.Check(ProjectPatch, { defaultPeriod: 59 })).toBe(false);
    expect(Value.Check(ProjectPatch, { defaultGrace: 31_536_001 })).toBe(false);
  });

  it('types a session with its roles and report setting', () => {
    const me = {
      user: {
        id: check.id,
        email: 'a@example.com',
        isAdmin: false,
        createdAt: check.createdAt,
        reportEvery: 'weekly',
        nextReportAt: null,
        timeZone: 'Europe/Berlin',
      },
      emailEnabled: true,
      projects: [{ id: check.id, name: 'Ops', role: 'readonly' }],
    };
    expect(Value.Check(Me, me)).toBe(true);
    expect(Value.Check(Me, { ...me, projects: [{ id: check.id, name: 'Ops', role: 'viewer' }] })).toBe(false);
    expect(Value.Check(AccountPatch, { timeZone: 'Europe/Berlin' })).toBe(true);
    expect(Value.Check(AccountPatch, {})).toBe(false);
  });
});

describe('plain rules', () => {
  it('tells a UUID in any case from anything else', () => {
    expect(isUuid('0B6C4C5E-3F0E-4A53-9D51-0D6F0B1F6A11')).toBe(true);
    expect(isUuid(check.id)).toBe(true);
    expect(isUuid(`${check.id}0`)).toBe(false);
    expect(isUuid('0b6c4c5e3f0e4a539d510d6f0b1f6a11')).toBe(false);
  });

  it('says what is wrong with a slug, and nothing about a good one', () => {
    expect(slugProblem('db-backup_2')).toBeNull();
    // Healthchecks' rule: a-z, 0-9, - and _ in any order.
    expect(slugProblem('-backup_')).toBeNull();
    expect(slugProblem('Backup')).toMatch(/^slug must be 1 to 100 of a-z, 0-9, - and _; got "Backup"$/);
    expect(slugProblem('')).toMatch(/^slug must be 1 to 100/);
    expect(slugProblem('a'.repeat(101))).toMatch(/…"$/);
  });

  it('canonicalizes a typed zone the way the server does, and knows no made-up zone', () => {
    expect(canonicalZone(' utc ')).toBe('UTC');
    expect(canonicalZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalZone('Europe/Berln')).toBeNull();
    expect(canonicalZone('')).toBeNull();
  });
});
