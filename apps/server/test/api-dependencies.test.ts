/**
 * Check dependencies through the REST API: `dependsOn` set on create, PATCH
 * and upsert, replaced and cleared, shown on every check answer; checks of
 * other projects, unknown ids, too many ids and cycles refused with a 400
 * that names them, storing nothing; deleting a check removes its edges.
 */
import { checkDependencies, dependentsOf, parentsOf } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { eq, or } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createKey, injectApi, type Method, signUp, testApp } from './api-fixtures';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe.each(testDatabaseKinds())('check dependencies in the checks API on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let headers: Record<string, string>;
  let readOnly: Record<string, string>;
  let otherProject: Record<string, string>;
  beforeAll(async () => {
    app = await testApp(test.database);
    const owner = await signUp(app);
    headers = bearer((await createKey(app, owner, 'read-write')).key);
    readOnly = bearer((await createKey(app, owner, 'read-only')).key);
    otherProject = bearer((await createKey(app, await signUp(app), 'read-write')).key);
  });
  afterAll(() => app.close());

  const call = (method: Method, url: string, payload?: unknown) => injectApi(app, method, url, headers, payload);
  let made = 0;
  const create = async (
    body: Record<string, unknown> = {},
    as = headers,
  ): Promise<{ id: string; name: string; grace: number; dependsOn: string[] }> => {
    const created = await injectApi(app, 'POST', '/checks', as, { name: `Check ${++made}`, ...body });
    expect(created.statusCode, created.body).toBe(201);
    return created.json();
  };
  const dependsOnOf = async (id: string): Promise<string[]> => (await call('GET', `/checks/${id}`)).json().dependsOn;
  const patch = (id: string, body: Record<string, unknown>) => call('PATCH', `/checks/${id}`, body);

  /** A 400 about dependsOn whose message says `says`. */
  function expectRefused(response: Awaited<ReturnType<typeof call>>, says: string | RegExp) {
    expect(response.statusCode, response.body).toBe(400);
    const { error } = response.json();
    expect(error.message).toMatch(/^dependsOn/);
    expect(
      Object.keys(error.fields).some((field) => field.startsWith('dependsOn')),
      JSON.stringify(error.fields),
    ).toBe(true);
    if (typeof says === 'string') expect(error.message).toContain(says);
    else expect(error.message).toMatch(says);
  }

  it('documents dependsOn in OpenAPI on create, edit and every check answer', async () => {
    const doc = (await app.inject('/api/v1/openapi.json')).json();
    const schemaOf = (path: string, method: string, part: 'requestBody' | 'response') => {
      const operation = doc.paths[path][method];
      const content = part === 'requestBody' ? operation.requestBody.content : operation.responses['200'].content;
      return content['application/json'].schema;
    };
    for (const schema of [schemaOf('/api/v1/checks', 'post', 'requestBody'), schemaOf('/api/v1/checks/{id}', 'patch', 'requestBody')]) {
      expect(schema.properties.dependsOn).toMatchObject({ type: 'array', maxItems: 20 });
      expect(schema.properties.dependsOn.description).toMatch(/cycle/);
    }
    const answer = schemaOf('/api/v1/checks/{id}', 'get', 'response');
    expect(answer.properties.dependsOn).toMatchObject({ type: 'array' });
    expect(answer.required).toContain('dependsOn');
  });

  it('gives a new check no dependencies', async () => {
    expect((await create()).dependsOn).toEqual([]);
  });

  it('stores dependsOn on create and shows it on get, in the list and to read-only callers', async () => {
    const database = await create({ name: 'database' });
    const disk = await create({ name: 'disk' });
    const backup = await create({ name: 'backup', dependsOn: [disk.id, database.id] });
    // Oldest check first, whatever the order given.
    expect(backup.dependsOn).toEqual([database.id, disk.id]);
    expect(await dependsOnOf(backup.id)).toEqual([database.id, disk.id]);

    const listed = (await call('GET', '/checks')).json().checks as { id: string; dependsOn: string[] }[];
    expect(listed.find((check) => check.id === backup.id)?.dependsOn).toEqual([database.id, disk.id]);
    expect(listed.find((check) => check.id === database.id)?.dependsOn).toEqual([]);
    const paged = (await call('GET', '/checks?limit=1000')).json().checks as { id: string; dependsOn: string[] }[];
    expect(paged.find((check) => check.id === backup.id)?.dependsOn).toEqual([database.id, disk.id]);

    const seenReadOnly = await injectApi(app, 'GET', `/checks/${backup.id}`, readOnly);
    expect(seenReadOnly.json().dependsOn).toEqual([database.id, disk.id]);
  });

  it('replaces dependsOn with PATCH, leaves it alone when PATCH does not give it, and clears it with []', async () => {
    const [a, b, c] = [await create(), await create(), await create()];
    const check = await create({ dependsOn: [a.id, b.id] });

    const replaced = await patch(check.id, { dependsOn: [c.id] });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json().dependsOn).toEqual([c.id]);

    const renamed = await patch(check.id, { name: 'Renamed' });
    expect(renamed.json().dependsOn).toEqual([c.id]);

    const cleared = await patch(check.id, { dependsOn: [] });
    expect(cleared.json().dependsOn).toEqual([]);
    expect(await dependsOnOf(check.id)).toEqual([]);
  });

  it('stores an id given twice once', async () => {
    const parent = await create();
    expect((await create({ dependsOn: [parent.id, parent.id] })).dependsOn).toEqual([parent.id]);
  });

  it('sets dependsOn through an upsert, on the check it creates and on the check it matches', async () => {
    const [a, b] = [await create(), await create()];
    const first = await call('POST', '/checks', { slug: 'upserted-deps', unique: ['slug'], dependsOn: [a.id] });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().dependsOn).toEqual([a.id]);
    const again = await call('POST', '/checks', { slug: 'upserted-deps', unique: ['slug'], dependsOn: [b.id] });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, dependsOn: [b.id] });
    const untouched = await call('POST', '/checks', { slug: 'upserted-deps', unique: ['slug'], grace: 120 });
    expect(untouched.json().dependsOn).toEqual([b.id]);
  });

  it('accepts 20 checks and refuses 21, storing nothing', async () => {
    const parents: string[] = [];
    for (let i = 0; i < 21; i++) parents.push((await create()).id);
    const check = await create({ dependsOn: parents.slice(0, 20) });
    expect(check.dependsOn).toHaveLength(20);

    const tooManyOnEdit = await patch(check.id, { dependsOn: parents });
    expectRefused(tooManyOnEdit, /more than 20/);
    expect(await dependsOnOf(check.id)).toHaveLength(20);
    const tooManyOnCreate = await call('POST', '/checks', { name: 'Too many', dependsOn: parents });
    expectRefused(tooManyOnCreate, /more than 20/);
  });

  it('refuses ids that are not uuids, naming dependsOn', async () => {
    const check = await create();
    for (const dependsOn of [['backup'], 'not a list', [42], null]) {
      const refused = await patch(check.id, { dependsOn });
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json().error.message).toMatch(/^dependsOn/);
    }
  });

  it('refuses a check of another project or an unknown id with a 400 naming dependsOn and the id, storing nothing', async () => {
    const theirs = await create({}, otherProject);
    const mine = await create();
    const check = await create({ dependsOn: [mine.id] });

    for (const foreign of [theirs.id, UNKNOWN_ID]) {
      const edited = await patch(check.id, { name: 'Should not stick', dependsOn: [mine.id, foreign] });
      expectRefused(edited, foreign);
      const after = (await call('GET', `/checks/${check.id}`)).json();
      expect(after).toMatchObject({ name: check.name, dependsOn: [mine.id] });

      const name = `Refused ${foreign}`;
      const created = await call('POST', '/checks', { name, dependsOn: [foreign] });
      expectRefused(created, foreign);
      const listed = (await call('GET', '/checks')).json().checks as { name: string }[];
      expect(listed.some((listedCheck) => listedCheck.name === name)).toBe(false);
    }
    // Nor may the other project depend on one of mine.
    const theirEdit = await injectApi(app, 'PATCH', `/checks/${theirs.id}`, otherProject, { dependsOn: [mine.id] });
    expectRefused(theirEdit, mine.id);
  });

  describe('refuses a cycle with a 400 that names it by check names, storing nothing', () => {
    it('of one check: a check that depends on itself', async () => {
      const backup = await create({ name: 'backup' });
      const refused = await patch(backup.id, { dependsOn: [backup.id] });
      expectRefused(refused, 'dependsOn: makes a cycle: backup → backup');
      // Named as the same request would have named it.
      const renaming = await patch(backup.id, { name: 'backup renamed', dependsOn: [backup.id] });
      expectRefused(renaming, 'dependsOn: makes a cycle: backup renamed → backup renamed');
      expect((await call('GET', `/checks/${backup.id}`)).json()).toMatchObject({ name: 'backup', dependsOn: [] });
    });

    it('of two checks', async () => {
      const upload = await create({ name: 'upload' });
      const backup = await create({ name: 'backup', dependsOn: [upload.id] });
      const refused = await patch(upload.id, { dependsOn: [backup.id] });
      expectRefused(refused, 'dependsOn: makes a cycle: upload → backup → upload');
      expect(await dependsOnOf(upload.id)).toEqual([]);
      expect(await dependsOnOf(backup.id)).toEqual([upload.id]);
    });

    it('of three checks, also through an upsert', async () => {
      const verify = await create({ name: 'verify', slug: 'verify-3' });
      const upload = await create({ name: 'upload', dependsOn: [verify.id] });
      const backup = await create({ name: 'backup', dependsOn: [upload.id] });
      const other = await create({ name: 'other' });

      const refused = await patch(verify.id, { dependsOn: [other.id, backup.id] });
      expectRefused(refused, 'dependsOn: makes a cycle: verify → backup → upload → verify');
      const upserted = await call('POST', '/checks', { slug: 'verify-3', unique: ['slug'], grace: 60, dependsOn: [backup.id] });
      expectRefused(upserted, 'dependsOn: makes a cycle: verify → backup → upload → verify');
      expect((await call('GET', `/checks/${verify.id}`)).json()).toMatchObject({ dependsOn: [], grace: verify.grace });
    });

    it('but not a chain whose closing edge the same edit takes away', async () => {
      const [a, b, c] = [await create({ name: 'a' }), await create({ name: 'b' }), await create({ name: 'c' })];
      expect((await patch(a.id, { dependsOn: [b.id] })).statusCode).toBe(200);
      expect((await patch(b.id, { dependsOn: [c.id] })).statusCode).toBe(200);
      // b no longer depends on c and now depends on nothing that leads back to b: fine.
      const moved = await patch(b.id, { dependsOn: [] });
      expect(moved.statusCode).toBe(200);
      expect((await patch(c.id, { dependsOn: [a.id] })).statusCode).toBe(200);
      // A diamond is no cycle either.
      const d = await create({ name: 'd', dependsOn: [a.id, c.id] });
      expect((await create({ name: 'e', dependsOn: [d.id, a.id, c.id] })).dependsOn).toHaveLength(3);
    });

    it('when two edits would each close half of it at the same time, one of them is refused', async () => {
      const left = await create({ name: 'left' });
      const right = await create({ name: 'right' });
      const results = await Promise.all([patch(left.id, { dependsOn: [right.id] }), patch(right.id, { dependsOn: [left.id] })]);
      expect(results.map((result) => result.statusCode).sort()).toEqual([200, 400]);
      const edges = [...(await dependsOnOf(left.id)), ...(await dependsOnOf(right.id))];
      expect(edges).toHaveLength(1);
    });
  });

  it('removes a deleted check from the dependsOn of its dependents, and its own edges', async () => {
    const parent = await create({ name: 'parent' });
    const sibling = await create({ name: 'sibling' });
    const child = await create({ name: 'child', dependsOn: [parent.id, sibling.id] });
    const grandchild = await create({ name: 'grandchild', dependsOn: [child.id] });

    expect((await call('DELETE', `/checks/${parent.id}`)).statusCode).toBe(204);
    expect(await dependsOnOf(child.id)).toEqual([sibling.id]);

    expect((await call('DELETE', `/checks/${child.id}`)).statusCode).toBe(204);
    expect(await dependsOnOf(grandchild.id)).toEqual([]);
    const left = await test.db
      .select()
      .from(checkDependencies)
      .where(or(eq(checkDependencies.checkId, child.id), eq(checkDependencies.dependsOnId, child.id)));
    expect(left).toEqual([]);
  });

  it('answers parentsOf and dependentsOf for the sweep, oldest check first, with every id asked for', async () => {
    const db1 = await create({ name: 'db' });
    const net = await create({ name: 'net' });
    const job1 = await create({ name: 'job1', dependsOn: [net.id, db1.id] });
    const job2 = await create({ name: 'job2', dependsOn: [db1.id] });
    const lonely = await create({ name: 'lonely' });

    const parents = await parentsOf(test.db, [job1.id, job2.id, lonely.id]);
    expect(parents).toEqual(
      new Map([
        [job1.id, [db1.id, net.id]],
        [job2.id, [db1.id]],
        [lonely.id, []],
      ]),
    );
    const dependents = await dependentsOf(test.db, [db1.id, net.id, lonely.id]);
    expect(dependents).toEqual(
      new Map([
        [db1.id, [job1.id, job2.id]],
        [net.id, [job1.id]],
        [lonely.id, []],
      ]),
    );
    expect(await parentsOf(test.db, [])).toEqual(new Map());
  });
});
