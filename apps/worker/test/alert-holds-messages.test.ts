/**
 * Alerts about holds and groups, as delivered from stored rows to a real
 * SMTP server and HTTP receivers: an alert released when its maintenance
 * window ended names the window, one released when its parent came back
 * names the parent, a parent's alert lists its dependents down, and a group
 * of 20 checks arrives as one email and one Slack message listing them all,
 * while the webhook gets one event per check.
 */
import { checkDependencies, checks, flips, maintenanceWindows, notifications } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { eventually } from '@cronbeat/notify/testing';
import { eq, inArray } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { sweep } from '../src/sweep';
import { BASE_URL, useAlertReceivers } from './support/alert-receivers';
import { seedCheck, seedDueChecks } from './support/seed';

const BERLIN = { kind: 'cron', cron: '0 2 * * SUN', tz: 'Europe/Berlin' } as const;
/** Sunday 6 Dec 2026, 02:10 in Berlin (CET, UTC+1). */
const WENT_DOWN = new Date('2026-12-06T01:10:00Z');
/** When the hold ended and the alert was made. */
const RELEASED = new Date('2026-12-06T03:00:00Z');

type Mail = ParsedMail & { text: string; html: string };
type Slack = { text: string; blocks: Array<{ type: string; text?: { text: string } }> };

describe.each(testDatabaseKinds())('alerts about holds and groups, delivered from %s', (kind) => {
  const test = useTestDatabase(kind);
  const { smtp: smtpOf, http: httpOf, deliver, projectWithChannels } = useAlertReceivers(() => test.db);

  const mailsTo = (to: string) => smtpOf().mails.filter((mail) => JSON.stringify(mail.to).includes(to)) as Mail[];
  const bodiesTo = (path: string) =>
    httpOf()
      .requests.filter((request) => request.path === path)
      .map((request) => JSON.parse(request.body));

  /** What each channel received once the email is in. */
  async function received(receivers: { to: string; hook: string; slack: string }) {
    await eventually(() => mailsTo(receivers.to).length > 0, 5000, `the mail to ${receivers.to}`);
    return { mails: mailsTo(receivers.to), webhooks: bodiesTo(receivers.hook), slacks: bodiesTo(receivers.slack) as Slack[] };
  }

  async function insertFlip(
    checkId: string,
    flip: { at: Date; to?: 'down' | 'up'; reason?: string; held?: 'maintenance' | 'dependency' | null; windowId?: string | null },
  ): Promise<number> {
    const [row] = await test.db
      .insert(flips)
      .values({
        checkId,
        createdAt: flip.at,
        fromStatus: flip.to === 'up' ? 'down' : 'up',
        toStatus: flip.to ?? 'down',
        reason: (flip.reason ?? (flip.to === 'up' ? 'success' : 'missed')) as 'missed',
        exitStatus: null,
        held: flip.held ?? null,
        maintenanceWindowId: flip.windowId ?? null,
        processedAt: flip.at,
      })
      .returning({ id: flips.id });
    return row!.id;
  }

  /** The flip's own alert (reminder 0) to each channel, made at `at`; returns the notification ids, by channel. */
  async function notify(flipId: number, channelIds: string[], at: Date, grouped?: Map<string, string>): Promise<string[]> {
    const rows = await test.db
      .insert(notifications)
      .values(
        channelIds.map((channelId) => {
          const groupId = grouped?.get(channelId);
          return { flipId, channelId, createdAt: at, ...(groupId ? { status: 'grouped' as const, groupId, nextAttemptAt: null } : {}) };
        }),
      )
      .returning({ id: notifications.id });
    return rows.map((row) => row.id);
  }

  async function windowNamed(projectId: string, name: string): Promise<string> {
    const [row] = await test.db
      .insert(maintenanceWindows)
      .values({
        projectId,
        name,
        kind: 'once',
        startsAt: new Date('2026-12-06T01:00:00Z'),
        endsAt: new Date('2026-12-06T03:00:00Z'),
        coverage: 'project',
      })
      .returning({ id: maintenanceWindows.id });
    return row!.id;
  }

  it('says a released alert went down during the maintenance window, by its name', async () => {
    const { projectId, channelIds, receivers } = await projectWithChannels();
    const checkId = await seedCheck(test.db, projectId, channelIds, {
      name: 'nightly-backup',
      schedule: BERLIN,
      state: { status: 'down' },
    });
    await test.db.update(checks).set({ tz: 'Europe/Berlin' }).where(eq(checks.id, checkId));
    const windowId = await windowNamed(projectId, 'Sunday backups <b>');
    const flipId = await insertFlip(checkId, { at: WENT_DOWN, held: 'maintenance', windowId });
    await notify(flipId, channelIds, RELEASED);
    await deliver();

    const { mails, webhooks, slacks } = await received(receivers);
    const phrase = 'went down at 02:10 during maintenance window "Sunday backups <b>"';
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/^DOWN: nightly-backup \(missed/);
    expect(mails[0]!.text).toContain(`Held back: ${phrase}`);
    expect(mails[0]!.html).toContain('during maintenance window &#34;Sunday backups &#60;b&#62;&#34;');
    expect(mails[0]!.html).not.toContain('backups <b>');
    expect(JSON.stringify(slacks[0]!.blocks)).toContain('during maintenance window \\"Sunday backups &lt;b&gt;\\"');
    expect(webhooks).toHaveLength(1);
    expect(webhooks[0]).toMatchObject({
      event: 'check.down',
      heldBy: 'maintenance',
      maintenance: { windowId, name: 'Sunday backups <b>' },
      downParents: null,
      releasedAt: RELEASED.toISOString(),
      flip: { at: WENT_DOWN.toISOString() },
    });
  });

  it('says "during a maintenance window" once the window was deleted', async () => {
    const { projectId, channelIds, receivers } = await projectWithChannels();
    const checkId = await seedCheck(test.db, projectId, channelIds, { name: 'weekly-report', schedule: BERLIN, state: { status: 'down' } });
    await test.db.update(checks).set({ tz: 'Europe/Berlin' }).where(eq(checks.id, checkId));
    const windowId = await windowNamed(projectId, 'Gone');
    const flipId = await insertFlip(checkId, { at: WENT_DOWN, held: 'maintenance', windowId });
    await test.db.delete(maintenanceWindows).where(eq(maintenanceWindows.id, windowId));
    await notify(flipId, channelIds, RELEASED);
    await deliver();

    const { mails, webhooks } = await received(receivers);
    expect(mails[0]!.text).toContain('Held back: went down at 02:10 during a maintenance window');
    expect(webhooks[0]).toMatchObject({ heldBy: 'maintenance', maintenance: { windowId: null, name: null } });
  });

  it('says a released dependent went down while its parent was down, and that it recovered since', async () => {
    const { projectId, channelIds, receivers } = await projectWithChannels();
    const parentId = await seedCheck(test.db, projectId, [], { name: 'db-primary', state: { status: 'up' } });
    const otherParentId = await seedCheck(test.db, projectId, [], { name: 'never-down', state: { status: 'up' } });
    const childId = await seedCheck(test.db, projectId, channelIds, {
      name: 'nightly-export',
      schedule: BERLIN,
      state: { status: 'down' },
    });
    await test.db.update(checks).set({ tz: 'Europe/Berlin' }).where(eq(checks.id, childId));
    await test.db.insert(checkDependencies).values([
      { checkId: childId, dependsOnId: parentId },
      { checkId: childId, dependsOnId: otherParentId },
    ]);
    await insertFlip(parentId, { at: new Date(WENT_DOWN.getTime() - 600_000) });
    const flipId = await insertFlip(childId, { at: WENT_DOWN, reason: 'dependency', held: 'dependency' });
    await insertFlip(parentId, { at: new Date(RELEASED.getTime() - 60_000), to: 'up' });
    await notify(flipId, channelIds, RELEASED);
    await deliver();

    const { mails, webhooks, slacks } = await received(receivers);
    const phrase = 'went down at 02:10 while db-primary was down; it recovered since';
    expect(mails[0]!.text).toContain(`Held back: ${phrase}`);
    expect(JSON.stringify(slacks[0]!.blocks)).toContain(phrase);
    expect(webhooks[0]).toMatchObject({
      heldBy: 'dependency',
      maintenance: null,
      downParents: [{ id: parentId, name: 'db-primary', status: 'up' }],
      flip: { reason: 'dependency' },
    });
  });

  it('lists in a parent’s DOWN alert its three dependents down, and in its UP alert those still down', async () => {
    const { projectId, channelIds, receivers } = await projectWithChannels();
    const parentId = await seedCheck(test.db, projectId, channelIds, { name: 'db-primary', state: { status: 'down' } });
    const names = ['import', 'report', 'sync'];
    const dependents: string[] = [];
    for (const name of names) dependents.push(await seedCheck(test.db, projectId, channelIds, { name, state: { status: 'down' } }));
    const upDependent = await seedCheck(test.db, projectId, channelIds, { name: 'still-fine', state: { status: 'up' } });
    await test.db.insert(checkDependencies).values([...dependents, upDependent].map((checkId) => ({ checkId, dependsOnId: parentId })));
    const now = new Date();
    for (const checkId of dependents) await insertFlip(checkId, { at: now, reason: 'dependency', held: 'dependency' });
    const flipId = await insertFlip(parentId, { at: now });
    await notify(flipId, channelIds, now);
    await deliver();

    const { mails, webhooks, slacks } = await received(receivers);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain('Also down, depending on it: import, report, sync');
    expect(mails[0]!.html).toContain(`<a href="${BASE_URL}/checks/${dependents[1]}" style="color:#175cd3;">report</a>`);
    expect(JSON.stringify(slacks[0]!.blocks)).toContain(`<${BASE_URL}/checks/${dependents[2]}|sync>`);
    expect(webhooks[0].dependents).toEqual(
      names.map((name, i) => ({ id: dependents[i], name, since: now.toISOString(), url: `${BASE_URL}/checks/${dependents[i]}` })),
    );
    expect(webhooks[0].heldBy).toBeNull();

    // The parent comes back; `sync` has recovered meanwhile.
    await test.db
      .update(checks)
      .set({ status: 'up' })
      .where(inArray(checks.id, [parentId, dependents[2]!]));
    const upFlip = await insertFlip(parentId, { at: new Date(now.getTime() + 60_000), to: 'up' });
    await notify(upFlip, channelIds, new Date(now.getTime() + 60_000));
    await deliver();
    await eventually(() => mailsTo(receivers.to).length === 2, 5000, 'the UP mail');
    const up = mailsTo(receivers.to).find((mail) => mail.subject?.startsWith('UP:'))!;
    expect(up.text).toContain('Still down: import, report');
    expect(bodiesTo(receivers.hook).at(-1)).toMatchObject({ event: 'check.up', dependents: [{ name: 'import' }, { name: 'report' }] });
  });

  it('sends a group of 20 downs as one email and one Slack message listing all 20, and the webhook 20 events', async () => {
    const { projectId, channelIds, receivers } = await projectWithChannels();
    const [emailChannel, webhookChannel, slackChannel] = channelIds as [string, string, string];
    const at = new Date();
    const checkIds: string[] = [];
    const flipIds: number[] = [];
    for (let i = 1; i <= 20; i++) {
      const checkId = await seedCheck(test.db, projectId, channelIds, {
        name: `host-${String(i).padStart(2, '0')}`,
        state: { status: 'down' },
      });
      checkIds.push(checkId);
      flipIds.push(await insertFlip(checkId, { at }));
    }
    // As the sweep folds them: the first flip's email and Slack notifications carry the group.
    const [carrierEmail, , carrierSlack] = await notify(flipIds[0]!, channelIds, at);
    const grouped = new Map([
      [emailChannel, carrierEmail!],
      [slackChannel, carrierSlack!],
    ]);
    for (const flipId of flipIds.slice(1)) await notify(flipId, channelIds, at, grouped);
    await deliver();
    await eventually(() => bodiesTo(receivers.hook).length === 20, 5000, '20 webhook events');

    const { mails, slacks, webhooks } = await received(receivers);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.subject).toMatch(/^DOWN: 20 checks in project-/);
    expect(mail.text).toContain('20 checks of project-');
    checkIds.forEach((checkId, i) => {
      const name = `host-${String(i + 1).padStart(2, '0')}`;
      expect(mail.text).toMatch(
        new RegExp(`\\d+\\. ${name}: missed, [^\\n]*; down since [^\\n]+ \\(UTC\\)\\n {3}${BASE_URL}/checks/${checkId}`),
      );
      expect(mail.html).toContain(`<a href="${BASE_URL}/checks/${checkId}" style="color:#175cd3;">${name}</a>`);
      expect(JSON.stringify(slacks[0]!.blocks)).toContain(`<${BASE_URL}/checks/${checkId}|${name}>`);
    });
    expect(slacks).toHaveLength(1);
    expect(slacks[0]!.text).toBe(mail.subject);
    expect(webhooks).toHaveLength(20);
    expect(new Set(webhooks.map((event) => event.check.id))).toEqual(new Set(checkIds));
    expect(webhooks.every((event) => event.event === 'check.down')).toBe(true);

    // The grouped notifications stay grouped: nobody sends them on their own.
    const rows = await test.db.select().from(notifications).where(inArray(notifications.flipId, flipIds));
    expect(rows.filter((row) => row.status === 'grouped')).toHaveLength(38);
    expect(rows.filter((row) => row.status === 'sent')).toHaveLength(22);
    expect(rows.find((row) => row.channelId === webhookChannel && row.status === 'grouped')).toBeUndefined();
  });

  describe('through the sweep', () => {
    it('folds 20 checks going down in one pass into one email listing 20, and the webhook gets 20 events', async () => {
      const { projectId, channelIds, receivers } = await projectWithChannels();
      await seedDueChecks(test.db, projectId, channelIds, 20, new Date(Date.now() - 1000));
      await sweep(test.db, { batchSize: 500 });
      await deliver();
      await eventually(() => bodiesTo(receivers.hook).length === 20, 5000, '20 webhook events');

      const { mails, slacks, webhooks } = await received(receivers);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.subject).toMatch(/^DOWN: 20 checks in project-/);
      for (let n = 1; n <= 20; n++) expect(mails[0]!.text).toContain(`. bulk-${n}: missed`);
      expect(slacks).toHaveLength(1);
      expect(webhooks).toHaveLength(20);
    });

    it('tells a parent and its three dependents going down together in one alert per channel that lists all four', async () => {
      const { projectId, channelIds, receivers } = await projectWithChannels();
      const overdue = { schedule: { kind: 'period', period: 60 } as const, grace: 60, state: { lastPing: new Date(Date.now() - 600_000) } };
      const parentId = await seedCheck(test.db, projectId, channelIds, { name: 'db-primary', ...overdue });
      const names = ['import', 'report', 'sync'];
      const dependents: string[] = [];
      for (const name of names) dependents.push(await seedCheck(test.db, projectId, channelIds, { name, ...overdue }));
      await test.db.insert(checkDependencies).values(dependents.map((checkId) => ({ checkId, dependsOnId: parentId })));
      await sweep(test.db, { batchSize: 500 });
      await deliver();

      const { mails, slacks, webhooks } = await received(receivers);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.subject).toMatch(/^DOWN: db-primary /);
      expect(mails[0]!.text).toContain('Also down, depending on it: import, report, sync');
      expect(slacks).toHaveLength(1);
      expect(webhooks).toHaveLength(1);
      expect(webhooks[0].dependents.map((each: { name: string }) => each.name)).toEqual(names);
    });
  });
});
