import { nextExpected } from '@cronbeat/core';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createKey, injectApi, type Method, signUp, testApp } from './api-fixtures';

describe.each(testDatabaseKinds())('OnCalendar schedules in the checks API on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let rw: Record<string, string>;
  beforeAll(async () => {
    app = await testApp(test.database);
    const owner = await signUp(app);
    rw = bearer((await createKey(app, owner, 'read-write')).key);
  });
  afterAll(() => app.close());

  const call = (method: Method, url: string, payload?: unknown) => injectApi(app, method, url, rw, payload);

  it('creates a check with OnCalendar expressions and expects its next ping when one elapses', async () => {
    const created = await call('POST', '/checks', {
      name: 'Weekday report',
      onCalendar: ' Mon..Fri *-*-* 09:00 \n*-*~01 18:00 UTC',
      tz: 'Europe/Riga',
    });
    expect(created.statusCode).toBe(201);
    const check = created.json();
    expect(check).toMatchObject({ period: null, cron: null, onCalendar: 'Mon..Fri *-*-* 09:00\n*-*~01 18:00 UTC', tz: 'Europe/Riga' });

    expect((await app.inject({ url: `/ping/${check.pingCode}` })).statusCode).toBe(200);
    const pinged = (await call('GET', `/checks/${check.id}`)).json();
    expect(pinged.status).toBe('up');
    const expected = nextExpected({ kind: 'oncalendar', onCalendar: check.onCalendar, tz: 'Europe/Riga' }, new Date(pinged.lastPing));
    expect(pinged.nextPing).toBe(expected?.toISOString());
    // 09:00 in Riga on a weekday, or 18:00 UTC on the last day of a month
    const next = new Date(pinged.nextPing);
    const rigaHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Riga', hour: 'numeric', hourCycle: 'h23' }).format(next));
    expect(rigaHour === 9 || next.getUTCHours() === 18).toBe(true);
  });

  it('switches a check between period, cron and OnCalendar, keeping the zone for a new expression and re-zoning with tz alone', async () => {
    const { id } = (await call('POST', '/checks', { name: 'Switcher', period: 3600 })).json();
    const toCalendar = await call('PATCH', `/checks/${id}`, { onCalendar: 'daily', tz: 'America/New_York', earlyTolerance: 300 });
    expect(toCalendar.json()).toMatchObject({ period: null, cron: null, onCalendar: 'daily', tz: 'America/New_York', earlyTolerance: 300 });
    const rezoned = await call('PATCH', `/checks/${id}`, { tz: 'Australia/Lord_Howe' });
    expect(rezoned.json()).toMatchObject({ onCalendar: 'daily', tz: 'Australia/Lord_Howe' });
    const newExpression = await call('PATCH', `/checks/${id}`, { onCalendar: '*:0/15' });
    expect(newExpression.json()).toMatchObject({ onCalendar: '*:0/15', tz: 'Australia/Lord_Howe' });
    const toCron = await call('PATCH', `/checks/${id}`, { cron: '0 9 * * 1-5' });
    expect(toCron.json()).toMatchObject({ period: null, cron: '0 9 * * 1-5', onCalendar: null, tz: 'Australia/Lord_Howe' });
    const toPeriod = await call('PATCH', `/checks/${id}`, { period: 600, earlyTolerance: null });
    expect(toPeriod.json()).toMatchObject({ period: 600, cron: null, onCalendar: null, tz: 'UTC' });
  });

  it.each([
    [
      { onCalendar: 'Mon..Fri 25:00' },
      'onCalendar',
      /^"Mon..Fri 25:00" is not a valid OnCalendar expression \(hour 25 is out of range \(0-23\)\)/,
    ],
    [{ onCalendar: 'Fri..Mon' }, 'onCalendar', /weekday range must go from Monday towards Sunday/],
    [{ onCalendar: '' }, 'onCalendar', /./],
    [{ onCalendar: 'daily', tz: 'Mars/Olympus' }, 'tz', /^unknown time zone "Mars\/Olympus"/],
    [{ onCalendar: 'daily', cron: '0 0 * * *' }, 'cron', /either period or cron or onCalendar \(with tz\), not cron and onCalendar/],
    [{ onCalendar: 'x'.repeat(1001) }, 'onCalendar', /./],
  ])('refuses %j with a 400 naming %s', async (body, field, message) => {
    const response = await call('POST', '/checks', { name: 'Bad', ...body });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields[field]).toMatch(message);
  });

  it('documents onCalendar in OpenAPI for create, edit, preview and the check itself', async () => {
    const text = (await app.inject('/api/v1/openapi.json')).body;
    const doc = JSON.parse(text);
    const bodyOf = (path: string, method: string) => JSON.stringify(doc.paths[path][method].requestBody);
    for (const [path, method] of [
      ['/api/v1/checks', 'post'],
      ['/api/v1/checks/{id}', 'patch'],
      ['/api/v1/schedule/preview', 'post'],
    ] as const) {
      expect(bodyOf(path, method), `${method} ${path}`).toMatch(/"onCalendar":\{[^}]*systemd OnCalendar expressions, one per line/);
    }
    expect(JSON.stringify(doc.paths['/api/v1/checks/{id}'].get.responses)).toContain('"onCalendar"');
  });

  it('previews OnCalendar times, across the Riga spring-forward gap', async () => {
    const preview = await call('POST', '/schedule/preview', {
      onCalendar: '*-*-* 03:30',
      tz: 'Europe/Riga',
      after: '2026-03-28T00:00:00Z',
      count: 3,
    });
    expect(preview.json().times).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-30T00:30:00.000Z', '2026-03-31T00:30:00.000Z']);
    const past = await call('POST', '/schedule/preview', { onCalendar: '2026-01-01 09:00', after: '2026-06-01T00:00:00Z' });
    expect(past.json().times).toEqual([]);
    const bad = await call('POST', '/schedule/preview', { onCalendar: '*:*/5' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.onCalendar).toMatch(/a repetition follows a number/);
  });
});
