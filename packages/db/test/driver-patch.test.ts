/**
 * The installed postgres.js carries patches/postgres+3.4.9.patch (see
 * patches/README.md). Each case against Postgres crashes the process or
 * hangs on the unpatched driver.
 */
import { connect, type Socket } from 'node:net';
import { isCi, loadServices } from '@cronbeat/config';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('the installed postgres.js (patches/postgres+3.4.9.patch)', () => {
  it('settles a query through methods of its class, with no closures made for that query', async () => {
    // Never connects: a postgres.js query runs only once it is awaited.
    const sql = postgres('postgres://cronbeat@127.0.0.1:1/unused', { max: 1 });
    const query = sql.unsafe('select 1');
    for (const settle of ['resolve', 'reject']) {
      expect(Object.hasOwn(query, settle), `${settle} is an own property of every query (install ran with --ignore-scripts?)`).toBe(false);
      expect(typeof Reflect.get(query, settle)).toBe('function');
    }
    await sql.end();
  });
});

const { databaseUrl } = loadServices();
if (!databaseUrl && isCi()) throw new Error('CI=true but DATABASE_URL is not set: the driver fault cases would be skipped');

/** What became of a query within `ms`: its value, its error's code, or 'waiting'. */
const outcome = (query: PromiseLike<unknown>, ms = 3000): Promise<string> =>
  Promise.race([
    Promise.resolve(query).then(
      () => 'answered',
      (error: { code?: string }) => `rejected ${error.code}`,
    ),
    new Promise<string>((resolve) => setTimeout(() => resolve('waiting'), ms)),
  ]);

describe.skipIf(!databaseUrl)('postgres.js when a backend dies under it', () => {
  // Only the server's own catalog is read: no database of this file's own is needed.
  let admin: postgres.Sql;
  const options = { onnotice: () => {} };
  beforeAll(() => {
    admin = postgres(databaseUrl!, { max: 1, ...options });
  });
  afterAll(() => admin.end());
  const terminate = async (pid: number) => {
    await admin`select pg_terminate_backend(${pid})`;
    // The backend's goodbye reaches the client's socket a moment later.
    await new Promise((resolve) => setTimeout(resolve, 200));
  };
  const pidOf = async (sql: postgres.Sql | postgres.ReservedSql) => (await sql<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]!.pid;

  it('rejects what a reservation queued or sends after its connection died, and its release leaves the pool working', async () => {
    const sql = postgres(databaseUrl!, { max: 1, ...options });
    const reserved = await sql.reserve();
    const pid = await pidOf(reserved);
    const sleeping = reserved.unsafe('select pg_sleep(5)');
    // Described first, so the reservation queues the statement after it.
    const described = reserved.unsafe('select $1::int as n', [1], { prepare: true });
    const queued = reserved.unsafe('select 2');
    const settled = Promise.all([outcome(sleeping), outcome(described), outcome(queued)]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await terminate(pid);
    expect(await settled).toEqual(['rejected CONNECTION_CLOSED', 'rejected CONNECTION_CLOSED', 'rejected CONNECTION_CLOSED']);
    expect(await outcome(reserved`select 3`)).toBe('rejected CONNECTION_CLOSED');
    reserved.release();
    expect(await outcome(sql`select 4`)).toBe('answered');
    expect(await outcome(sql`select 5`)).toBe('answered');
    await sql.end({ timeout: 1 });
  });

  it("answers the next query after a backend was terminated mid-query, not with that backend's error", async () => {
    const sql = postgres(databaseUrl!, { max: 1, ...options });
    const pid = await pidOf(sql);
    const sleeping = outcome(sql`select pg_sleep(5)`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await terminate(pid);
    expect(await sleeping).toMatch(/^rejected/);
    expect(await outcome(sql`select 1`)).toBe('answered');
    await sql.end({ timeout: 1 });
  });

  it('rejects a transaction whose connection died, and the pool answers afterwards', async () => {
    const sql = postgres(databaseUrl!, { max: 1, ...options });
    const pid = await pidOf(sql);
    const transaction = outcome(
      sql.begin(async (tx) => {
        await tx`select pg_sleep(5)`;
        await tx`select 1`;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    await terminate(pid);
    expect(await transaction).toBe('rejected CONNECTION_CLOSED');
    expect(await outcome(sql`select 1`)).toBe('answered');
    await sql.end({ timeout: 1 });
  });

  it('survives its connection dying while it fetches array types, and connects again', async () => {
    let socket: Socket | undefined;
    let cut = false;
    const { hostname, port } = new URL(databaseUrl!);
    const cutDuringTypes = {
      max: 1,
      ...options,
      // Called as each statement is built: the first array-types query loses its connection.
      debug: (_connection: number, statement: string) => {
        if (cut || !statement.includes('typarray')) return;
        cut = true;
        socket!.destroy();
      },
      socket: () =>
        new Promise<Socket>((resolve, reject) => {
          const opened = connect(Number(port || 5432), hostname);
          socket = opened;
          opened.once('connect', () => resolve(opened)).once('error', reject);
        }),
    };
    const sql = postgres(databaseUrl!, cutDuringTypes);
    const reserved = await sql.reserve();
    expect(cut).toBe(true);
    expect(await outcome(reserved`select 1`)).toBe('answered');
    reserved.release();
    await sql.end({ timeout: 1 });
  });

  it('reconnects at once after its socket closed with a write waiting to be flushed', async () => {
    let socket: Socket | undefined;
    const { hostname, port } = new URL(databaseUrl!);
    // `socket` (a connected socket of our own, so the test can close it) is missing from the driver's types.
    const ownSocket = {
      max: 1,
      connect_timeout: 5,
      ...options,
      socket: () =>
        new Promise<Socket>((resolve, reject) => {
          const opened = connect(Number(port || 5432), hostname);
          socket = opened;
          opened.once('connect', () => resolve(opened)).once('error', reject);
        }),
    };
    const sql = postgres(databaseUrl!, ownSocket);
    await sql`select 1`;
    const query = sql`select 2`;
    // Written during an immediate, flushed at the next one; the socket closes in between.
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        query.execute();
        socket!.destroy();
        resolve();
      }),
    );
    expect(await outcome(query)).toBe('rejected CONNECTION_CLOSED');
    const started = Date.now();
    expect(await outcome(sql`select 3`, 4000)).toBe('answered');
    expect(Date.now() - started).toBeLessThan(1000);
    await sql.end({ timeout: 1 });
  });
});
