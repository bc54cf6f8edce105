/** Several worker processes on real Postgres (and Redis): no alert twice, none lost to a SIGKILL. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isCi, loadServices } from '@cronbeat/config';
import { type Database, notifications, projects } from '@cronbeat/db';
import { openTestDatabase } from '@cronbeat/db/testing';
import { eventually, type HttpReceiver, type SmtpReceiver, startHttpReceiver, startSmtpReceiver } from '@cronbeat/notify/testing';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerOptions } from '../src';
import { seedCheck, seedDueChecks, seedProject, testRedisUrl, uniquePrefix } from './support/seed';

const redisUrl = testRedisUrl();
const { databaseUrl } = loadServices();
if (!databaseUrl && isCi()) throw new Error('CI=true but DATABASE_URL is not set: the worker-process suite would be skipped');
const entry = fileURLToPath(new URL('./support/worker-process.ts', import.meta.url));

describe.skipIf(!databaseUrl)('worker processes on postgres', () => {
  let database: Database & { url: string | null };
  let smtp: SmtpReceiver;
  let http: HttpReceiver;
  const children = new Set<ChildProcess>();

  beforeAll(async () => {
    [database, smtp, http] = await Promise.all([openTestDatabase('postgres'), startSmtpReceiver(), startHttpReceiver()]);
  });
  afterEach(async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all([...children].map((child) => new Promise((resolve) => child.once('exit', resolve))));
    children.clear();
  });
  afterAll(async () => {
    await Promise.all([database?.close(), smtp?.close(), http?.close()]);
  });

  async function spawnWorker(redis: string | null, options: Partial<WorkerOptions>): Promise<ChildProcess> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', entry, JSON.stringify({ databaseUrl: database.url, redisUrl: redis, smtpUrl: smtp.url, options })],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { PATH: process.env.PATH ?? '' },
      },
    );
    children.add(child);
    child.once('exit', () => children.delete(child));
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
    });
    return child;
  }

  it.skipIf(!redisUrl)(
    'three processes and 1,000 simultaneous deadlines send exactly 1,000 emails and 1,000 webhooks',
    async () => {
      const seenHooks = new Map<string, number>();
      http.respond = (request) => {
        const name = JSON.parse(request.body).check.name as string;
        seenHooks.set(name, (seenHooks.get(name) ?? 0) + 1);
        return { status: 200 };
      };
      const prefix = uniquePrefix('processes');
      await Promise.all([0, 1, 2].map(() => spawnWorker(redisUrl, { queuePrefix: prefix })));
      const { projectId, channelIds } = await seedProject(database.db, {
        email: ['ops@example.com'],
        webhook: { url: `${http.url}/hook` },
      });
      // One email per check: this case is about exactly-once delivery, not grouping (the next one is).
      await database.db.update(projects).set({ groupAlertsAbove: null }).where(eq(projects.id, projectId));
      await seedDueChecks(database.db, projectId, channelIds, 1000, new Date(Date.now() + 2000));
      const mailsBefore = smtp.mails.length;
      await eventually(() => smtp.mails.length - mailsBefore >= 1000 && seenHooks.size >= 1000, 45_000, '1,000 emails and webhooks');
      // Give any duplicate the time to show up.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const subjects = smtp.mails.slice(mailsBefore).map((mail) => mail.subject);
      expect(subjects).toHaveLength(1000);
      expect(new Set(subjects).size).toBe(1000);
      expect([...seenHooks.values()].every((count) => count === 1)).toBe(true);
      expect(seenHooks.size).toBe(1000);
    },
    60_000,
  );

  it.skipIf(!redisUrl)(
    'three processes and 1,000 simultaneous deadlines in a project that groups alerts: every check in exactly one email, 1,000 webhooks',
    async () => {
      const seenHooks = new Map<string, number>();
      http.respond = (request) => {
        if (request.path !== '/grouped') return { status: 200 };
        const name = JSON.parse(request.body).check.name as string;
        seenHooks.set(name, (seenHooks.get(name) ?? 0) + 1);
        return { status: 200 };
      };
      const prefix = uniquePrefix('grouped');
      await Promise.all([0, 1, 2].map(() => spawnWorker(redisUrl, { queuePrefix: prefix })));
      const { projectId, channelIds } = await seedProject(database.db, {
        email: ['grouped@example.com'],
        webhook: { url: `${http.url}/grouped` },
      });
      await seedDueChecks(database.db, projectId, channelIds, 1000, new Date(Date.now() + 2000));
      const mailsBefore = smtp.mails.length;
      const toldByMail = () => {
        const counts = new Map<string, number>();
        for (const mail of smtp.mails.slice(mailsBefore)) {
          if (!JSON.stringify(mail.to).includes('grouped@example.com')) continue;
          for (const name of (mail.text ?? '').match(/\bbulk-\d+\b/g) ?? []) counts.set(name, (counts.get(name) ?? 0) + 1);
        }
        return counts;
      };
      await eventually(() => seenHooks.size >= 1000 && toldByMail().size >= 1000, 45_000, '1,000 checks told by email and webhook');
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const told = toldByMail();
      expect(told.size).toBe(1000);
      expect([...told.values()].every((count) => count === 1)).toBe(true);
      // Folded into far fewer emails than checks: each sweep batch of each process sends one.
      const mails = smtp.mails.slice(mailsBefore).filter((mail) => JSON.stringify(mail.to).includes('grouped@example.com'));
      expect(mails.length).toBeLessThan(100);
      expect([...seenHooks.values()].every((count) => count === 1)).toBe(true);
      expect(seenHooks.size).toBe(1000);
    },
    60_000,
  );

  for (const driver of redisUrl ? ['bullmq', 'in-process'] : ['in-process']) {
    it(`delivers after a worker is killed between claiming and delivering (${driver})`, async () => {
      let calls = 0;
      // The receiver hangs the first call, so the worker is mid-delivery when it is killed.
      http.respond = () => (++calls === 1 ? { status: 0 } : { status: 200 });
      const redis = driver === 'bullmq' ? redisUrl : null;
      const options = { queuePrefix: uniquePrefix('sigkill'), lockDurationMs: 2000, httpTimeoutMs: 60_000 };
      const first = await spawnWorker(redis, options);
      const { projectId, channelIds } = await seedProject(database.db, { webhook: { url: `${http.url}/killed` } });
      await seedCheck(database.db, projectId, channelIds, {
        name: `killed-${driver}`,
        schedule: { kind: 'period', period: 60 },
        grace: 60,
        state: { lastPing: new Date(Date.now() - 119_500) },
      });
      await eventually(() => calls >= 1, 10_000, 'the first delivery attempt');
      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
      const [pending] = await database.db.select().from(notifications).where(eq(notifications.channelId, channelIds[0]!));
      expect(pending?.status).toBe('pending');

      await spawnWorker(redis, options);
      await eventually(() => http.requests.some((request) => request.path === '/killed'), 20_000, 'delivery after restart');
      await eventually(
        async () =>
          (await database.db.select().from(notifications).where(eq(notifications.channelId, channelIds[0]!)))[0]?.status === 'sent',
      );
    }, 40_000);
  }
});
