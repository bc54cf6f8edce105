import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { describe, expect, it } from 'vitest';
import type { ReceivedPing } from '../src/ping/batch';
import { PingRecorder } from '../src/ping/recorder';
import { aCheck, checkRow, pingRows } from './ping-fixtures';

const aPing = (checkId: string, overrides: Partial<ReceivedPing> = {}): ReceivedPing => ({
  target: { checkId },
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
    const results = await Promise.all(Array.from({ length: 30 }, () => recorder.record(aPing(check.id))));
    expect(results.every((r) => r.recorded)).toBe(true);
    expect(recorder.stats).toMatchObject({ batches: 1, pings: 30 });
    expect((await checkRow(test.db, check.id)).nPings).toBe(30);
  });

  it('fails only the ping that cannot be stored, and rolls back nothing of the others', async () => {
    const { check } = await aCheck(test.db);
    const recorder = new PingRecorder(test.database, { concurrentFlushes: 1 });
    // Postgres text cannot hold NUL: this ping makes its batch's write fail.
    const outcomes = await Promise.allSettled([
      recorder.record(aPing(check.id, { body: 'first' })),
      recorder.record(aPing(check.id, { userAgent: 'bad\u0000agent' })),
      recorder.record(aPing(check.id, { body: 'third' })),
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
      recorder.record(aPing(check.id)),
    ]);
    expect(unknown).toEqual({ recorded: false, reason: 'not-found' });
    expect(known).toEqual({ recorded: true, checkId: check.id });
  });
});
