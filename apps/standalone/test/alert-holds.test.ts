/**
 * Maintenance windows, dependencies and grouped alerts end to end: pings
 * through the real ping route, the sweep with its clock moved on, delivery
 * to a real SMTP server and a real HTTP receiver, on PGlite and on
 * Postgres. What the receivers get (or do not) is what people would.
 */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '@cronbeat/config';
import { parseMaintenanceWindow } from '@cronbeat/core';
import {
  attachChannel,
  channels,
  checks,
  createCheck,
  createMaintenanceWindow,
  createProject,
  flips,
  notifications,
  setParents,
} from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { createNotifier } from '@cronbeat/notify';
import { type HttpReceiver, type SmtpReceiver, startHttpReceiver, startSmtpReceiver } from '@cronbeat/notify/testing';
import { buildApp } from '@cronbeat/server';
import { deliverDue, sweep } from '@cronbeat/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MINUTE = 60_000;

describe.each(testDatabaseKinds())('maintenance windows, dependencies and grouped alerts end to end on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: Awaited<ReturnType<typeof buildApp>>;
  let http: HttpReceiver;
  let smtp: SmtpReceiver;
  let notifier: ReturnType<typeof createNotifier>;

  beforeAll(async () => {
    app = await buildApp(loadConfig({ LOG_LEVEL: 'silent' }), { database: test.database });
    [http, smtp] = await Promise.all([startHttpReceiver(), startSmtpReceiver()]);
    http.respond = () => ({ status: 200, body: 'ok' });
    notifier = createNotifier({
      smtpUrl: smtp.url,
      emailFrom: 'alerts@cronbeat.test',
      httpTimeoutMs: 5000,
      privateTargetsAllowed: ['127.0.0.0/8'],
    });
  });
  afterAll(async () => {
    notifier?.close();
    await Promise.all([app?.close(), http?.close(), smtp?.close()]);
  });

  /** A project whose checks alert one email address and one webhook of its own. */
  async function aProject() {
    const project = await createProject(test.db, { name: `project ${randomUUID().slice(0, 8)}` });
    const id = randomUUID().slice(0, 8);
    const to = `ops-${id}@example.com`;
    const hook = `/hook-${id}`;
    const made = await test.db
      .insert(channels)
      .values([
        { projectId: project.id, name: 'mail', kind: 'email', config: { to: [to] } },
        { projectId: project.id, name: 'hook', kind: 'webhook', config: { url: `${http.url}${hook}`, secret: null } },
      ])
      .returning({ id: channels.id });
    const addCheck = async (name: string) => {
      const check = await createCheck(test.db, { projectId: project.id, name, schedule: { kind: 'period', period: 3600 }, grace: 600 });
      for (const channel of made) await attachChannel(test.db, check.id, channel.id);
      const ping = async (path = '') => {
        const answer = await app.inject({ method: 'POST', url: `/ping/${check.pingCode}${path}` });
        expect(answer.statusCode).toBe(200);
      };
      return { check, ping };
    };
    return { project, to, hook, addCheck };
  }

  /** Sweeps at `now` (default: the real clock) and delivers what is due. */
  async function sweepAndDeliver(now?: Date) {
    await sweep(test.db, { batchSize: 500, ...(now ? { now: () => now } : {}) });
    await deliverDue(
      { db: test.db, notifier, baseUrl: 'https://cronbeat.test', leaseMs: 30_000, retry: { attempts: 1, firstRetryMs: 1000 } },
      200,
    );
  }

  /** What one project's receivers got so far. */
  const received = (project: { to: string; hook: string }) => ({
    mails: smtp.mails.filter((mail) => JSON.stringify(mail.to).includes(project.to)),
    events: http.requests.filter((request) => request.path === project.hook).map((request) => JSON.parse(request.body)),
  });

  const aWindow = (projectId: string, startsAt: Date, endsAt: Date) =>
    createMaintenanceWindow(
      test.db,
      projectId,
      parseMaintenanceWindow({ name: 'Database upgrade', kind: 'once', startsAt, endsAt, coverage: { kind: 'project' } }),
    );

  it('sends nothing inside a window, then one alert when it ends with the check still down', async () => {
    const project = await aProject();
    const windowEnd = new Date(Date.now() + 30 * MINUTE);
    await aWindow(project.project.id, new Date(Date.now() - MINUTE), windowEnd);
    const { check, ping } = await project.addCheck('backup');
    await ping('/fail');
    await sweepAndDeliver();
    expect(received(project)).toEqual({ mails: [], events: [] });
    const [down] = (await test.db.select().from(flips)).filter((flip) => flip.checkId === check.id && flip.toStatus === 'down');
    expect(down).toMatchObject({ held: 'maintenance' });
    expect(down!.maintenanceWindowId).not.toBeNull();

    await sweepAndDeliver(new Date(windowEnd.getTime() + 1000));
    const after = received(project);
    expect(after.mails).toHaveLength(1);
    expect(after.events).toHaveLength(1);
    expect(after.events[0]).toMatchObject({ event: 'check.down' });
    expect(after.mails[0]!.text).toContain('during maintenance window "Database upgrade"');
    // Later passes find nothing more to say.
    await sweepAndDeliver(new Date(windowEnd.getTime() + 5 * MINUTE));
    expect(received(project).mails).toHaveLength(1);
    expect(received(project).events).toHaveLength(1);
  });

  it('sends nothing at all when the check recovered inside the window', async () => {
    const project = await aProject();
    const windowEnd = new Date(Date.now() + 30 * MINUTE);
    await aWindow(project.project.id, new Date(Date.now() - MINUTE), windowEnd);
    const { ping } = await project.addCheck('backup');
    await ping('/fail');
    await sweepAndDeliver();
    await ping('');
    await sweepAndDeliver();
    await sweepAndDeliver(new Date(windowEnd.getTime() + 1000));
    expect(received(project)).toEqual({ mails: [], events: [] });
  });

  it('tells a parent and its three dependents going down in one alert per channel; the dependents alert once the parent is back', async () => {
    const project = await aProject();
    const parent = await project.addCheck('database');
    const dependents = await Promise.all(['backup', 'report', 'export'].map((name) => project.addCheck(name)));
    for (const dependent of dependents) await setParents(test.db, dependent.check.id, [parent.check.id]);
    await parent.ping('/fail');
    for (const dependent of dependents) await dependent.ping('/fail');
    await sweepAndDeliver();
    const down = received(project);
    expect(down.mails).toHaveLength(1);
    expect(down.events).toHaveLength(1);
    expect(down.events[0]).toMatchObject({ event: 'check.down', check: { name: 'database' } });
    const listed = down.mails[0]!.text ?? '';
    expect(listed).toContain('Also down, depending on it');
    for (const name of ['backup', 'report', 'export']) expect(listed).toContain(name);
    const held = (await test.db.select().from(flips)).filter((flip) => dependents.some((d) => d.check.id === flip.checkId));
    expect(held.map((flip) => [flip.reason, flip.held])).toEqual(Array(3).fill(['dependency', 'dependency']));

    await parent.ping('');
    await sweepAndDeliver();
    await sweepAndDeliver();
    const after = received(project);
    // The parent's recovery, then each dependent still down, once.
    expect(after.events.map((event) => `${event.event} ${event.check.name}`).sort()).toEqual([
      'check.down backup',
      'check.down database',
      'check.down export',
      'check.down report',
      'check.up database',
    ]);
    expect(after.mails).toHaveLength(5);
    await sweepAndDeliver();
    expect(received(project).events).toHaveLength(5);
  });

  /** 20 checks of a new project, pinged once; the time at which every one of them is down. */
  async function twentyPinged() {
    const project = await aProject();
    const made = [];
    for (let i = 0; i < 20; i++) made.push(await project.addCheck(`job ${String(i).padStart(2, '0')}`));
    for (const { ping } of made) await ping('');
    const lastPing = Math.max(
      ...(await test.db.select().from(checks)).filter((c) => c.projectId === project.project.id).map((c) => c.lastPing!.getTime()),
    );
    return { project, downAt: new Date(lastPing + 71 * MINUTE) };
  }

  it('tells 20 checks going down together in one email, and still one webhook event each', async () => {
    const { project, downAt } = await twentyPinged();
    await sweepAndDeliver(downAt);
    const got = received(project);
    expect(got.events).toHaveLength(20);
    expect(new Set(got.events.map((event) => event.check.name)).size).toBe(20);
    expect(got.mails).toHaveLength(1);
    expect(got.mails[0]!.subject).toContain('20 checks');
    for (let i = 0; i < 20; i++) expect(got.mails[0]!.text).toContain(`job ${String(i).padStart(2, '0')}`);
    const grouped = (await test.db.select().from(notifications)).filter((n) => n.status === 'grouped');
    expect(grouped.length).toBeGreaterThanOrEqual(19);
  });

  it('tells each of 20 checks once when two sweepers claim them at the same moment, grouped by the batch that claimed it', async () => {
    const { project, downAt } = await twentyPinged();
    // Two sweepers at once, as with several worker processes: each check is claimed by one of them. A group is
    // one sweep batch's (a grouped alert never waits for another batch): two batches may send a group each, and
    // a batch of 5 or fewer of them (the project's threshold) an email per check.
    await Promise.all([sweep(test.db, { batchSize: 500, now: () => downAt }), sweep(test.db, { batchSize: 500, now: () => downAt })]);
    await sweepAndDeliver(downAt);
    const got = received(project);
    expect(got.events).toHaveLength(20);
    expect(new Set(got.events.map((event) => event.check.name)).size).toBe(20);
    // Every check in exactly one email.
    for (let i = 0; i < 20; i++) {
      const name = `job ${String(i).padStart(2, '0')}`;
      expect(
        got.mails.filter((mail) => (mail.text ?? '').includes(name)),
        name,
      ).toHaveLength(1);
    }
  });
});
