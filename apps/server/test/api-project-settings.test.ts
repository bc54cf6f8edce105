import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, injectApi, type Person, signUp, testApp } from './api-fixtures';

/** A project's alert grouping: more downs in one sweep pass than `groupAlertsAbove` are told in one message per channel. */
describe.each(testDatabaseKinds())('project alert grouping on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testApp(test.database);
  });
  afterAll(() => app.close());

  const project = (person: Person) => injectApi(app, 'GET', `/projects/${person.projectId}`, person.headers);
  const settings = (person: Person, patch: Record<string, unknown>) =>
    injectApi(app, 'PATCH', `/projects/${person.projectId}`, person.headers, patch);

  it('groups above 5 by default, and takes a number from 1 to 1000 or null (never)', async () => {
    const owner = await signUp(app);
    expect((await project(owner)).json()).toMatchObject({ groupAlertsAbove: 5 });
    expect((await settings(owner, { groupAlertsAbove: 20 })).json()).toMatchObject({ groupAlertsAbove: 20 });
    expect((await settings(owner, { groupAlertsAbove: null })).json()).toMatchObject({ groupAlertsAbove: null });
    expect((await project(owner)).json()).toMatchObject({ groupAlertsAbove: null });
  });

  it.each([
    ['zero', 0],
    ['above 1000', 1001],
    ['a fraction', 2.5],
    ['a word', 'many'],
    ['false', false],
  ])('refuses %s with a 400 naming the field, changing nothing', async (_what, value) => {
    const owner = await signUp(app);
    const answer = await settings(owner, { groupAlertsAbove: value });
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('groupAlertsAbove');
    expect((await project(owner)).json()).toMatchObject({ groupAlertsAbove: 5 });
  });

  it('lets only admins change it', async () => {
    const owner = await signUp(app);
    const member = await addMember(app, owner, 'member');
    expect((await settings(member, { groupAlertsAbove: 50 })).statusCode).toBe(403);
    expect((await project(member)).json()).toMatchObject({ groupAlertsAbove: 5 });
  });
});
