/**
 * Fault (d): two workers, one killed mid-delivery. Two worker processes on
 * real Postgres (a database of their own) and Redis (a BullMQ prefix of
 * their own) deliver a burst of flips to a slow real HTTP receiver; once the
 * burst is under way one of them is killed with SIGKILL while it has
 * requests in flight. What must hold: every flip is delivered (its
 * notification is `sent` and the receiver answered one request for it 200);
 * a flip delivered more than once is one the killed worker was sending, and
 * every copy carries the same idempotency key, its notification's id.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { isCi, loadServices } from '@cronbeat/config';
import { checks, type Database, flips, notifications } from '@cronbeat/db';
import { openTestDatabase } from '@cronbeat/db/testing';
import { eventually } from '@cronbeat/notify/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerOptions } from '../../src';
import { seedDueChecks, seedProject, testRedisUrl, uniquePrefix } from '../support/seed';

const redisUrl = testRedisUrl();
const { databaseUrl } = loadServices();
if (!databaseUrl && isCi()) throw new Error('CI=true but DATABASE_URL is not set: fault (d) would be skipped');
const entry = fileURLToPath(new URL('../support/worker-process.ts', import.meta.url));

/** Flips in the burst: one per check, one webhook channel. */
const FLIPS = 200;
/** Milliseconds the receiver holds every request before it answers: slow enough that a kill lands mid-send. */
const HOLD_MS = 300;
const OPTIONS: Partial<WorkerOptions> = {
  deliveryConcurrency: 10,
  // A dead worker's leases and BullMQ locks run out after 2 s, so the survivor takes over within seconds.
  lockDurationMs: 2000,
  retryDelayMs: 200,
  maxSleepMs: 250,
  httpTimeoutMs: 10_000,
};

interface Received {
  key: string | undefined;
  delivery: string | undefined;
  flipId: number;
  arrivedAt: number;
  /** When the receiver answered 200; null while held, or for good when the sender vanished first. */
  answeredAt: number | null;
  /** The sender's connection closed before the answer: it died mid-send. */
  cut: boolean;
}

describe.skipIf(!databaseUrl || !redisUrl)('fault (d): two workers, one killed with SIGKILL mid-delivery', () => {
  let database: Database & { url: string | null };
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  const children = new Set<ChildProcess>();

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        const record: Received = {
          key: req.headers['idempotency-key'] as string | undefined,
          delivery: req.headers['x-cronbeat-delivery'] as string | undefined,
          flipId: JSON.parse(body).flip.id,
          arrivedAt: Date.now(),
          answeredAt: null,
          cut: false,
        };
        received.push(record);
        // The answer waits for the poll phase after the hold (setImmediate), so a sender that died while this
        // process was too busy to notice is seen as gone before the answer is written, not after.
        const timer = setTimeout(
          () =>
            setImmediate(() => {
              if (record.cut) return;
              record.answeredAt = Date.now();
              res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
            }),
          HOLD_MS,
        );
        res.on('close', () => {
          if (record.answeredAt !== null) return;
          clearTimeout(timer);
          record.cut = true;
        });
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all([...children].map((child) => new Promise((resolve) => child.once('exit', resolve))));
    receiver?.closeAllConnections();
    await Promise.all([database?.close(), new Promise((resolve) => receiver?.close(resolve))]);
  });

  async function spawnWorker(queuePrefix: string): Promise<ChildProcess> {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        entry,
        JSON.stringify({ databaseUrl: database.url, redisUrl, smtpUrl: null, options: { ...OPTIONS, queuePrefix } }),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { PATH: process.env.PATH ?? '' } },
    );
    children.add(child);
    child.once('exit', () => children.delete(child));
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
    });
    return child;
  }

  it('delivers every flip; a repeat is only what the killed worker was sending, under the same idempotency key', async () => {
    const prefix = uniquePrefix('fault-d');
    const [victim] = await Promise.all([spawnWorker(prefix), spawnWorker(prefix)]);
    const { projectId, channelIds } = await seedProject(database.db, { webhook: { url: `${receiverUrl}/hook` } });
    await seedDueChecks(database.db, projectId, channelIds, FLIPS, new Date(Date.now() + 1000));

    // Kill once the burst is under way and requests are held open.
    await eventually(
      () => received.length >= FLIPS / 5 && received.some((request) => request.answeredAt === null),
      20_000,
      'the burst under way',
    );
    const killedAt = Date.now();
    victim!.kill('SIGKILL');
    await new Promise((resolve) => victim!.once('exit', resolve));

    const sent = async () =>
      (
        await database.db.select({ status: notifications.status }).from(notifications).where(eq(notifications.channelId, channelIds[0]!))
      ).filter((row) => row.status === 'sent').length;
    await eventually(async () => (await sent()) === FLIPS, 40_000, `all ${FLIPS} notifications sent`);
    // Give any late repeat the time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const rows = await database.db
      .select({ flipId: flips.id, notificationId: notifications.id, status: notifications.status })
      .from(notifications)
      .innerJoin(flips, eq(flips.id, notifications.flipId))
      .innerJoin(checks, eq(checks.id, flips.checkId))
      .where(eq(checks.projectId, projectId));
    expect(rows).toHaveLength(FLIPS);
    const notificationOf = new Map(rows.map((row) => [row.flipId, row.notificationId]));

    // Every request carries its notification's id in both headers.
    for (const request of received) {
      expect(request.key).toBe(notificationOf.get(request.flipId));
      expect(request.delivery).toBe(request.key);
    }
    // Every flip delivered: a request for it was answered 200.
    const answered = new Set(received.filter((request) => request.answeredAt !== null).map((request) => request.flipId));
    expect([...notificationOf.keys()].filter((flipId) => !answered.has(flipId))).toEqual([]);

    // Copies of one flip's alert, however many there were.
    const byFlip = new Map<number, Received[]>();
    for (const request of received) byFlip.set(request.flipId, [...(byFlip.get(request.flipId) ?? []), request]);
    const repeated = [...byFlip.values()].filter((copies) => copies.length > 1);
    const duplicates = received.length - byFlip.size;
    const cut = received.filter((request) => request.cut).length;
    // The victim was mid-send: the receiver saw its connections close before the answers.
    expect(cut).toBeGreaterThanOrEqual(1);
    // A repeat is a notification whose first request was out before the kill, and the dead worker held at most its concurrency.
    for (const copies of repeated) expect(copies[0]!.arrivedAt).toBeLessThanOrEqual(killedAt);
    expect(repeated.length).toBeLessThanOrEqual(OPTIONS.deliveryConcurrency!);
    const sameKey = repeated.every((copies) => copies.every((copy) => copy.key !== undefined && copy.key === copies[0]!.key));
    expect(sameKey).toBe(true);
    console.log(
      `fault (d): flips ${rows.length}, deliveries ${received.length}, duplicates ${duplicates} (same key: ${sameKey ? 'yes' : 'no'}); ` +
        `${cut} requests cut by the kill`,
    );
  }, 90_000);
});
