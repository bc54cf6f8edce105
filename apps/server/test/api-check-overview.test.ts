import { checks, flips, pings } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, bearer, createKey, type Person, signUp, testApp } from './api-fixtures';

interface Row {
  id: string;
  name: string;
  status: string;
  history: Array<{ outcome: string; at: string }>;
  durations: number[];
  lastDuration: number | null;
  channels?: Array<{ id: string; name: string }>;
  sortKey: string;
}

describe.each(testDatabaseKinds())('the checks overview on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let owner: Person;
  let headers: Record<string, string>;
  const ids: Record<string, string> = {};

  const overview = (query = '', as = headers, project = owner.projectId) =>
    app.inject({ url: `/api/v1/projects/${project}/checks/overview${query ? `?${query}` : ''}`, headers: as });
  const create = async (name: string, extra: object = {}) =>
    (await app.inject({ method: 'POST', url: '/api/v1/checks', headers, payload: { name, ...extra } })).json().id as string;

  beforeAll(async () => {
    app = await testApp(test.database);
    owner = await signUp(app);
    headers = bearer((await createKey(app, owner)).key);
    const channel = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/channels',
        headers,
        payload: { kind: 'email', name: 'Ops mail', config: { to: 'ops@example.com' } },
      })
    ).json().id;
    ids.backup = await create('Nightly backup', { tags: ['db'], channels: [channel] });
    ids.export = await create('invoice export', { tags: ['billing', 'db'], channels: [] });
    ids.sync = await create('Stock sync', { channels: [] });
    ids.idle = await create('Zebra idle', { channels: [] });

    // The backup: 35 runs of a start and an end (the 7th from last failed), one open run now, and a miss that went down.
    const base = Date.parse('2026-03-01T00:00:00Z');
    const rows = [];
    for (let run = 0; run < 35; run++) {
      const at = base + run * 3_600_000;
      rows.push({ n: run * 2 + 1, kind: 'start' as const, createdAt: new Date(at), duration: null });
      rows.push({
        n: run * 2 + 2,
        kind: run === 28 ? ('fail' as const) : ('success' as const),
        createdAt: new Date(at + 60_000),
        duration: 60_000 + run,
      });
    }
    await test.db.insert(pings).values(rows.map((row) => ({ checkId: ids.backup!, method: 'POST', scheme: 'https', ...row })));
    await test.db.insert(flips).values([
      { checkId: ids.backup!, createdAt: new Date(base + 34.5 * 3_600_000), fromStatus: 'up', toStatus: 'late', reason: 'missed' },
      { checkId: ids.backup!, createdAt: new Date(base + 34.7 * 3_600_000), fromStatus: 'late', toStatus: 'down', reason: 'missed' },
      // A failed run's own flip is not a cell: its fail ping is.
      { checkId: ids.backup!, createdAt: new Date(base + 28 * 3_600_000 + 60_000), fromStatus: 'up', toStatus: 'down', reason: 'failed' },
    ]);
    await test.db
      .update(checks)
      .set({
        nPings: 70,
        status: 'up',
        lastPing: new Date(base + 34 * 3_600_000 + 60_000),
        lastStart: new Date(base + 40 * 3_600_000),
        lastDuration: 60_034,
      })
      .where(eq(checks.id, ids.backup!));
    await test.db
      .update(checks)
      .set({ status: 'down', lastPing: new Date(base), nextDue: new Date(base + 1000) })
      .where(eq(checks.id, ids.export!));
    await test.db
      .update(checks)
      .set({ status: 'late', lastPing: new Date(base + 5000), nextDue: new Date(base) })
      .where(eq(checks.id, ids.sync!));
  });
  afterAll(() => app.close());

  const rowOf = async (id: string): Promise<Row> => (await overview()).json().checks.find((row: Row) => row.id === id);

  it('gives each check its last 30 outcomes newest first: an open run, misses, then run ends', async () => {
    const backup = await rowOf(ids.backup!);
    expect(backup.history).toHaveLength(30);
    expect(backup.history.slice(0, 4).map((cell) => cell.outcome)).toEqual(['running', 'missed', 'late', 'success']);
    expect(backup.history[0]!.at).toBe('2026-03-02T16:00:00.000Z');
    // Runs 34 down to 8 end the strip; run 28 failed.
    const runs = backup.history.slice(3);
    expect(runs).toHaveLength(27);
    expect(runs.filter((cell) => cell.outcome === 'failed').map((cell) => cell.at)).toEqual(['2026-03-02T04:01:00.000Z']);
    const times = backup.history.map((cell) => Date.parse(cell.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('gives the last 20 durations oldest first, the last duration, and the channels by name', async () => {
    const backup = await rowOf(ids.backup!);
    expect(backup.durations).toEqual(Array.from({ length: 20 }, (_, i) => 60_015 + i));
    expect(backup.lastDuration).toBe(60_034);
    expect(backup.channels).toEqual([{ id: expect.any(String), name: 'Ops mail' }]);
    const idle = await rowOf(ids.idle!);
    expect(idle).toMatchObject({ history: [], durations: [], channels: [] });
  });

  it('pauses show in the strip', async () => {
    await app.inject({ method: 'POST', url: `/api/v1/checks/${ids.idle}/pause`, headers });
    expect((await rowOf(ids.idle!)).history.map((cell) => cell.outcome)).toEqual(['paused']);
    await app.inject({ method: 'POST', url: `/api/v1/checks/${ids.idle}/resume`, headers });
  });

  it('sorts by name, status, last ping and next due, both ways, ties by id', async () => {
    const names = async (query: string) => (await overview(query)).json().checks.map((row: Row) => row.name);
    await expect(names('')).resolves.toEqual(['Nightly backup', 'invoice export', 'Stock sync', 'Zebra idle']);
    await expect(names('sort=name')).resolves.toEqual(['invoice export', 'Nightly backup', 'Stock sync', 'Zebra idle']);
    await expect(names('sort=name&dir=desc')).resolves.toEqual(['Zebra idle', 'Stock sync', 'Nightly backup', 'invoice export']);
    await expect(names('sort=status')).resolves.toEqual(['invoice export', 'Stock sync', 'Nightly backup', 'Zebra idle']);
    await expect(names('sort=lastPing&dir=desc')).resolves.toEqual(['Nightly backup', 'Stock sync', 'invoice export', 'Zebra idle']);
    // Nothing due (new, or no deadline) sorts last, either way round among themselves by id.
    const due = await names('sort=nextDue');
    expect(due.slice(0, 2)).toEqual(['Stock sync', 'invoice export']);
  });

  it('pages every order with a cursor: each check once, in order', async () => {
    for (const order of ['created', 'name', 'status', 'lastPing', 'nextDue']) {
      for (const dir of ['asc', 'desc']) {
        const whole = (await overview(`sort=${order}&dir=${dir}`)).json().checks.map((row: Row) => row.id);
        const paged: string[] = [];
        let after: string | null = null;
        do {
          const answer: { checks: Row[]; nextCursor: string | null } = (
            await overview(`sort=${order}&dir=${dir}&limit=1${after ? `&after=${after}` : ''}`)
          ).json();
          paged.push(...answer.checks.map((row) => row.id));
          after = answer.nextCursor;
        } while (after && paged.length < 10);
        expect([order, dir, paged]).toEqual([order, dir, whole]);
      }
    }
  });

  it('filters by status, running, tag and search, and answers chosen rows by id; counts and tags come along', async () => {
    const answer = (await overview('status=down')).json();
    expect(answer.checks.map((row: Row) => row.name)).toEqual(['invoice export']);
    expect(answer.total).toBe(1);
    expect(answer.summary).toMatchObject({ total: 4, byStatus: { up: 1, down: 1, late: 1, new: 1 }, running: 1 });
    expect(answer.tags).toEqual(['billing', 'db']);
    expect((await overview('status=running')).json().checks.map((row: Row) => row.name)).toEqual(['Nightly backup']);
    expect((await overview('tag=db&tag=billing')).json().checks.map((row: Row) => row.name)).toEqual(['invoice export']);
    expect((await overview('q=SYNC')).json().checks.map((row: Row) => row.name)).toEqual(['Stock sync']);
    const chosen = (await overview(`id=${ids.sync}&id=${ids.idle}&sort=name`)).json();
    expect(chosen.checks.map((row: Row) => row.name)).toEqual(['Stock sync', 'Zebra idle']);
    expect(chosen.nextCursor).toBeNull();
    // A chosen check that no longer matches the filters is left out: the list drops its row.
    expect((await overview(`id=${ids.sync}&status=down`)).json().checks).toEqual([]);
  });

  it('refuses bad sorts, sizes and cursors with a 400 naming the field', async () => {
    const refused = async (query: string, field: string) => {
      const response = await overview(query);
      expect([query, response.statusCode]).toEqual([query, 400]);
      expect(JSON.stringify(response.json().error)).toContain(field);
    };
    await refused('sort=owner', 'sort');
    await refused('dir=up', 'dir');
    await refused('limit=0', 'limit');
    await refused('limit=201', 'limit');
    await refused('status=sleeping', 'status');
    await refused('id=not-a-uuid', 'id');
    await refused('after=nonsense', 'query.after');
    const cursor = (await overview('sort=name&limit=1')).json().nextCursor;
    await refused(`sort=status&after=${cursor}`, 'query.after');
    const forged = (key: string) => Buffer.from(JSON.stringify({ sort: 'status', dir: 'asc', key, id: ids.backup })).toString('base64url');
    await refused(`sort=status&after=${forged('1; drop table checks')}`, 'query.after');
    await refused(`sort=status&after=${forged('99999999999999999999')}`, 'query.after');
    expect((await overview(`sort=status&after=${forged('2')}`)).statusCode).toBe(200);
  });

  it('takes back its own cursor after the longest names: CJK, quotes, control characters, outside the BMP', async () => {
    const names = ['夜'.repeat(200), '"'.repeat(200), '\u0001'.repeat(200), '𐐀'.repeat(200), 'İ'.repeat(200)];
    const created = await Promise.all(names.map((name) => create(name)));
    try {
      for (const dir of ['asc', 'desc']) {
        // A page of one: every check, each long name too, ends a page and writes the cursor of the next.
        const seen: string[] = [];
        let after: string | null = null;
        do {
          const response = await overview(`sort=name&dir=${dir}&limit=1${after ? `&after=${after}` : ''}`);
          expect([seen.length, response.statusCode]).toEqual([seen.length, 200]);
          const answer: { checks: Row[]; nextCursor: string | null } = response.json();
          seen.push(...answer.checks.map((row) => row.name));
          after = answer.nextCursor;
        } while (after && seen.length < 20);
        expect(seen).toEqual(expect.arrayContaining(names));
        expect(seen).toHaveLength(4 + names.length);
      }
    } finally {
      for (const id of created) await app.inject({ method: 'DELETE', url: `/api/v1/checks/${id}`, headers });
    }
  });

  it("shows channels only to those who may see them, and another project's people nothing", async () => {
    const reader = await addMember(app, owner, 'readonly');
    const row = (await overview('', reader.headers)).json().checks[0];
    expect(row).not.toHaveProperty('channels');
    const stranger = await signUp(app);
    expect((await overview('', stranger.headers)).statusCode).toBe(404);
    expect((await overview('', stranger.headers, stranger.projectId)).json().checks).toEqual([]);
  });
});
