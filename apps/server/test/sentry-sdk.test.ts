import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { checks, pings } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, injectApi, type Person, signUp, testApp } from './api-fixtures';

const JOB = fileURLToPath(new URL('./support/sentry-job.mjs', import.meta.url));
const run = promisify(execFile);

/**
 * The real @sentry/node SDK against a Cronbeat listening on a port: each
 * job runs in a process of its own with the project's DSN (its host made
 * the test server's), and reports what Cronbeat answered its transport.
 */
describe.each(testDatabaseKinds())('Sentry SDK check-ins on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let host: string;
  beforeAll(async () => {
    app = await testApp(test.database);
    await app.listen({ host: '127.0.0.1', port: 0 });
    host = `127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  /** A new person's project and its DSN as Settings shows it, and as the job uses it (the test server's host). */
  async function aProject(): Promise<{ owner: Person; dsn: string; jobDsn: string }> {
    const owner = await signUp(app);
    const { sentryDsn } = (await injectApi(app, 'GET', `/projects/${owner.projectId}`, owner.headers)).json();
    return { owner, dsn: sentryDsn, jobDsn: sentryDsn.replace('@cronbeat.test/', `@${host}/`) };
  }

  async function job(scenario: string, dsn: string, env: Record<string, string> = {}) {
    const { stdout } = await run(process.execPath, [JOB, scenario], {
      env: { ...process.env, SENTRY_DSN: dsn, ...env },
      timeout: 30_000,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as { statuses: number[]; checkInId?: string; ticks?: number };
  }

  const checkOf = async (projectId: string, slug: string) =>
    (
      await test.db
        .select()
        .from(checks)
        .where(and(eq(checks.projectId, projectId), eq(checks.slug, slug)))
    )[0];
  const pingsOf = (checkId: string) => test.db.select().from(pings).where(eq(pings.checkId, checkId)).orderBy(asc(pings.n));
  const slugsOf = async (projectId: string) =>
    (await test.db.select({ slug: checks.slug }).from(checks).where(eq(checks.projectId, projectId))).map((row) => row.slug).sort();

  it('Settings gives owners and admins a DSN the SDK accepts; read-only members do not see it; it rotates on its own', async () => {
    const { owner, dsn } = await aProject();
    expect(dsn).toMatch(/^http:\/\/[0-9a-f]{32}@cronbeat\.test\/\d+$/);
    const readonly = await addMember(app, owner, 'readonly');
    expect((await injectApi(app, 'GET', `/projects/${owner.projectId}`, readonly.headers)).json().sentryDsn).toBeUndefined();
    const admin = await addMember(app, owner, 'admin');
    expect((await injectApi(app, 'GET', `/projects/${owner.projectId}`, admin.headers)).json().sentryDsn).toBe(dsn);

    const before = (await injectApi(app, 'GET', `/projects/${owner.projectId}`, owner.headers)).json();
    expect((await injectApi(app, 'POST', `/projects/${owner.projectId}/sentry-key`, readonly.headers)).statusCode).toBe(403);
    const rotated = await injectApi(app, 'POST', `/projects/${owner.projectId}/sentry-key`, owner.headers);
    expect(rotated.statusCode).toBe(200);
    const after = rotated.json();
    expect(after.sentryDsn).not.toBe(dsn);
    // Same project reference, new key; the ping key is not touched.
    expect(after.sentryDsn.split('/').at(-1)).toBe(dsn.split('/').at(-1));
    expect(after.pingKey).toBe(before.pingKey);
    const oldKey = new URL(dsn).username;
    const refused = await app.inject({
      method: 'POST',
      url: `/api/${new URL(dsn).pathname.slice(1)}/envelope/?sentry_key=${oldKey}`,
      payload: '{}\n',
    });
    expect(refused.statusCode).toBe(403);
  });

  it('captureCheckIn: in_progress then ok with the same id is one run, with its duration', async () => {
    const { owner, jobDsn } = await aProject();
    const made = await injectApi(app, 'POST', '/checks', owner.headers, { slug: 'nightly-backup', period: 86_400 });
    expect(made.statusCode).toBe(201);
    const result = await job('check-in', jobDsn);
    expect(result.statuses).toEqual([200, 200]);
    const check = (await checkOf(owner.projectId, 'nightly-backup'))!;
    const rows = await pingsOf(check.id);
    const runId = result.checkInId!.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    expect(rows.map((ping) => [ping.kind, ping.rid])).toEqual([
      ['start', runId],
      ['success', runId],
    ]);
    expect(rows[1]!.duration).toBeGreaterThanOrEqual(1000);
    expect(rows[1]!.duration).toBeLessThan(10_000);
    expect(check.status).toBe('up');
    expect(check.lastDuration).toBe(rows[1]!.duration);
  });

  it('a check-in over 32 KB is gzipped by the SDK and still recorded', async () => {
    const { owner, jobDsn } = await aProject();
    await injectApi(app, 'POST', '/checks', owner.headers, { slug: 'nightly-backup', period: 86_400 });
    // The release goes into every check-in: 40 KB of it makes the transport gzip the envelope.
    const result = await job('check-in', jobDsn, { SENTRY_RELEASE: `v${'1'.repeat(40_000)}` });
    expect(result.statuses).toEqual([200, 200]);
    const check = (await checkOf(owner.projectId, 'nightly-backup'))!;
    expect((await pingsOf(check.id)).map((ping) => ping.kind)).toEqual(['start', 'success']);
  });

  it('withMonitor with a monitor_config creates the check with its schedule, zone, margin, runtime and thresholds', async () => {
    const { owner, jobDsn } = await aProject();
    const result = await job('with-monitor', jobDsn);
    expect(result.statuses).toEqual([200, 200]);
    const check = (await checkOf(owner.projectId, 'report'))!;
    expect(check).toMatchObject({
      cron: '30 2 * * *',
      tz: 'Europe/Berlin',
      period: null,
      grace: 300,
      maxRuntime: 1200,
      failureThreshold: 2,
      recoveryThreshold: 3,
      status: 'up',
    });
    expect((await pingsOf(check.id)).map((ping) => ping.kind)).toEqual(['start', 'success']);
    // A second run changes nothing of the check but its pings.
    await job('with-monitor', jobDsn);
    const again = (await checkOf(owner.projectId, 'report'))!;
    expect(again.updatedAt).toEqual(check.updatedAt);
    expect(await pingsOf(check.id)).toHaveLength(4);
  });

  it('each environment is a check of its own', async () => {
    const { owner, jobDsn } = await aProject();
    await job('with-monitor', jobDsn);
    await job('with-monitor', jobDsn, { SENTRY_ENVIRONMENT: 'staging' });
    expect(await slugsOf(owner.projectId)).toEqual(['report', 'report--staging']);
    const staging = (await checkOf(owner.projectId, 'report--staging'))!;
    expect(staging.cron).toBe('30 2 * * *');
    expect(await pingsOf(staging.id)).toHaveLength(2);
  });

  it('withMonitor around a job that throws records a failed run; an interval becomes a period', async () => {
    const { owner, jobDsn } = await aProject();
    const result = await job('failing-monitor', jobDsn);
    // The thrown error goes to the same DSN as an event, accepted and dropped.
    expect(result.statuses.every((status) => status === 200)).toBe(true);
    const check = (await checkOf(owner.projectId, 'import'))!;
    expect(check).toMatchObject({ period: 7200, cron: null, grace: 60, maxRuntime: 1800 });
    expect((await pingsOf(check.id)).map((ping) => ping.kind)).toEqual(['start', 'fail']);
  });

  it("the cron package, instrumented, pings every second; the seconds field is dropped from the check's crontab", async () => {
    const { owner, jobDsn } = await aProject();
    const result = await job('cron', jobDsn);
    expect(result.ticks).toBeGreaterThanOrEqual(2);
    expect(result.statuses.length).toBeGreaterThanOrEqual(4);
    expect(result.statuses.every((status) => status === 200)).toBe(true);
    const check = (await checkOf(owner.projectId, 'every-second'))!;
    expect(check.cron).toBe('* * * * *');
    const kinds = (await pingsOf(check.id)).map((ping) => ping.kind);
    expect(kinds.filter((k) => k === 'success')).toHaveLength(result.ticks!);
    // The job takes no time, so a tick's in_progress and ok travel side by side and the ok can arrive
    // first; an in_progress after its own end is left out (it would open a run nothing closes), so a
    // loaded machine may record fewer starts than ticks, never more.
    const starts = kinds.filter((k) => k === 'start').length;
    expect(starts).toBeGreaterThanOrEqual(1);
    expect(starts).toBeLessThanOrEqual(result.ticks!);
  });

  it('errors and messages sent to the DSN are accepted and dropped', async () => {
    const { owner, jobDsn } = await aProject();
    const result = await job('exception', jobDsn);
    expect(result.statuses).toEqual([200, 200]);
    expect(await slugsOf(owner.projectId)).toEqual([]);
  });

  it('a DSN with a wrong key is refused with 403, and nothing is recorded', async () => {
    const { owner, jobDsn } = await aProject();
    const wrong = jobDsn.replace(/\/\/\w+@/, `//${'0'.repeat(32)}@`);
    expect((await job('with-monitor', wrong)).statuses).toEqual([403, 403]);
    expect(await slugsOf(owner.projectId)).toEqual([]);
  });
});
