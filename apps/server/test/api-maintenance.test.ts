import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer, createKey, injectApi, type Method, type Person, signUp, testApp } from './api-fixtures';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const isoIn = (ms: number) => new Date(Date.now() + ms).toISOString();

/** A cron expression (UTC) that fired at the start of the current minute a minute ago, so its window is in force now. */
function cronFiredAMinuteAgo(): { cron: string; firedAt: Date } {
  const firedAt = new Date(Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - MINUTE_MS);
  return { cron: `${firedAt.getUTCMinutes()} ${firedAt.getUTCHours()} * * *`, firedAt };
}

describe.each(testDatabaseKinds())('maintenance windows API on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let owner: Person;
  let headers: Record<string, string>;
  beforeAll(async () => {
    app = await testApp(test.database);
    owner = await signUp(app);
    headers = bearer((await createKey(app, owner)).key);
  });
  afterAll(() => app.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  const call = (method: Method, url: string, payload?: object, as = headers) => injectApi(app, method, url, as, payload);
  const create = async (payload: object, as = headers) => {
    const response = await call('POST', '/maintenance-windows', payload, as);
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };
  /** A project of its own, for tests that need to know every window in it. */
  async function freshProject() {
    const person = await signUp(app);
    const key = bearer((await createKey(app, person)).key);
    return {
      person,
      call: (method: Method, url: string, payload?: object, as: Record<string, string> = key) => call(method, url, payload, as),
      create: (payload: object) => create(payload, key),
    };
  }

  it('creates, lists, shows, edits and deletes a one-off window', async () => {
    const startsAt = isoIn(HOUR_MS);
    const endsAt = isoIn(3 * HOUR_MS);
    const window = await create({ name: 'Database upgrade', kind: 'once', startsAt, endsAt });
    expect(window).toEqual({
      id: expect.any(String),
      name: 'Database upgrade',
      kind: 'once',
      startsAt,
      endsAt,
      covers: 'project',
      tags: [],
      checks: [],
      endedAt: null,
      createdAt: expect.stringMatching(/Z$/),
      current: null,
      next: { start: startsAt, end: endsAt },
    });
    const listed = (await call('GET', '/maintenance-windows')).json().maintenanceWindows;
    expect(listed.map((w: { id: string }) => w.id)).toContain(window.id);
    expect((await call('GET', `/maintenance-windows/${window.id}`)).json()).toEqual(window);

    const later = isoIn(5 * HOUR_MS);
    const edited = await call('PATCH', `/maintenance-windows/${window.id}`, { name: 'Upgrade, part 2', endsAt: later, tags: ['db'] });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({
      name: 'Upgrade, part 2',
      startsAt,
      endsAt: later,
      covers: 'tags',
      tags: ['db'],
      next: { end: later },
    });

    expect((await call('DELETE', `/maintenance-windows/${window.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/maintenance-windows/${window.id}`)).statusCode).toBe(404);
    expect((await call('DELETE', `/maintenance-windows/${window.id}`)).statusCode).toBe(404);
  });

  it('creates, edits and deletes a recurring window, in UTC unless told', async () => {
    const window = await create({ name: 'Backups', kind: 'recurring', cron: '0 2 * * SUN', duration: 7200 });
    expect(window).toMatchObject({ kind: 'recurring', cron: '0 2 * * SUN', tz: 'UTC', duration: 7200, covers: 'project' });
    expect(window).not.toHaveProperty('startsAt');
    const next = window.next as { start: string; end: string };
    expect(new Date(next.start).getUTCDay()).toBe(0);
    expect(next.start).toMatch(/T02:00:00\.000Z$/);
    expect(Date.parse(next.end) - Date.parse(next.start)).toBe(7200 * 1000);

    const edited = (
      await call('PATCH', `/maintenance-windows/${window.id}`, { cron: '@daily', tz: 'Europe/Berlin', duration: 600 })
    ).json();
    expect(edited).toMatchObject({ cron: '0 0 * * *', tz: 'Europe/Berlin', duration: 600 });

    // Switching kinds takes the new kind's fields and drops the old kind's.
    const switched = await call('PATCH', `/maintenance-windows/${window.id}`, {
      kind: 'once',
      startsAt: isoIn(HOUR_MS),
      endsAt: isoIn(2 * HOUR_MS),
    });
    expect(switched.statusCode, switched.body).toBe(200);
    expect(switched.json()).toMatchObject({ kind: 'once' });
    expect(switched.json()).not.toHaveProperty('cron');
    expect((await call('DELETE', `/maintenance-windows/${window.id}`)).statusCode).toBe(204);
  });

  it('ends a one-off window in force now, and answers 409 when none is', async () => {
    const window = await create({ name: 'Now', kind: 'once', startsAt: isoIn(-HOUR_MS), endsAt: isoIn(HOUR_MS) });
    expect(window.current).toEqual({ start: window.startsAt, end: window.endsAt });
    const ended = await call('POST', `/maintenance-windows/${window.id}/end`);
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toMatchObject({ current: null, next: null, endedAt: expect.stringMatching(/Z$/) });
    const again = await call('POST', `/maintenance-windows/${window.id}/end`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/not in force/);

    const future = await create({ name: 'Later', kind: 'once', startsAt: isoIn(HOUR_MS), endsAt: isoIn(2 * HOUR_MS) });
    expect((await call('POST', `/maintenance-windows/${future.id}/end`)).statusCode).toBe(409);
    expect((await call('GET', `/maintenance-windows/${future.id}`)).json().endedAt).toBeNull();
  });

  it("ends a recurring window's occurrence in force, leaving the next one; changing its times undoes that", async () => {
    const { cron, firedAt } = cronFiredAMinuteAgo();
    const window = await create({ name: 'Hourly-ish', kind: 'recurring', cron, duration: 3600 });
    expect(window.current).toEqual({ start: firedAt.toISOString(), end: new Date(firedAt.getTime() + HOUR_MS).toISOString() });
    const ended = (await call('POST', `/maintenance-windows/${window.id}/end`)).json();
    expect(ended.current).toBeNull();
    expect(ended.next).toEqual({
      start: new Date(firedAt.getTime() + 24 * HOUR_MS).toISOString(),
      end: new Date(firedAt.getTime() + 25 * HOUR_MS).toISOString(),
    });
    expect((await call('POST', `/maintenance-windows/${window.id}/end`)).statusCode).toBe(409);
    // A rename keeps the early end; new times are a new plan.
    expect((await call('PATCH', `/maintenance-windows/${window.id}`, { name: 'Renamed' })).json()).toMatchObject({ current: null });
    const replanned = (await call('PATCH', `/maintenance-windows/${window.id}`, { duration: 7200 })).json();
    expect(replanned).toMatchObject({ endedAt: null, current: { start: firedAt.toISOString() } });
  });

  it('tells which window covers a check now and next, by project, tags or ids', async () => {
    const { call, create } = await freshProject();
    const other = await signUp(app);
    const check = (await call('POST', '/checks', { name: 'covered', tags: ['db', 'nightly'] })).json();
    const bystander = (await call('POST', '/checks', { name: 'bystander', tags: ['web'] })).json();
    const before = (await call('GET', `/checks/${check.id}/maintenance`)).json();
    const byTag = await create({ name: 'By tag', kind: 'once', startsAt: isoIn(-HOUR_MS), endsAt: isoIn(HOUR_MS), tags: ['nightly'] });
    const byId = await create({
      name: 'By id',
      kind: 'once',
      startsAt: isoIn(-HOUR_MS),
      endsAt: isoIn(2 * HOUR_MS),
      covers: 'checks',
      checks: [check.id],
    });
    const soon = await create({ name: 'Soon, everything', kind: 'once', startsAt: isoIn(10 * MINUTE_MS), endsAt: isoIn(HOUR_MS) });

    const covered = (await call('GET', `/checks/${check.id}/maintenance`)).json();
    expect(covered.now).toEqual({ windowId: byId.id, name: 'By id', start: byId.startsAt, end: byId.endsAt });
    expect(covered.next).toEqual({ windowId: soon.id, name: 'Soon, everything', start: soon.startsAt, end: soon.endsAt });
    const notCovered = (await call('GET', `/checks/${bystander.id}/maintenance`)).json();
    expect(notCovered.now).toBeNull();
    expect(notCovered.next?.windowId).toBe(soon.id);

    await call('POST', `/maintenance-windows/${byId.id}/end`);
    expect((await call('GET', `/checks/${check.id}/maintenance`)).json().now.windowId).toBe(byTag.id);
    for (const window of [byTag, byId, soon]) await call('DELETE', `/maintenance-windows/${window.id}`);
    expect((await call('GET', `/checks/${check.id}/maintenance`)).json()).toEqual(before);

    expect((await call('GET', `/checks/${check.id}/maintenance`, undefined, other.headers)).statusCode).toBe(404);
    expect((await call('GET', '/checks/00000000-0000-4000-8000-000000000000/maintenance')).statusCode).toBe(404);
  });

  it('lets a read-only key read windows and write none', async () => {
    const { person, call, create } = await freshProject();
    const readOnly = bearer((await createKey(app, person, 'read-only')).key);
    const window = await create({ name: 'Visible', kind: 'once', startsAt: isoIn(-HOUR_MS), endsAt: isoIn(HOUR_MS) });
    const check = (await call('POST', '/checks', { name: 'ro' })).json();
    const writes: Array<[Method, string, object?]> = [
      ['POST', '/maintenance-windows', { name: 'x', kind: 'recurring', cron: '@daily', duration: 60 }],
      ['PATCH', `/maintenance-windows/${window.id}`, { name: 'x' }],
      ['POST', `/maintenance-windows/${window.id}/end`],
      ['DELETE', `/maintenance-windows/${window.id}`],
    ];
    for (const [method, url, payload] of writes) {
      expect([method, url, (await call(method, url, payload, readOnly)).statusCode]).toEqual([method, url, 403]);
    }
    expect((await call('GET', `/maintenance-windows/${window.id}`, undefined, readOnly)).json()).toMatchObject({
      name: 'Visible',
      endedAt: null,
    });
    expect((await call('GET', '/maintenance-windows', undefined, readOnly)).statusCode).toBe(200);
    expect((await call('GET', `/checks/${check.id}/maintenance`, undefined, readOnly)).json().now?.windowId).toBe(window.id);
  });

  it("answers 404 for another project's window and refuses its checks", async () => {
    const other = await signUp(app);
    const otherKey = bearer((await createKey(app, other)).key);
    const theirs = (
      await call(
        'POST',
        '/maintenance-windows',
        { name: 'Theirs', kind: 'once', startsAt: isoIn(-HOUR_MS), endsAt: isoIn(HOUR_MS) },
        otherKey,
      )
    ).json();
    const theirCheck = (await call('POST', '/checks', { name: 'theirs' }, otherKey)).json();
    const routes: Array<[Method, string, object?]> = [
      ['GET', `/maintenance-windows/${theirs.id}`],
      ['PATCH', `/maintenance-windows/${theirs.id}`, { name: 'mine now' }],
      ['POST', `/maintenance-windows/${theirs.id}/end`],
      ['DELETE', `/maintenance-windows/${theirs.id}`],
      ['GET', `/checks/${theirCheck.id}/maintenance`],
    ];
    for (const [method, url, payload] of routes) {
      expect([method, url, (await call(method, url, payload)).statusCode]).toEqual([method, url, 404]);
    }
    const listed = (await call('GET', '/maintenance-windows')).json().maintenanceWindows;
    expect(listed.map((w: { id: string }) => w.id)).not.toContain(theirs.id);
    expect((await call('GET', `/maintenance-windows/${theirs.id}`, undefined, otherKey)).json()).toMatchObject({
      name: 'Theirs',
      endedAt: null,
    });

    const foreign = await call('POST', '/maintenance-windows', {
      name: 'x',
      kind: 'recurring',
      cron: '@daily',
      duration: 60,
      checks: [theirCheck.id],
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.fields.checks).toBe(`${theirCheck.id} is not a check of this project`);
  });

  const recurringBody = { name: 'Nightly', kind: 'recurring', cron: '0 2 * * *', tz: 'Europe/Berlin', duration: 3600 };
  const onceBody = { name: 'Once', kind: 'once', startsAt: '2030-01-01T00:00:00Z', endsAt: '2030-01-01T02:00:00Z' };
  it.each<[string, object, string, RegExp]>([
    ['a bad cron expression', { ...recurringBody, cron: '0 25 * * *' }, 'cron', /hour 25 out of range/],
    ['an unknown zone', { ...recurringBody, tz: 'Mars/Olympus' }, 'tz', /unknown time zone/],
    ['a duration under a minute', { ...recurringBody, duration: 59 }, 'duration', /must be >= 60/],
    ['a duration over 7 days', { ...recurringBody, duration: 604_801 }, 'duration', /must be <= 604800/],
    ['a recurring window without cron', { ...recurringBody, cron: undefined }, 'cron', /required for a recurring window/],
    ['a recurring window without duration', { ...recurringBody, duration: undefined }, 'duration', /required/],
    ['startsAt on a recurring window', { ...recurringBody, startsAt: '2030-01-01T00:00:00Z' }, 'startsAt', /only for one-off windows/],
    ['an end before the start', { ...onceBody, endsAt: '2029-12-31T23:00:00Z' }, 'endsAt', /must be after startsAt/],
    ['an end at the start', { ...onceBody, endsAt: onceBody.startsAt }, 'endsAt', /must be after startsAt/],
    ['a one-off window of 32 days', { ...onceBody, endsAt: '2030-02-02T00:00:00Z' }, 'endsAt', /at most 31 days/],
    ['a one-off window without its end', { ...onceBody, endsAt: undefined }, 'endsAt', /required for a one-off window/],
    ['cron on a one-off window', { ...onceBody, cron: '@daily' }, 'cron', /only for recurring windows/],
    ['a start that is no date', { ...onceBody, startsAt: 'tomorrow' }, 'startsAt', /must match format "date-time"/],
    ['a start in year 0', { ...onceBody, startsAt: '0000-01-01T00:00:00Z' }, 'startsAt', /date-time/],
    ['an unknown kind', { ...onceBody, kind: 'sometimes' }, 'kind', /./],
    ['an empty name', { ...onceBody, name: '' }, 'name', /fewer than 1/],
    ['a name of spaces', { ...onceBody, name: '   ' }, 'name', /pattern/],
    ['a name with NUL', { ...onceBody, name: 'a\u0000b' }, 'name', /NUL/],
    ['tags on a project-wide window', { ...onceBody, covers: 'project', tags: ['db'] }, 'tags', /only with covers "tags"/],
    ['covers tags without tags', { ...onceBody, covers: 'tags' }, 'tags', /at least one tag/],
    [
      'both tags and checks',
      { ...onceBody, tags: ['db'], checks: ['00000000-0000-4000-8000-000000000000'] },
      'covers',
      /required when both/,
    ],
    ['a check id that is no uuid', { ...onceBody, checks: ['nope'] }, 'checks.0', /uuid/],
    ['51 tags', { ...onceBody, tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, 'tags', /must NOT have more than 50 items/],
    ['an unknown field', { ...onceBody, until: 'forever' }, 'until', /not a known field/],
  ])('refuses %s with a 400 naming the field', async (_name, payload, field, message) => {
    const response = await call('POST', '/maintenance-windows', payload);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error.fields?.[field], response.body).toMatch(message);
  });

  it('refuses a bad edit naming the field, and leaves the window as it was', async () => {
    const window = await create(recurringBody);
    const bad: Array<[object, string]> = [
      [{ cron: 'every night' }, 'cron'],
      [{ tz: 'Europe/Nowhere' }, 'tz'],
      [{ kind: 'once' }, 'startsAt'],
      [{ endsAt: '2030-01-01T00:00:00Z' }, 'endsAt'],
      [{}, 'body'],
    ];
    for (const [payload, field] of bad) {
      const response = await call('PATCH', `/maintenance-windows/${window.id}`, payload);
      expect([field, response.statusCode]).toEqual([field, 400]);
      expect(Object.keys(response.json().error.fields ?? { body: '' })).toContain(field);
    }
    expect((await call('GET', `/maintenance-windows/${window.id}`)).json()).toMatchObject({
      cron: '0 2 * * *',
      tz: 'Europe/Berlin',
      duration: 3600,
    });
    expect((await call('PATCH', '/maintenance-windows/not-a-uuid', { name: 'x' })).json().error.fields).toHaveProperty('params.id');
  });

  describe('across DST in Europe/Berlin', () => {
    /** The server's clock at `iso`, only Date: timers and the database's own clock run on. */
    const clockAt = (iso: string) => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date(iso));
    };

    it('opens a fixed time in the skipped hour at the jump, and lasts its duration in real time', async () => {
      clockAt('2026-03-28T12:00:00Z');
      const window = await create({ name: 'Skipped', kind: 'recurring', cron: '30 2 * * *', tz: 'Europe/Berlin', duration: 7200 });
      // 02:30 does not exist on 2026-03-29: the clocks jump from 02:00 CET to 03:00 CEST (01:00Z).
      expect(window.next).toEqual({ start: '2026-03-29T01:00:00.000Z', end: '2026-03-29T03:00:00.000Z' });
      clockAt('2026-03-29T02:59:00Z');
      expect((await call('GET', `/maintenance-windows/${window.id}`)).json()).toMatchObject({
        current: { start: '2026-03-29T01:00:00.000Z', end: '2026-03-29T03:00:00.000Z' },
        next: { start: '2026-03-30T00:30:00.000Z', end: '2026-03-30T02:30:00.000Z' },
      });
    });

    it('opens once in the repeated hour, and a check sees it now and next', async () => {
      const { call, create } = await freshProject();
      clockAt('2026-10-25T00:45:00Z');
      const check = (await call('POST', '/checks', { name: 'dst', tags: ['dst'] })).json();
      const window = await create({
        name: 'Repeated',
        kind: 'recurring',
        cron: '30 2 * * *',
        tz: 'Europe/Berlin',
        duration: 3600,
        tags: ['dst'],
      });
      // 02:30 CEST, the first of the night's two 02:30s.
      const first = { windowId: window.id, name: 'Repeated', start: '2026-10-25T00:30:00.000Z', end: '2026-10-25T01:30:00.000Z' };
      const tomorrow = { windowId: window.id, name: 'Repeated', start: '2026-10-26T01:30:00.000Z', end: '2026-10-26T02:30:00.000Z' };
      expect((await call('GET', `/checks/${check.id}/maintenance`)).json()).toEqual({ now: first, next: tomorrow });
      // 02:45 CET, the second pass: cron does not fire again.
      clockAt('2026-10-25T01:45:00Z');
      expect((await call('GET', `/checks/${check.id}/maintenance`)).json()).toEqual({ now: null, next: tomorrow });
    });
  });
});
