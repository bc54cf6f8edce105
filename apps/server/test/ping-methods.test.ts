import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createKey, injectApi, signUp, testApp } from './api-fixtures';
import { aCheck, checkRow, pingRows } from './ping-fixtures';

/** Healthchecks' per-check `methods`: '' takes any method, 'POST' stores a GET or HEAD as ignored. */
describe.each(testDatabaseKinds())('a check’s methods on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testApp(test.database);
  });
  afterAll(() => app.close());

  describe('in the API', () => {
    it('defaults to any method, and is set on create and by PATCH', async () => {
      const owner = await signUp(app);
      const plain = await injectApi(app, 'POST', '/checks', owner.headers, { name: 'plain' });
      expect(plain.json()).toMatchObject({ methods: '' });
      const postOnly = await injectApi(app, 'POST', '/checks', owner.headers, { name: 'post only', methods: 'POST' });
      expect(postOnly.statusCode).toBe(201);
      expect(postOnly.json()).toMatchObject({ methods: 'POST' });
      const patched = await injectApi(app, 'PATCH', `/checks/${postOnly.json().id}`, owner.headers, { methods: '' });
      expect(patched.json()).toMatchObject({ methods: '' });
      const listed = (await injectApi(app, 'GET', '/checks', owner.headers)).json();
      expect(listed.checks.map((check: { methods: string }) => check.methods)).toEqual(['', '']);
    });

    it('shows it to read-only keys too, who may not change it', async () => {
      const owner = await signUp(app);
      const { id } = (await injectApi(app, 'POST', '/checks', owner.headers, { name: 'job', methods: 'POST' })).json();
      const readOnly = bearer((await createKey(app, owner, 'read-only')).key);
      expect((await injectApi(app, 'GET', `/checks/${id}`, readOnly)).json()).toMatchObject({ methods: 'POST' });
      expect((await injectApi(app, 'PATCH', `/checks/${id}`, readOnly, { methods: '' })).statusCode).toBe(403);
    });

    it.each(['GET', 'post', 'ANY', null, 1])('refuses methods %j with a 400 naming the field', async (methods) => {
      const owner = await signUp(app);
      const response = await injectApi(app, 'POST', '/checks', owner.headers, { name: 'job', methods });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toContain('methods');
    });

    it('takes methods in an upsert by slug', async () => {
      const owner = await signUp(app);
      await injectApi(app, 'POST', '/checks', owner.headers, { slug: 'nightly' });
      const upserted = await injectApi(app, 'POST', '/checks', owner.headers, { slug: 'nightly', methods: 'POST', unique: ['slug'] });
      expect(upserted).toMatchObject({ statusCode: 200 });
      expect(upserted.json()).toMatchObject({ methods: 'POST' });
    });
  });

  describe('on pings', () => {
    it.each(['GET', 'HEAD'] as const)('stores a %s to a POST-only check as ignored, answers OK and changes nothing', async (method) => {
      const { check } = await aCheck(test.db, { methods: 'POST' });
      for (const suffix of ['', '/start', '/fail', '/1']) {
        const response = await app.inject({ method, url: `/ping/${check.pingCode}${suffix}` });
        expect(response.statusCode).toBe(200);
      }
      expect((await pingRows(test.db, check.id)).map((ping) => [ping.kind, ping.method])).toEqual(Array(4).fill(['ignored', method]));
      expect(await checkRow(test.db, check.id)).toMatchObject({ status: 'new', lastPing: null, lastStart: null, nPings: 4 });
    });

    it('records a POST to a POST-only check, by ping code and by slug', async () => {
      const { project, check } = await aCheck(test.db, { methods: 'POST', slug: 'job' });
      expect((await app.inject({ method: 'POST', url: `/ping/${check.pingCode}/start` })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: `/ping/${project.pingKey}/job` })).statusCode).toBe(200);
      expect((await app.inject({ method: 'POST', url: `/ping/${project.pingKey}/job`, payload: 'done' })).statusCode).toBe(200);
      expect((await pingRows(test.db, check.id)).map((ping) => ping.kind)).toEqual(['start', 'ignored', 'success']);
      expect(await checkRow(test.db, check.id)).toMatchObject({ status: 'up', lastStart: null });
    });

    it('takes every method when set to any', async () => {
      const { check } = await aCheck(test.db);
      for (const method of ['GET', 'HEAD', 'POST'] as const) await app.inject({ method, url: `/ping/${check.pingCode}` });
      expect((await pingRows(test.db, check.id)).map((ping) => ping.kind)).toEqual(['success', 'success', 'success']);
    });

    it('follows an edit at once, though the server knew the check from its last ping', async () => {
      const owner = await signUp(app);
      const created = (await injectApi(app, 'POST', '/checks', owner.headers, { name: 'edited' })).json();
      expect((await app.inject({ url: `/ping/${created.pingCode}` })).statusCode).toBe(200);
      await injectApi(app, 'PATCH', `/checks/${created.id}`, owner.headers, { methods: 'POST' });
      await app.inject({ url: `/ping/${created.pingCode}/fail` });
      await injectApi(app, 'PATCH', `/checks/${created.id}`, owner.headers, { methods: '' });
      await app.inject({ url: `/ping/${created.pingCode}/log` });
      expect((await pingRows(test.db, created.id)).map((ping) => ping.kind)).toEqual(['success', 'ignored', 'log']);
      expect(await checkRow(test.db, created.id)).toMatchObject({ status: 'up' });
    });
  });
});
