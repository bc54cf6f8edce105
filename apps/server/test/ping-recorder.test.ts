import { randomUUID } from 'node:crypto';
import { checks, projects, rotatePingCode } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { ReceivedPing } from '../src/ping/batch';
import { PingNotStoredError, PingRecorder } from '../src/ping/recorder';
import { aCheck, checkRow, flipRows, pingRows } from './ping-fixtures';

const aPing = (pingCode: string, overrides: Partial<ReceivedPing> = {}): ReceivedPing => ({
  target: { pingCode },
  kind: 'success',
  exitStatus: null,
  rid: null,
  at: new Date(),
  method: 'GET',
  scheme: 'http',
  remoteAddr: '127.0.0.1',
  userAgent: 'test',
  body: null,
  bodyRaw: null,
  bodySize: 0,
  ...overrides,
});

describe.each(testDatabaseKinds())('the ping recorder on %s', (kind) => {
  const test = useTestDatabase(kind);

  it('writes pings that arrive together in one transaction, each resolved only after it', async () => {
    const { check } = await aCheck(test.db);
    const recorder = new PingRecorder(test.database, { concurrentFlushes: 1 });
    const results = await Promise.all(Array.from({ length: 30 }, () => recorder.record(aPing(check.pingCode))));
    expect(results.every((r) => r.recorded)).toBe(true);
    expect(recorder.stats).toMatchObject({ batches: 1, pings: 30 });
    expect((await checkRow(test.db, check.id)).nPings).toBe(30);
  });

  it('fails only the ping that cannot be stored, and rolls back nothing of the others', async () => {
    const { check } = await aCheck(test.db);
    const recorder = new PingRecorder(test.database, { concurrentFlushes: 1 });
    // Postgres text cannot hold NUL: this ping makes its batch's write fail.
    const outcomes = await Promise.allSettled([
      recorder.record(aPing(check.pingCode, { body: 'first' })),
      recorder.record(aPing(check.pingCode, { userAgent: 'bad\u0000agent' })),
      recorder.record(aPing(check.pingCode, { body: 'third' })),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await pingRows(test.db, check.id)).map((p) => [p.n, p.body])).toEqual([
      [1, 'first'],
      [2, 'third'],
    ]);
    expect((await checkRow(test.db, check.id)).nPings).toBe(2);
    await recorder.drain();
  });

  it('answers not-found for an unknown check without failing the batch', async () => {
    const { check } = await aCheck(test.db);
    const recorder = new PingRecorder(test.database);
    const [unknown, known] = await Promise.all([
      recorder.record(aPing('00000000-0000-4000-8000-000000000000')),
      recorder.record(aPing(check.pingCode)),
    ]);
    expect(unknown).toEqual({ recorded: false, reason: 'not-found' });
    expect(known).toEqual({ recorded: true, checkId: check.id });
  });
});

describe.each(testDatabaseKinds())('pings to checks the recorder already knows, on %s', (kind) => {
  const test = useTestDatabase(kind);

  it('writes them from the state it knows, without reading the check first', async () => {
    const { check } = await aCheck(test.db);
    const recorder = new PingRecorder(test.database);
    const t0 = Date.now();
    await recorder.record(aPing(check.pingCode, { kind: 'start', at: new Date(t0) }));
    await recorder.record(aPing(check.pingCode, { at: new Date(t0 + 1500) }));
    expect(recorder.stats).toMatchObject({ batches: 2, pings: 2, pingsToKnownChecks: 1, stale: 0 });
    const row = await checkRow(test.db, check.id);
    expect([row.status, row.nPings, row.lastDuration]).toEqual(['up', 2, 1500]);
    expect((await pingRows(test.db, check.id)).map((p) => [p.n, p.kind])).toEqual([
      [1, 'start'],
      [2, 'success'],
    ]);
  });

  it('moves sweep_at only when it must: first ping, half the period gone, or nothing left to wait for', async () => {
    const { check } = await aCheck(test.db);
    const recorder = new PingRecorder(test.database);
    const t0 = Date.parse('2026-06-01T12:00:00Z');
    const pingAt = async (seconds: number, kind: ReceivedPing['kind'] = 'success') => {
      await recorder.record(aPing(check.pingCode, { kind, at: new Date(t0 + seconds * 1000) }));
      const row = await checkRow(test.db, check.id);
      return [row.nextDue?.getTime(), row.sweepAt?.getTime() ?? null];
    };
    // The period is an hour: the check is due an hour after each ping.
    const hour = 3600;
    expect(await pingAt(0)).toEqual([t0 + hour * 1000, t0 + hour * 1000]);
    // Read first, then from known state: both keep the stored moment while it is half the way off or more.
    expect(await pingAt(60)).toEqual([t0 + (hour + 60) * 1000, t0 + hour * 1000]);
    expect(await pingAt(1800)).toEqual([t0 + (hour + 1800) * 1000, t0 + hour * 1000]);
    expect(await pingAt(1801)).toEqual([t0 + (hour + 1801) * 1000, t0 + (hour + 1801) * 1000]);
    expect(await pingAt(1900, 'fail')).toEqual([undefined, null]);
    expect(recorder.stats.pingsToKnownChecks).toBe(4);
  });

  it('sees a change made elsewhere since: a check paused for manual resume records the next ping as ignored', async () => {
    const { check } = await aCheck(test.db);
    const recorder = new PingRecorder(test.database);
    await recorder.record(aPing(check.pingCode));
    await test.db.update(checks).set({ status: 'paused', manualResume: true }).where(eq(checks.id, check.id));

    expect(await recorder.record(aPing(check.pingCode))).toEqual({ recorded: true, checkId: check.id });
    expect(recorder.stats.stale).toBe(1);
    expect((await checkRow(test.db, check.id)).status).toBe('paused');
    expect((await pingRows(test.db, check.id)).map((p) => p.kind)).toEqual(['success', 'ignored']);
  });

  it('stores every time to the millisecond: on the pings, the check and the flip, read first or known', async () => {
    const { check } = await aCheck(test.db);
    const recorder = new PingRecorder(test.database);
    const logged = new Date('2026-11-23T10:11:12.345Z');
    const started = new Date('1999-12-31T23:59:59.999Z');
    const ended = new Date('2000-01-01T00:00:00.001Z');
    await recorder.record(aPing(check.pingCode, { kind: 'log', at: logged })); // reads the check first
    await recorder.record(aPing(check.pingCode, { kind: 'start', at: started }));
    expect((await checkRow(test.db, check.id)).lastStart).toEqual(started);
    await recorder.record(aPing(check.pingCode, { kind: 'success', at: ended }));
    expect(recorder.stats.pingsToKnownChecks).toBe(2);

    const row = await checkRow(test.db, check.id);
    expect(row).toMatchObject({ lastPing: ended, lastStart: null, lastDuration: 2 });
    expect(row.nextDue).toEqual(new Date(ended.getTime() + 3600_000));
    expect(row.alertAfter).toEqual(new Date(ended.getTime() + 4200_000));
    expect((await pingRows(test.db, check.id)).map((p) => p.createdAt)).toEqual([logged, started, ended]);
    expect((await flipRows(test.db, check.id)).map((f) => f.createdAt)).toEqual([ended]);
  });

  it('sees a check the sweep took down, and writes the recovery with its flip', async () => {
    const { check } = await aCheck(test.db);
    const recorder = new PingRecorder(test.database);
    await recorder.record(aPing(check.pingCode));
    await test.db.update(checks).set({ status: 'down' }).where(eq(checks.id, check.id));

    await recorder.record(aPing(check.pingCode));
    expect((await checkRow(test.db, check.id)).status).toBe('up');
    expect((await flipRows(test.db, check.id)).map((f) => [f.fromStatus, f.toStatus])).toEqual([
      ['new', 'up'],
      ['down', 'up'],
    ]);
  });

  it('finds a check by its ping code only: not by its id, and not by a code rotated away on another replica', async () => {
    const { project, check } = await aCheck(test.db);
    expect(check.pingCode).not.toBe(check.id);
    const [here, elsewhere] = [new PingRecorder(test.database), new PingRecorder(test.database)];
    expect(await here.record(aPing(check.id))).toEqual({ recorded: false, reason: 'not-found' });
    expect(await here.record(aPing(check.pingCode))).toEqual({ recorded: true, checkId: check.id });
    expect(await here.record(aPing(check.pingCode))).toEqual({ recorded: true, checkId: check.id });
    expect(here.stats.pingsToKnownChecks).toBe(1); // it knows the check by its old code now

    const rotated = (await rotatePingCode(test.db, project.id, check.id))!;
    expect(rotated.pingCode).not.toBe(check.pingCode);
    expect(await here.record(aPing(check.pingCode))).toEqual({ recorded: false, reason: 'not-found' });
    expect(await elsewhere.record(aPing(rotated.pingCode))).toEqual({ recorded: true, checkId: check.id });
    expect(await here.record(aPing(check.pingCode))).toEqual({ recorded: false, reason: 'not-found' });
    expect(await here.record(aPing(rotated.pingCode))).toEqual({ recorded: true, checkId: check.id });
    expect((await checkRow(test.db, check.id)).nPings).toBe(4);
  });

  it('answers not-found for a known check deleted since', async () => {
    const { check } = await aCheck(test.db);
    const recorder = new PingRecorder(test.database);
    await recorder.record(aPing(check.pingCode));
    await test.db.delete(checks).where(eq(checks.id, check.id));
    expect(await recorder.record(aPing(check.pingCode))).toEqual({ recorded: false, reason: 'not-found' });
  });

  it('stops answering to a slug once the check is renamed or its project gets a new ping key', async () => {
    const { project, check } = await aCheck(test.db, { slug: 'nightly' });
    const recorder = new PingRecorder(test.database);
    const bySlug = (pingKey: string, slug: string) => aPing('', { target: { slug: { pingKey, slug } } });
    expect(await recorder.record(bySlug(project.pingKey, 'nightly'))).toEqual({ recorded: true, checkId: check.id });
    expect(await recorder.record(bySlug(project.pingKey, 'nightly'))).toEqual({ recorded: true, checkId: check.id });
    expect(recorder.stats.pingsToKnownChecks).toBe(1);

    await test.db.update(projects).set({ pingKey: 'rotated-key' }).where(eq(projects.id, project.id));
    expect(await recorder.record(bySlug(project.pingKey, 'nightly'))).toEqual({ recorded: false, reason: 'not-found' });
    expect(await recorder.record(bySlug('rotated-key', 'nightly'))).toEqual({ recorded: true, checkId: check.id });

    await test.db.update(checks).set({ slug: 'weekly' }).where(eq(checks.id, check.id));
    expect(await recorder.record(bySlug('rotated-key', 'nightly'))).toEqual({ recorded: false, reason: 'not-found' });
    expect(await recorder.record(bySlug('rotated-key', 'weekly'))).toEqual({ recorded: true, checkId: check.id });
    expect((await checkRow(test.db, check.id)).nPings).toBe(4);
  });

  it('pairs a run end with a start stored before it knew the check', async () => {
    const { check } = await aCheck(test.db);
    const [first, second] = [new PingRecorder(test.database), new PingRecorder(test.database)];
    const [runA, runB] = [randomUUID(), randomUUID()];
    const t0 = Date.now();
    await first.record(aPing(check.pingCode, { kind: 'start', rid: runA, at: new Date(t0) }));
    await second.record(aPing(check.pingCode, { kind: 'start', rid: runB, at: new Date(t0 + 1000) }));
    await second.record(aPing(check.pingCode, { kind: 'success', rid: runA, at: new Date(t0 + 5000) }));
    await second.record(aPing(check.pingCode, { kind: 'success', rid: runB, at: new Date(t0 + 3000) }));
    expect((await pingRows(test.db, check.id)).map((p) => [p.kind, p.duration])).toEqual([
      ['start', null],
      ['start', null],
      ['success', 5000],
      ['success', 2000],
    ]);
  });

  it('reads a check first while another replica keeps writing it, instead of finding it changed at every ping', async () => {
    const { check } = await aCheck(test.db);
    const [a, b] = [new PingRecorder(test.database), new PingRecorder(test.database)];
    for (let i = 0; i < 5; i++) {
      await a.record(aPing(check.pingCode));
      await b.record(aPing(check.pingCode));
    }
    // Each finds the check changed twice, then reads it first.
    expect([a.stats.stale, b.stats.stale]).toEqual([2, 2]);
    expect((await checkRow(test.db, check.id)).nPings).toBe(10);
  });

  it('counts pings from two replicas to the same checks exactly, each catching up on the other', async () => {
    const [{ check: a }, { check: b }] = [await aCheck(test.db), await aCheck(test.db)];
    const replicas = [new PingRecorder(test.database, { concurrentFlushes: 2 }), new PingRecorder(test.database, { concurrentFlushes: 2 })];
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        replicas.flatMap((replica) => Array.from({ length: 20 }, (_, i) => replica.record(aPing(i % 2 ? a.pingCode : b.pingCode)))),
      );
    }
    for (const check of [a, b]) {
      expect((await checkRow(test.db, check.id)).nPings).toBe(100);
      expect((await pingRows(test.db, check.id)).map((p) => p.n)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    }
    expect(replicas.reduce((sum, r) => sum + r.stats.stale, 0)).toBeGreaterThan(0);
    expect(replicas.reduce((sum, r) => sum + r.stats.retries, 0)).toBe(0);
  });
});

describe.skipIf(!testDatabaseKinds().includes('postgres'))('the ping recorder when the database does not answer, on postgres', () => {
  const test = useTestDatabase('postgres');

  /** Holds a lock on the check's row from another connection, as a stuck transaction would, until `release`. */
  async function lockCheck(checkId: string) {
    if (test.database.kind !== 'postgres') throw new Error('postgres only');
    const holder = await test.database.client.reserve();
    await holder`begin`;
    await holder`select 1 from checks where id = ${checkId} for update`;
    return async () => {
      await holder`rollback`;
      holder.release();
    };
  }

  const logged = () => {
    const lines: string[] = [];
    return {
      lines,
      logger: { warn: (_: object, message: string) => lines.push(message), info: (_: object, message: string) => lines.push(message) },
    };
  };

  it('answers 503 at the write deadline, releases the check for later pings, and keeps serving other checks meanwhile', async () => {
    const { check } = await aCheck(test.db);
    const { check: other } = await aCheck(test.db);
    const log = logged();
    const recorder = new PingRecorder(test.database, { concurrentFlushes: 2, writeDeadlineMs: 600, stallAfterMs: 300, logger: log.logger });
    await recorder.record(aPing(check.pingCode));
    const release = await lockCheck(check.id);

    const started = Date.now();
    const wedged = recorder.record(aPing(check.pingCode)).then(
      () => 'stored',
      (error: unknown) => error,
    );
    // The other check's pings are written while the wedged batch waits.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await recorder.record(aPing(other.pingCode))).toEqual({ recorded: true, checkId: other.id });
    const refused = await wedged;
    const waited = Date.now() - started;
    expect(refused).toBeInstanceOf(PingNotStoredError);
    expect(refused).toMatchObject({ statusCode: 503, reason: 'deadline', retryAfterSeconds: 1 });
    expect(String((refused as Error).message)).toMatch(/^ping not stored: the database did not answer within 1 s/);
    expect(waited).toBeGreaterThanOrEqual(550);
    expect(waited).toBeLessThan(1500);
    expect(recorder.stats.expired).toBe(1);
    expect(log.lines).toEqual(['pings cannot be written: answering them 503 and /readyz 503 until the database takes them again']);

    // Still locked: the next ping to the check gets its own batch and deadline, not a place behind the lost one.
    await expect(recorder.record(aPing(check.pingCode))).rejects.toMatchObject({ reason: 'deadline' });
    await release();
    expect(await recorder.record(aPing(check.pingCode, { body: 'after' }))).toEqual({ recorded: true, checkId: check.id });
    expect((await pingRows(test.db, check.id)).some((ping) => ping.body === 'after')).toBe(true);
    await recorder.drain();
    expect((await recorder.readiness()).writable).toBe(true);
    expect(log.lines).toEqual([
      'pings cannot be written: answering them 503 and /readyz 503 until the database takes them again',
      'pings are being written again',
    ]);
    await recorder.drain();
  });

  it('answers every ping within two deadlines however many queue behind a wedged batch', async () => {
    const { check } = await aCheck(test.db);
    const recorder = new PingRecorder(test.database, { concurrentFlushes: 1, writeDeadlineMs: 400 });
    await recorder.record(aPing(check.pingCode));
    const release = await lockCheck(check.id);
    const waits = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 150));
        const sent = Date.now();
        await expect(recorder.record(aPing(check.pingCode))).rejects.toMatchObject({ reason: 'deadline' });
        return Date.now() - sent;
      }),
    );
    expect(Math.max(...waits)).toBeLessThan(2 * 400 + 250);
    await release();
    expect((await recorder.record(aPing(check.pingCode))).recorded).toBe(true);
  });

  it('counts as stalled once a ping has waited longer than stallAfterMs, before its deadline', async () => {
    const { check } = await aCheck(test.db);
    const recorder = new PingRecorder(test.database, { writeDeadlineMs: 2000, stallAfterMs: 200 });
    await recorder.record(aPing(check.pingCode));
    const release = await lockCheck(check.id);
    const waiting = recorder.record(aPing(check.pingCode));
    // Awaited below; should an assertion before it fail, its rejection at the deadline is not left unhandled.
    waiting.catch(() => {});
    expect((await recorder.readiness()).writable).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const stalled = await recorder.readiness();
    expect(stalled.writable).toBe(false);
    // Longer than stallAfterMs, as a timer says it (a 400 ms timeout has been seen to read 399 ms).
    expect(stalled.oldestWaitMs).toBeGreaterThan(300);
    await release();
    expect((await waiting).recorded).toBe(true);
    await recorder.drain();
    expect(await recorder.readiness()).toEqual({ writable: true, oldestWaitMs: 0 });
  });

  it('becomes ready again by asking the database itself when no ping comes to show it', async () => {
    const { check } = await aCheck(test.db);
    const recorder = new PingRecorder(test.database, { writeDeadlineMs: 300, stallAfterMs: 100 });
    await recorder.record(aPing(check.pingCode));
    const release = await lockCheck(check.id);
    await expect(recorder.record(aPing(check.pingCode))).rejects.toBeInstanceOf(PingNotStoredError);
    await release();
    // No ping since (a load balancer that saw /readyz fail sends none); the database answers.
    expect((await recorder.readiness()).writable).toBe(true);
  });

  it('closes within its bound with a write wedged: what waits is answered 503, and later pings at once', async () => {
    const { check } = await aCheck(test.db);
    const recorder = new PingRecorder(test.database, { writeDeadlineMs: 10_000 });
    await recorder.record(aPing(check.pingCode));
    const release = await lockCheck(check.id);
    const wedged = recorder.record(aPing(check.pingCode));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await recorder.close(300);
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(wedged).rejects.toMatchObject({ statusCode: 503, reason: 'closing' });
    await expect(recorder.record(aPing(check.pingCode))).rejects.toMatchObject({ reason: 'closing' });
    await release();
  });

  it('runs on connections with statement_timeout and idle_in_transaction_session_timeout set', async () => {
    if (test.database.kind !== 'postgres') throw new Error('postgres only');
    const [settings] = await test.database.client<
      { statement: string; idle: string }[]
    >`select current_setting('statement_timeout') as statement, current_setting('idle_in_transaction_session_timeout') as idle`;
    expect(settings).toEqual({ statement: '30s', idle: '10s' });
  });
});
