import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, BASE_URL, injectApi, type Method, type Person, signUp, testApp } from './api-fixtures';

describe.each(testDatabaseKinds())('projects, members and invitations on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let owner: Person;
  beforeAll(async () => {
    app = await testApp(test.database);
    owner = await signUp(app);
  });
  afterAll(() => app.close());

  const call = (method: Method, url: string, headers: Record<string, string>, payload?: object) =>
    injectApi(app, method, url, headers, payload);

  it('creates and renames projects; owners and admins see and rotate the ping key', async () => {
    const created = await call('POST', '/projects', owner.headers, { name: 'Second' });
    expect(created.statusCode).toBe(201);
    const project = created.json();
    expect(project).toMatchObject({ name: 'Second', role: 'owner', pingUrl: `${BASE_URL}/ping/${project.pingKey}` });
    const renamed = await call('PATCH', `/projects/${project.id}`, owner.headers, { name: 'Renamed', defaultPeriod: 3600 });
    expect(renamed.json()).toMatchObject({ name: 'Renamed', defaultPeriod: 3600 });
    const rotated = (await call('POST', `/projects/${project.id}/ping-key`, owner.headers)).json();
    expect(rotated.pingKey).not.toBe(project.pingKey);
    expect((await call('PATCH', `/projects/${project.id}`, owner.headers, {})).json().error.code).toBe('CB_INVALID_REQUEST');
    expect((await call('POST', '/projects', owner.headers, { name: '' })).json().error.fields).toEqual({
      name: 'must NOT have fewer than 1 characters',
    });
    // With two projects, the header says which one a request is about.
    const ambiguous = await call('GET', '/checks', owner.headers);
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json().error.message).toMatch(/^X-Project-Id: required/);
    expect((await call('GET', '/checks', { ...owner.headers, 'x-project-id': project.id })).statusCode).toBe(200);
    owner.headers['x-project-id'] = owner.projectId;
  });

  it('lets admins manage members but not owners, and keeps one owner', async () => {
    const admin = await addMember(app, owner, 'admin');
    const member = await addMember(app, owner, 'member');
    const path = (person: Person) => `/projects/${owner.projectId}/members/${person.userId}`;
    expect((await call('PATCH', path(member), admin.headers, { role: 'readonly' })).statusCode).toBe(204);
    expect((await call('PATCH', path(member), admin.headers, { role: 'owner' })).statusCode).toBe(403);
    expect((await call('PATCH', path(owner), admin.headers, { role: 'member' })).statusCode).toBe(403);
    expect((await call('DELETE', path(owner), admin.headers)).statusCode).toBe(403);
    expect(
      (await call('POST', `/projects/${owner.projectId}/invitations`, admin.headers, { email: 'o@example.com', role: 'owner' })).statusCode,
    ).toBe(403);
    const lastOwner = await call('PATCH', path(owner), owner.headers, { role: 'admin' });
    expect(lastOwner.statusCode).toBe(409);
    expect((await call('DELETE', path(member), admin.headers)).statusCode).toBe(204);
    expect((await call('GET', '/checks', member.headers)).statusCode).toBe(404);
  });

  it('keeps an owner when two owners demote each other at the same moment', async () => {
    const project = (await call('POST', '/projects', owner.headers, { name: 'Two owners' })).json();
    const headers = { ...owner.headers, 'x-project-id': project.id };
    const second = await addMember(app, { ...owner, projectId: project.id, headers }, 'owner');
    const path = (person: Person) => `/projects/${project.id}/members/${person.userId}`;
    const answers = await Promise.all([
      call('PATCH', path(second), headers, { role: 'admin' }),
      call('PATCH', path(owner), second.headers, { role: 'admin' }),
    ]);
    // One wins; the other finds itself no longer an owner (403) or its target the last one (409).
    const [won, lost] = answers.map((answer) => answer.statusCode).sort();
    expect(won).toBe(204);
    expect([403, 409]).toContain(lost);
    const members = (await call('GET', `/projects/${project.id}/members`, headers)).json().members;
    expect(members.filter((member: { role: string }) => member.role === 'owner')).toHaveLength(1);
    const lastOwner = members.find((member: { role: string }) => member.role === 'owner');
    const self = lastOwner.userId === owner.userId ? headers : second.headers;
    expect((await call('DELETE', `/projects/${project.id}/members/${lastOwner.userId}`, self)).statusCode).toBe(409);
  });
});
