import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createKey, injectApi, type Method, signUp, testApp } from './api-fixtures';

const HOUR_MS = 3_600_000;
const isoIn = (ms: number) => new Date(Date.now() + ms).toISOString();

describe.each(testDatabaseKinds())('Check.maintenance on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testApp(test.database);
  });
  afterAll(() => app.close());

  /** A project of its own, so each test knows every window in it. */
  async function freshProject(access: 'read-write' | 'read-only' = 'read-write') {
    const person = await signUp(app);
    const key = bearer((await createKey(app, person)).key);
    const readOnly = access === 'read-only' ? bearer((await createKey(app, person, 'read-only')).key) : key;
    const call = (method: Method, url: string, payload?: object, as = key) => injectApi(app, method, url, as, payload);
    return { call, readOnly };
  }

  it('shows on every check answer the window in force that covers it, and null for the others', async () => {
    const { call, readOnly } = await freshProject('read-only');
    const covered = (await call('POST', '/checks', { name: 'covered', tags: ['db'] })).json();
    const bystander = (await call('POST', '/checks', { name: 'bystander', tags: ['web'] })).json();
    expect(covered.maintenance).toBeNull();

    const endsAt = isoIn(HOUR_MS);
    const window = (
      await call('POST', '/maintenance-windows', {
        name: 'Database upgrade',
        kind: 'once',
        startsAt: isoIn(-HOUR_MS),
        endsAt,
        tags: ['db'],
      })
    ).json();
    const inForce = { windowId: window.id, name: 'Database upgrade', until: endsAt };

    expect((await call('GET', `/checks/${covered.id}`)).json().maintenance).toEqual(inForce);
    expect((await call('GET', `/checks/${covered.id}`, undefined, readOnly)).json().maintenance).toEqual(inForce);
    expect((await call('GET', `/checks/${bystander.id}`)).json().maintenance).toBeNull();
    const listed = (await call('GET', '/checks')).json().checks;
    expect(listed.map((check: { name: string; maintenance: unknown }) => [check.name, check.maintenance])).toEqual([
      ['covered', inForce],
      ['bystander', null],
    ]);
    const paged = (await call('GET', '/checks?limit=1')).json().checks;
    expect(paged[0].maintenance).toEqual(inForce);
    // Answers to writes say it too.
    expect((await call('PATCH', `/checks/${covered.id}`, { description: 'nightly dump' })).json().maintenance).toEqual(inForce);
    expect((await call('POST', `/checks/${bystander.id}/pause`)).json().maintenance).toBeNull();

    expect((await call('POST', `/maintenance-windows/${window.id}/end`)).statusCode).toBe(200);
    expect((await call('GET', `/checks/${covered.id}`)).json().maintenance).toBeNull();
  });

  it('names, of several windows in force, the one ending last; a window yet to start is not shown', async () => {
    const { call } = await freshProject();
    const check = (await call('POST', '/checks', { name: 'nightly' })).json();
    const soon = isoIn(HOUR_MS);
    const later = isoIn(3 * HOUR_MS);
    await call('POST', '/maintenance-windows', { name: 'Short', kind: 'once', startsAt: isoIn(-HOUR_MS), endsAt: soon });
    const long = (
      await call('POST', '/maintenance-windows', {
        name: 'Long',
        kind: 'once',
        startsAt: isoIn(-HOUR_MS),
        endsAt: later,
        checks: [check.id],
      })
    ).json();
    await call('POST', '/maintenance-windows', {
      name: 'Tomorrow',
      kind: 'once',
      startsAt: isoIn(24 * HOUR_MS),
      endsAt: isoIn(25 * HOUR_MS),
    });
    expect((await call('GET', `/checks/${check.id}`)).json().maintenance).toEqual({ windowId: long.id, name: 'Long', until: later });
  });

  it('shows a recurring window by its occurrence in force', async () => {
    const { call } = await freshProject();
    const check = (await call('POST', '/checks', { name: 'hourly' })).json();
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
    const cron = `${minute.getUTCMinutes()} ${minute.getUTCHours()} * * *`;
    const window = (await call('POST', '/maintenance-windows', { name: 'Nightly', kind: 'recurring', cron, duration: 3600 })).json();
    expect((await call('GET', `/checks/${check.id}`)).json().maintenance).toEqual({
      windowId: window.id,
      name: 'Nightly',
      until: new Date(minute.getTime() + HOUR_MS).toISOString(),
    });
  });

  it("never shows another project's window", async () => {
    const mine = await freshProject();
    const theirs = await freshProject();
    const check = (await mine.call('POST', '/checks', { name: 'mine' })).json();
    await theirs.call('POST', '/maintenance-windows', { name: 'Theirs', kind: 'once', startsAt: isoIn(-HOUR_MS), endsAt: isoIn(HOUR_MS) });
    expect((await mine.call('GET', `/checks/${check.id}`)).json().maintenance).toBeNull();
  });
});
