/**
 * Alert policy settings through the REST API: their defaults, every
 * setting written and read back, and every bad value a 400 that names the
 * field and what it accepts, leaving the stored check as it was.
 */
import { checks, flipColumns, flips, pings } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createKey, injectApi, type Method, signUp, testApp } from './api-fixtures';

const DEFAULTS = {
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
};

interface BadValue {
  /** The settings sent, as the test's name. */
  body: Record<string, unknown>;
  /** The field the 400 must name. */
  field: string;
  /** What the message must also say: the allowed range, or the rule across fields. */
  says: RegExp;
}

const threshold = /from 1 to 100/;
const keywordRule = /at most 20 keywords, each 1 to 200 characters and not only spaces/;
const earlyRule = /from 1 to 86400/;
const anomalyRule = /"mode": "auto".*"mode": "bounds".*from 0 to 604800/;
const keywords = (n: number) => Array.from({ length: n }, (_, i) => `keyword ${i}`);

/** Bad values for a cron check (so earlyTolerance is allowed there). */
const badValues: BadValue[] = [
  ...(['failureThreshold', 'recoveryThreshold'] as const).flatMap((field) =>
    [0, 101, -1, 2.5, 'three', null, {}, [1, 2]].map((value) => ({ body: { [field]: value }, field, says: threshold })),
  ),
  ...(['successKeywords', 'failureKeywords', 'startKeywords'] as const).flatMap((field) =>
    [[''], ['   '], ['\t\n'], ['x'.repeat(201)], keywords(21), [{}], { ERROR: true }, null].map((value) => ({
      body: { [field]: value },
      field,
      says: keywordRule,
    })),
  ),
  ...[0, 86_401, -5, 1.5, 'ten minutes', {}].map((value) => ({
    body: { earlyTolerance: value },
    field: 'earlyTolerance',
    says: earlyRule,
  })),
  ...[0, 101, 1.5, 'one', {}].map((value) => ({ body: { maxConcurrentRuns: value }, field: 'maxConcurrentRuns', says: /from 1 to 100/ })),
  ...[
    'auto',
    5,
    [],
    {},
    { mode: 'fast' },
    { mode: 'auto', factor: 1.49 },
    { mode: 'auto', factor: 100.01 },
    { mode: 'auto', factor: 'three' },
    { mode: 'auto', minDuration: 5 },
    { mode: 'auto', extra: 1 },
    { mode: 'bounds' },
    { mode: 'bounds', minDuration: null, maxDuration: null },
    { mode: 'bounds', minDuration: -1 },
    { mode: 'bounds', maxDuration: 604_801 },
    { mode: 'bounds', minDuration: 1.5 },
    { mode: 'bounds', minDuration: 600, maxDuration: 600 },
    { mode: 'bounds', minDuration: 601, maxDuration: 600 },
    { mode: 'bounds', factor: 3, maxDuration: 600 },
  ].map((value) => ({ body: { durationAnomaly: value }, field: 'durationAnomaly', says: anomalyRule })),
];

describe.each(testDatabaseKinds())('alert policy settings in the checks API on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let headers: Record<string, string>;
  beforeAll(async () => {
    app = await testApp(test.database);
    headers = bearer((await createKey(app, await signUp(app), 'read-write')).key);
  });
  afterAll(() => app.close());

  const call = (method: Method, url: string, payload?: unknown) => injectApi(app, method, url, headers, payload);
  const create = async (body: Record<string, unknown>) => {
    const created = await call('POST', '/checks', { name: 'Policies', ...body });
    expect(created.statusCode, created.body).toBe(201);
    return created.json();
  };
  const cronCheck = () => create({ cron: '0 3 * * *', tz: 'Europe/Berlin' });

  it('gives a new check the defaults: thresholds of 1, no keywords, the other policies off, nothing counted', async () => {
    expect(await create({})).toMatchObject(DEFAULTS);
    expect(await cronCheck()).toMatchObject(DEFAULTS);
  });

  it('stores every setting given on create and shows it again', async () => {
    const settings = {
      failureThreshold: 3,
      recoveryThreshold: 2,
      successKeywords: ['All done', 'OK'],
      failureKeywords: ['ERROR', 'Traceback'],
      startKeywords: ['Backup started'],
      earlyTolerance: 600,
      maxConcurrentRuns: 1,
      durationAnomaly: { mode: 'auto', factor: 2.5 },
    };
    const check = await create({ cron: '0 3 * * *', ...settings });
    expect(check).toMatchObject({ ...settings, failures: 0, successes: 0 });
    expect((await call('GET', `/checks/${check.id}`)).json()).toEqual(check);
  });

  it('changes each setting alone with PATCH, leaving the others, and turns the optional ones off with null', async () => {
    const check = await cronCheck();
    const steps: Record<string, unknown>[] = [
      { failureThreshold: 100 },
      { recoveryThreshold: 100 },
      { failureThreshold: 1, recoveryThreshold: 1 },
      { successKeywords: keywords(20) },
      { failureKeywords: ['x'.repeat(200), ' padded '] },
      { startKeywords: keywords(20) },
      { earlyTolerance: 1 },
      { earlyTolerance: 86_400 },
      { maxConcurrentRuns: 100 },
      { durationAnomaly: { mode: 'auto', factor: 1.5 } },
      { durationAnomaly: { mode: 'auto', factor: 100 } },
      { durationAnomaly: { mode: 'bounds', minDuration: 0, maxDuration: 604_800 } },
      { durationAnomaly: { mode: 'bounds', minDuration: 599, maxDuration: 600 } },
      { successKeywords: [], failureKeywords: [], startKeywords: [] },
      { earlyTolerance: null, maxConcurrentRuns: null, durationAnomaly: null },
    ];
    let expected = (await call('GET', `/checks/${check.id}`)).json();
    for (const step of steps) {
      const patched = await call('PATCH', `/checks/${check.id}`, step);
      expect(patched.statusCode, `${JSON.stringify(step)}: ${patched.body}`).toBe(200);
      expected = { ...expected, ...step };
      expect(patched.json()).toEqual(expected);
      expect((await call('GET', `/checks/${check.id}`)).json()).toEqual(expected);
    }
    expect(expected).toMatchObject(DEFAULTS);
  });

  it('fills in the default factor of auto mode and the missing side of bounds', async () => {
    const check = await create({ durationAnomaly: { mode: 'auto' } });
    expect(check.durationAnomaly).toEqual({ mode: 'auto', factor: 3 });
    const onlyMax = await call('PATCH', `/checks/${check.id}`, { durationAnomaly: { mode: 'bounds', maxDuration: 7200 } });
    expect(onlyMax.json().durationAnomaly).toEqual({ mode: 'bounds', minDuration: null, maxDuration: 7200 });
    const onlyMin = await call('PATCH', `/checks/${check.id}`, { durationAnomaly: { mode: 'bounds', minDuration: 30 } });
    expect(onlyMin.json().durationAnomaly).toEqual({ mode: 'bounds', minDuration: 30, maxDuration: null });
  });

  it('applies the settings of an upsert to the check it matches', async () => {
    const first = await call('POST', '/checks', { name: 'Upserted', slug: 'upserted-policies', unique: ['slug'], failureThreshold: 2 });
    expect(first.statusCode).toBe(201);
    const again = await call('POST', '/checks', { slug: 'upserted-policies', unique: ['slug'], failureKeywords: ['FATAL'] });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, failureThreshold: 2, failureKeywords: ['FATAL'] });
  });

  describe('refuses every bad value with a 400 that names the field and what it accepts', () => {
    it.each(badValues.map((bad) => [JSON.stringify(bad.body), bad] as const))('%s', async (_name, bad) => {
      const refusedCreate = await call('POST', '/checks', { name: 'Refused', cron: '0 3 * * *', ...bad.body });
      expect(refusedCreate.statusCode, refusedCreate.body).toBe(400);
      const { error } = refusedCreate.json();
      expect(error.fields).toHaveProperty(bad.field);
      expect(error.message).toContain(`${bad.field}:`);
      expect(error.message).toMatch(bad.says);

      const check = await cronCheck();
      const before = (await call('GET', `/checks/${check.id}`)).json();
      const refusedEdit = await call('PATCH', `/checks/${check.id}`, { name: 'Renamed', ...bad.body });
      expect(refusedEdit.statusCode, refusedEdit.body).toBe(400);
      expect(refusedEdit.json().error.message).toContain(`${bad.field}:`);
      expect((await call('GET', `/checks/${check.id}`)).json()).toEqual(before);
    });
  });

  it('refuses an early tolerance for a period schedule, on create and on edit', async () => {
    const created = await call('POST', '/checks', { name: 'Hourly', period: 3600, earlyTolerance: 60 });
    expect(created.statusCode).toBe(400);
    expect(created.json().error.message).toMatch(/^earlyTolerance: earlyTolerance applies to cron and OnCalendar schedules only/);
    const defaultSchedule = await call('POST', '/checks', { name: 'Default schedule', earlyTolerance: 60 });
    expect(defaultSchedule.statusCode).toBe(400);
    expect(defaultSchedule.json().error.fields).toHaveProperty('earlyTolerance');

    const hourly = await create({ period: 3600 });
    const edited = await call('PATCH', `/checks/${hourly.id}`, { earlyTolerance: 60 });
    expect(edited.statusCode).toBe(400);
    expect(edited.json().error.message).toMatch(/^earlyTolerance: earlyTolerance applies to cron and OnCalendar schedules only/);
    expect((await call('GET', `/checks/${hourly.id}`)).json()).toEqual(hourly);
    // Turning it off is no early tolerance at all, so a period check may say so.
    expect((await call('PATCH', `/checks/${hourly.id}`, { earlyTolerance: null })).statusCode).toBe(200);
    // Given with a cron expression in the same request, it is allowed.
    const toCron = await call('PATCH', `/checks/${hourly.id}`, { cron: '*/15 * * * *', earlyTolerance: 60 });
    expect(toCron.statusCode, toCron.body).toBe(200);
    expect(toCron.json()).toMatchObject({ period: null, cron: '*/15 * * * *', earlyTolerance: 60 });
  });

  it('refuses to switch a check with an early tolerance to a period until the tolerance is turned off', async () => {
    const check = await create({ cron: '0 3 * * *', earlyTolerance: 600 });
    const switched = await call('PATCH', `/checks/${check.id}`, { period: 86_400 });
    expect(switched.statusCode).toBe(400);
    expect(switched.json().error.message).toMatch(/^earlyTolerance: earlyTolerance applies to cron and OnCalendar schedules only/);
    expect(switched.json().error.message).toMatch(/set earlyTolerance to null/);
    expect((await call('GET', `/checks/${check.id}`)).json()).toEqual(check);

    const withOff = await call('PATCH', `/checks/${check.id}`, { period: 86_400, earlyTolerance: null });
    expect(withOff.statusCode, withOff.body).toBe(200);
    expect(withOff.json()).toMatchObject({ period: 86_400, cron: null, earlyTolerance: null });
  });

  it('shows the failed and successful runs counted so far, and an edit of settings leaves them', async () => {
    const check = await create({ failureThreshold: 3, recoveryThreshold: 3 });
    const failure = (at: string) => ({ reason: 'failed', at, exitStatus: 1 });
    await test.db
      .update(checks)
      .set({ runRecord: { failures: [failure('2026-01-01T01:00:00.000Z'), failure('2026-01-01T02:00:00.000Z')], durations: [1000] } })
      .where(eq(checks.id, check.id));
    expect((await call('GET', `/checks/${check.id}`)).json()).toMatchObject({ failures: 2, successes: 0 });
    expect((await call('PATCH', `/checks/${check.id}`, { failureThreshold: 4, name: 'Still failing' })).json()).toMatchObject({
      failureThreshold: 4,
      failures: 2,
    });
    const [stored] = await test.db.select({ runRecord: checks.runRecord }).from(checks).where(eq(checks.id, check.id));
    expect(stored?.runRecord).toMatchObject({ durations: [1000] });

    await test.db
      .update(checks)
      .set({ runRecord: { successes: 1 } })
      .where(eq(checks.id, check.id));
    expect((await call('GET', `/checks/${check.id}`)).json()).toMatchObject({ failures: 0, successes: 1 });
  });

  it("lists a flip's runs with ISO times and a ping's keyword", async () => {
    const check = await create({ failureThreshold: 2, failureKeywords: ['ERROR'] });
    const at = new Date('2026-01-01T03:00:00Z');
    const runs = {
      failures: [
        { reason: 'missed' as const, at: new Date('2026-01-01T02:05:00Z'), scheduled: new Date('2026-01-01T02:00:00Z') },
        { reason: 'failed' as const, at, exitStatus: null, keyword: 'ERROR' },
      ],
      failureThreshold: 2,
    };
    await test.db.insert(flips).values([
      flipColumns(check.id, { from: 'up', to: 'down', reason: 'failed', at, exitStatus: null, runs }),
      flipColumns(check.id, {
        from: 'down',
        to: 'up',
        reason: 'success',
        at: new Date('2026-01-01T05:00:00Z'),
        exitStatus: null,
        runs: { successes: 2, recoveryThreshold: 2 },
      }),
      flipColumns(check.id, {
        from: 'up',
        to: 'paused',
        reason: 'paused',
        at: new Date('2026-01-01T06:00:00Z'),
        exitStatus: null,
        runs: null,
      }),
    ]);
    const listedFlips = (await call('GET', `/checks/${check.id}/flips`)).json().flips;
    expect(listedFlips.map((flip: { runs: unknown }) => flip.runs)).toEqual([
      null,
      { successes: 2, recoveryThreshold: 2 },
      {
        failures: [
          { reason: 'missed', at: '2026-01-01T02:05:00.000Z', scheduled: '2026-01-01T02:00:00.000Z' },
          { reason: 'failed', at: '2026-01-01T03:00:00.000Z', exitStatus: null, keyword: 'ERROR' },
        ],
        failureThreshold: 2,
      },
    ]);

    const ping = { checkId: check.id, kind: 'fail' as const, method: 'POST', scheme: 'https', createdAt: at };
    await test.db.insert(pings).values([
      { ...ping, n: 1, keyword: 'ERROR' },
      { ...ping, n: 2, kind: 'success' as const },
    ]);
    const listed = (await call('GET', `/checks/${check.id}/pings`)).json().pings;
    expect(listed.map((p: { n: number; keyword: unknown }) => [p.n, p.keyword])).toEqual([
      [2, null],
      [1, 'ERROR'],
    ]);
  });
});
