/**
 * Alerts about flips an alert policy caused, as delivered from stored rows:
 * `flips.runs` read back and told on every channel, with the numbers, on
 * the check's clocks, whatever people wrote escaped where a channel parses it.
 */
import type { FailedRun } from '@cronbeat/core';
import { checks, flipRunsToJson, flips, notifications, runRecordToJson } from '@cronbeat/db';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import { eventually } from '@cronbeat/notify/testing';
import { eq } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { sweep } from '../src/sweep';
import { useAlertReceivers } from './support/alert-receivers';
import { seedCheck } from './support/seed';

const KEYWORD = '<script>alert(1)</script> @channel <!here> & co';

describe.each(testDatabaseKinds())('alerts about alert policies, delivered from %s', (kind) => {
  const test = useTestDatabase(kind);
  const { smtp: smtpOf, http: httpOf, deliver, projectWithChannels } = useAlertReceivers(() => test.db);

  /** What each channel received. */
  async function received(receivers: { to: string; hook: string; slack: string }) {
    await eventually(
      () => smtpOf().mails.some((mail) => JSON.stringify(mail.to).includes(receivers.to)),
      5000,
      `the mail to ${receivers.to}`,
    );
    const mail = smtpOf().mails.find((m) => JSON.stringify(m.to).includes(receivers.to)) as ParsedMail & { text: string; html: string };
    const body = (path: string) => JSON.parse(httpOf().requests.find((request) => request.path === path)!.body);
    return { mail, webhook: body(receivers.hook), slack: body(receivers.slack) };
  }

  it('tells every channel the failed runs a stored flip names, with the overlap limit the check sets', async () => {
    const { projectId, channelIds, receivers } = await projectWithChannels();
    const checkId = await seedCheck(test.db, projectId, channelIds, {
      name: 'nightly-backup',
      schedule: { kind: 'cron', cron: '0 2 * * *', tz: 'Europe/Berlin' },
    });
    await test.db.update(checks).set({ tz: 'Europe/Berlin', failureThreshold: 3, maxConcurrentRuns: 1 }).where(eq(checks.id, checkId));
    // 2 Jun 2026 in Berlin is CEST (UTC+2).
    const failures: FailedRun[] = [
      { reason: 'failed', at: new Date('2026-06-01T23:00:00Z'), exitStatus: null, keyword: KEYWORD },
      {
        reason: 'early',
        at: new Date('2026-06-01T23:12:00Z'),
        startedAt: new Date('2026-06-01T23:12:00Z'),
        scheduled: new Date('2026-06-02T00:00:00Z'),
      },
      { reason: 'overlap', at: new Date('2026-06-01T23:20:00Z'), startedAt: new Date('2026-06-01T23:12:00Z'), openRid: null },
    ];
    const [flip] = await test.db
      .insert(flips)
      .values({
        checkId,
        createdAt: new Date('2026-06-01T23:20:00Z'),
        fromStatus: 'up',
        toStatus: 'down',
        reason: 'overlap',
        exitStatus: null,
        runs: flipRunsToJson({ failures, failureThreshold: 3 }),
        processedAt: new Date(),
      })
      .returning({ id: flips.id });
    await test.db.insert(notifications).values(channelIds.map((channelId) => ({ flipId: flip!.id, channelId })));
    await deliver();

    const { mail, webhook, slack } = await received(receivers);
    const subject =
      'DOWN: nightly-backup (3 failed runs in a row; last: overlapping, started while a run without run id, started 01:12 Europe/Berlin, was still open (max 1 at once))';
    expect(mail.subject).toBe(subject);
    expect(mail.text).toContain('Failed runs: 3 in a row, threshold 3');
    expect(mail.text).toContain(
      [
        'The failed runs, oldest first:',
        `1. Tue, 2 Jun 2026, 01:00 (Europe/Berlin): failed, body contains "${KEYWORD}"`,
        '2. Tue, 2 Jun 2026, 01:12 (Europe/Berlin): too early, ran at 01:12, scheduled 02:00',
        '3. Tue, 2 Jun 2026, 01:20 (Europe/Berlin): overlapping, started while a run without run id, started 01:12, was still open (max 1 at once)',
      ].join('\n'),
    );
    expect(mail.html).toContain(
      'failed, body contains &#34;&#60;script&#62;alert(1)&#60;/script&#62; @channel &#60;!here&#62; &#38; co&#34;',
    );
    expect(mail.html).not.toMatch(/<script|<!here/);

    expect(webhook.flip).toMatchObject({ reason: 'overlap', runs: { failureThreshold: 3 } });
    expect(webhook.flip.runs.failures).toEqual([
      { reason: 'failed', at: '2026-06-01T23:00:00.000Z', exitStatus: null, keyword: KEYWORD },
      { reason: 'early', at: '2026-06-01T23:12:00.000Z', startedAt: '2026-06-01T23:12:00.000Z', scheduled: '2026-06-02T00:00:00.000Z' },
      { reason: 'overlap', at: '2026-06-01T23:20:00.000Z', startedAt: '2026-06-01T23:12:00.000Z', openRid: null },
    ]);

    expect(slack.text).toBe(subject);
    const runs = slack.blocks.find((block: { text?: { text: string } }) => block.text?.text.startsWith('*The failed runs'));
    expect(runs.text.text).toContain('failed, body contains "&lt;script&gt;alert(1)&lt;/script&gt; @channel &lt;!here&gt; &amp; co"');
    expect(JSON.stringify(slack.blocks.filter((block: { type: string }) => block.type !== 'header'))).not.toMatch(/<script|<!here/);
  });

  it('tells a check taken down by the sweep at its failure threshold which runs failed', async () => {
    const { projectId, channelIds, receivers } = await projectWithChannels();
    const lastPing = new Date(Date.now() - 3 * 3600_000);
    const checkId = await seedCheck(test.db, projectId, channelIds, {
      name: 'hourly-sync',
      schedule: { kind: 'period', period: 3600 },
      grace: 600,
      state: { lastPing },
    });
    // One failed run already counted; the missed run the sweep finds is the second, which the threshold asks for.
    const earlier: FailedRun = { reason: 'failed', at: lastPing, exitStatus: 3 };
    await test.db
      .update(checks)
      .set({ failureThreshold: 2, runRecord: runRecordToJson({ failures: [earlier], successes: 0, openRuns: [], durations: [] }) })
      .where(eq(checks.id, checkId));
    await sweep(test.db, { batchSize: 500 });
    await deliver();

    const { mail, webhook } = await received(receivers);
    expect(mail.subject).toMatch(/^DOWN: hourly-sync \(2 failed runs in a row; last: missed, expected .* UTC\)$/);
    expect(mail.text).toContain('Failed runs: 2 in a row, threshold 2');
    // The expected time names its day when that is not the day the run was missed (a test run just after midnight).
    expect(mail.text).toMatch(
      /\n1\. .* \(UTC\): failed, exit status 3\n2\. .* \(UTC\): missed, expected (\w{3} \d{1,2} \w{3}, )?\d\d:\d\d\n/,
    );
    expect(webhook.flip.runs).toMatchObject({
      failureThreshold: 2,
      failures: [{ reason: 'failed', at: lastPing.toISOString(), exitStatus: 3 }, { reason: 'missed' }],
    });
  });
});
