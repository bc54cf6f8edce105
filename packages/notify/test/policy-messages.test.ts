/**
 * What alerts say when an alert policy fired: which policy and with what
 * numbers, on every channel, times on the check's clocks, and whatever
 * people wrote (keywords, run ids) escaped where a channel parses markup.
 */
import type { FailedRun, FlipRuns } from '@cronbeat/core';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Alert,
  alertHtml,
  alertSubject,
  alertText,
  createNotifier,
  formatRunDuration,
  type Notifier,
  slackMessage,
  webhookPayload,
} from '../src';
import { anAlert } from './alert-fixture';
import { eventually, type HttpReceiver, type SmtpReceiver, startHttpReceiver, startSmtpReceiver } from './support/receivers';

const at = (iso: string) => new Date(iso);
/** The fixture's flip: 2 Jun 2026, 16:00 in Berlin (CEST, UTC+2), where the check runs. */
const FLIP_AT = at('2026-06-02T14:00:00Z');
const MIN = 60_000;

/** A check taken down by `failures`, its failure threshold `threshold`. */
function downBy(failures: FailedRun[], threshold = failures.length, check: Partial<Alert['check']> = {}): Alert {
  const last = failures.at(-1)!;
  const runs: FlipRuns = { failures, failureThreshold: threshold };
  return anAlert({
    check,
    flip: { reason: last.reason, at: last.at, exitStatus: last.exitStatus ?? null, runs },
    ping: { at: last.at, kind: 'fail', exitStatus: null, bodyTail: 'done' },
  });
}

describe('what a flip to down says of the run that tipped it', () => {
  it.each<[string, FailedRun, Partial<Alert['check']>, string]>([
    [
      'early, on the check’s clocks with its zone',
      { reason: 'early', at: at('2026-06-01T23:12:00Z'), startedAt: at('2026-06-01T23:12:00Z'), scheduled: at('2026-06-02T00:00:00Z') },
      {},
      'too early, ran at 01:12, scheduled 02:00 Europe/Berlin',
    ],
    [
      'early across midnight, naming the scheduled day',
      { reason: 'early', at: at('2026-06-01T21:50:00Z'), scheduled: at('2026-06-01T22:10:00Z') },
      {},
      'too early, ran at 23:50, scheduled Tue 2 Jun, 00:10 Europe/Berlin',
    ],
    [
      'early in a check’s own zone, not its cron’s',
      { reason: 'early', at: at('2026-06-01T23:12:00Z'), scheduled: at('2026-06-02T00:00:00Z') },
      { tz: 'Asia/Tokyo' },
      'too early, ran at 08:12, scheduled 09:00 Asia/Tokyo',
    ],
    [
      'overlap with the open run’s id and the limit',
      { reason: 'overlap', at: FLIP_AT, startedAt: at('2026-06-01T23:00:00Z'), openRid: 'r-7' },
      { maxConcurrentRuns: 1 },
      'overlapping, started while run "r-7", started 01:00 Europe/Berlin, was still open (max 1 at once)',
    ],
    [
      'overlap with a run that sent no id',
      { reason: 'overlap', at: FLIP_AT, startedAt: at('2026-06-02T13:00:00Z'), openRid: null },
      { maxConcurrentRuns: 2 },
      'overlapping, started while a run without run id, started 15:00 Europe/Berlin, was still open (max 2 at once)',
    ],
    [
      'slow against the median',
      { reason: 'slow', at: FLIP_AT, duration: 62 * MIN, median: 20 * MIN, limit: 60 * MIN },
      {},
      'too slow, took 1 h 2 min, over 3 × the median 20 min',
    ],
    [
      'fast against the median',
      { reason: 'fast', at: FLIP_AT, duration: 2000, median: 20 * MIN, limit: 8 * MIN },
      {},
      'too fast, took 2 s, under the median 20 min ÷ 2.5',
    ],
    [
      'slow against a maximum',
      { reason: 'slow', at: FLIP_AT, duration: 190 * MIN, limit: 120 * MIN },
      {},
      'too slow, took 3 h 10 min, above the maximum 2 h',
    ],
    [
      'fast against a minimum',
      { reason: 'fast', at: FLIP_AT, duration: 2000, limit: 5 * MIN },
      {},
      'too fast, took 2 s, below the minimum 5 min',
    ],
    ['a failure keyword', { reason: 'failed', at: FLIP_AT, keyword: 'ERROR' }, {}, 'failed, body contains "ERROR"'],
    ['an exit status', { reason: 'failed', at: FLIP_AT, exitStatus: 1 }, {}, 'failed, exit status 1'],
    [
      'a timeout with its start',
      { reason: 'timed_out', at: FLIP_AT, startedAt: at('2026-06-02T12:45:00Z') },
      {},
      'timed out, running for 1 h 15 min',
    ],
    // A miss says how long the check has been silent, as before thresholds.
    ['a miss', { reason: 'missed', at: FLIP_AT, scheduled: at('2026-06-02T12:00:00Z') }, {}, 'missed, last ping 26 h ago'],
  ])('%s', (_case, run, check, phrase) => {
    expect(alertSubject(downBy([run], 1, check))).toBe(`DOWN: nightly-backup (${phrase})`);
  });

  it('leaves out the limit of an overlap when the check does not say it', () => {
    const run: FailedRun = { reason: 'overlap', at: FLIP_AT, startedAt: at('2026-06-01T23:00:00Z'), openRid: 'r-7' };
    expect(alertSubject(downBy([run]))).toBe(
      'DOWN: nightly-backup (overlapping, started while run "r-7", started 01:00 Europe/Berlin, was still open)',
    );
  });

  it('reads the same without runs as before alert policies', () => {
    expect(alertSubject(anAlert({ flip: { runs: null } }))).toBe('DOWN: nightly-backup (failed, exit status 3)');
    expect(webhookPayload(anAlert()).flip.runs).toBeNull();
  });
});

/** Three failed runs in a row took the check down, the last too early. */
const thresholdAlert = (keyword = 'ERROR') =>
  downBy(
    [
      { reason: 'failed', at: at('2026-06-01T23:00:00Z'), exitStatus: 1 },
      { reason: 'failed', at: at('2026-06-01T23:30:00Z'), keyword },
      { reason: 'missed', at: at('2026-06-02T01:00:00Z'), scheduled: at('2026-06-02T00:00:00Z') },
      { reason: 'early', at: at('2026-06-02T00:41:00Z'), startedAt: at('2026-06-02T00:41:00Z'), scheduled: at('2026-06-02T01:00:00Z') },
    ],
    4,
  );

describe('what a flip after a failure threshold says', () => {
  it('names the count and the tipping run in the subject, and every run, oldest first, in the body', () => {
    const alert = thresholdAlert();
    expect(alertSubject(alert)).toBe(
      'DOWN: nightly-backup (4 failed runs in a row; last: too early, ran at 02:41, scheduled 03:00 Europe/Berlin)',
    );
    const text = alertText(alert);
    expect(text).toContain('Failed runs: 4 in a row, threshold 4');
    expect(text).toContain(
      [
        'The failed runs, oldest first:',
        '1. Tue, 2 Jun 2026, 01:00 (Europe/Berlin): failed, exit status 1',
        '2. Tue, 2 Jun 2026, 01:30 (Europe/Berlin): failed, body contains "ERROR"',
        '3. Tue, 2 Jun 2026, 03:00 (Europe/Berlin): missed, expected 02:00',
        '4. Tue, 2 Jun 2026, 02:41 (Europe/Berlin): too early, ran at 02:41, scheduled 03:00',
      ].join('\n'),
    );
    expect(alertHtml(alert)).toMatch(/<ol [^>]*>\n<li [^>]*>Tue, 2 Jun 2026, 01:00 \(Europe\/Berlin\): failed, exit status 1<\/li>/);
  });

  it('gives webhooks the runs with ISO times, only the fields each reason sets', () => {
    expect(webhookPayload(thresholdAlert()).flip.runs).toEqual({
      failures: [
        { reason: 'failed', at: '2026-06-01T23:00:00.000Z', exitStatus: 1 },
        { reason: 'failed', at: '2026-06-01T23:30:00.000Z', keyword: 'ERROR' },
        { reason: 'missed', at: '2026-06-02T01:00:00.000Z', scheduled: '2026-06-02T00:00:00.000Z' },
        { reason: 'early', at: '2026-06-02T00:41:00.000Z', startedAt: '2026-06-02T00:41:00.000Z', scheduled: '2026-06-02T01:00:00.000Z' },
      ],
      failureThreshold: 4,
    });
  });

  it('counts the runs in a reminder without listing them again in its subject', () => {
    const alert = { ...thresholdAlert(), reminderAt: at('2026-06-02T06:41:00Z') };
    expect(alertSubject(alert)).toBe('STILL DOWN: nightly-backup (down for 6 h; 4 failed runs in a row)');
  });

  it('lists a threshold of one run when the threshold says more were needed', () => {
    // A check whose threshold was lowered after its failures began: the flip still names its threshold.
    const alert = downBy([{ reason: 'failed', at: FLIP_AT, exitStatus: 2 }], 3);
    expect(alertSubject(alert)).toBe('DOWN: nightly-backup (1 failed run in a row; last: failed, exit status 2)');
  });

  it('keeps a Slack section of 100 failed runs within Slack’s limit, the latest shown', () => {
    const failures: FailedRun[] = Array.from({ length: 100 }, (_, i) => ({
      reason: 'failed',
      at: new Date(FLIP_AT.getTime() - (100 - i) * MIN),
      keyword: `keyword number ${i + 1} that is long enough to fill the section quickly`,
    }));
    const section = JSON.stringify(slackMessage(downBy(failures)).blocks.find((block) => JSON.stringify(block).includes('oldest first')));
    const text = JSON.parse(section).text.text as string;
    expect(text.length).toBeLessThanOrEqual(2500);
    expect(text).toMatch(/^\*The failed runs, oldest first\*\n\(\d+ earlier not shown\)\n/);
    expect(text).toContain('100. Tue, 2 Jun 2026, 15:59 (Europe/Berlin): failed, body contains "keyword number 100 that');
  });
});

describe('what a recovery after a recovery threshold says', () => {
  it('says how many successful runs in a row brought the check back', () => {
    const alert = anAlert({
      flip: { from: 'down', to: 'up', reason: 'success', exitStatus: null, runs: { successes: 3, recoveryThreshold: 3 } },
      downSince: at('2026-06-02T11:00:00Z'),
    });
    expect(alertSubject(alert)).toBe('UP: nightly-backup (down for 3 h; 3 successful runs in a row)');
    expect(alertText(alert)).toContain('Recovered after: 3 successful runs in a row, threshold 3');
    expect(webhookPayload(alert).flip.runs).toEqual({ successes: 3, recoveryThreshold: 3 });
  });

  it('says nothing of runs when one success was enough', () => {
    const alert = anAlert({
      flip: { from: 'down', to: 'up', reason: 'success', exitStatus: null, runs: { successes: 1, recoveryThreshold: 1 } },
      downSince: at('2026-06-02T11:00:00Z'),
    });
    expect(alertSubject(alert)).toBe('UP: nightly-backup (down for 3 h)');
    expect(alertText(alert)).not.toContain('Recovered after');
  });
});

describe('run durations', () => {
  it.each([
    [300, '0.3 s'],
    [2000, '2 s'],
    [45_000, '45 s'],
    [90_000, '1 min 30 s'],
    [20 * MIN, '20 min'],
    [62 * MIN, '1 h 2 min'],
    [120 * MIN, '2 h'],
    [51 * 60 * MIN, '2 d 3 h'],
  ])('%i ms reads %s', (ms, words) => {
    expect(formatRunDuration(ms)).toBe(words);
  });
});

describe('hostile keywords and run ids, on every channel', () => {
  const HOSTILE = ['<script>alert(1)</script>', '@channel <!here>', 'R&D <!channel>', '<https://evil.example|log in>'];
  let smtp: SmtpReceiver;
  let http: HttpReceiver;
  let notifier: Notifier;

  beforeAll(async () => {
    [smtp, http] = await Promise.all([startSmtpReceiver(), startHttpReceiver()]);
    notifier = createNotifier({
      smtpUrl: smtp.url,
      emailFrom: 'Cronbeat <alerts@cronbeat.test>',
      httpTimeoutMs: 2000,
      privateTargetsAllowed: ['127.0.0.0/8'],
    });
    http.respond = () => ({ status: 200, body: 'ok' });
  });
  afterAll(async () => {
    notifier?.close();
    await Promise.all([smtp?.close(), http?.close()]);
  });

  /** A threshold alert whose keyword and overlapping run id are `hostile`. */
  const hostileAlert = (hostile: string) => {
    const alert = thresholdAlert(hostile);
    const failures = [
      ...(alert.flip.runs?.failures ?? []),
      { reason: 'overlap', at: FLIP_AT, startedAt: at('2026-06-02T13:00:00Z'), openRid: hostile } as const,
    ];
    return { ...alert, flip: { ...alert.flip, reason: 'overlap' as const, runs: { failures, failureThreshold: 5 } } };
  };

  it.each(HOSTILE)('email escapes %s in HTML and keeps it in text', async (hostile) => {
    const to = `ops-${crypto.randomUUID().slice(0, 8)}@example.com`;
    await notifier.send({ kind: 'email', config: { to: [to] } }, hostileAlert(hostile));
    await eventually(() => smtp.mails.some((mail) => JSON.stringify(mail.to).includes(to)), 5000, `the mail to ${to}`);
    const mail = smtp.mails.find((m) => JSON.stringify(m.to).includes(to)) as ParsedMail & { text: string; html: string };
    expect(mail.subject).toBe(
      `DOWN: nightly-backup (5 failed runs in a row; last: overlapping, started while run "${hostile}", started 15:00 Europe/Berlin, was still open)`,
    );
    expect(mail.text).toContain(`failed, body contains "${hostile}"`);
    expect(mail.text).toContain(`started while run "${hostile}"`);
    const escaped = hostile.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    expect(mail.html).toContain(`failed, body contains &#34;${escaped}&#34;`);
    expect(mail.html).not.toMatch(/<script|<!here|<!channel|<https/i);
  });

  it.each(HOSTILE)('Slack escapes %s in everything it parses', async (hostile) => {
    const path = `/slack-${crypto.randomUUID().slice(0, 8)}`;
    await notifier.send({ kind: 'slack', config: { url: `${http.url}${path}` } }, hostileAlert(hostile));
    const body = JSON.parse(http.requests.find((request) => request.path === path)!.body);
    const mrkdwn: string[] = [body.text];
    JSON.stringify(body.blocks, (_key, value) => {
      if (value && value.type === 'mrkdwn') mrkdwn.push(value.text);
      return value;
    });
    const slackEscaped = hostile.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
    for (const text of mrkdwn) {
      expect(text).not.toMatch(/[<>]/);
      expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    const runs = mrkdwn.find((text) => text.startsWith('*The failed runs, oldest first*'));
    expect(runs).toContain(`2. Tue, 2 Jun 2026, 01:30 (Europe/Berlin): failed, body contains "${slackEscaped}"`);
    expect(runs).toContain(`5. Tue, 2 Jun 2026, 16:00 (Europe/Berlin): overlapping, started while run "${slackEscaped}"`);
    expect(body.text).toContain(`started while run "${slackEscaped}"`);
  });

  it.each(HOSTILE)('a webhook carries %s as written, in JSON', async (hostile) => {
    const path = `/hook-${crypto.randomUUID().slice(0, 8)}`;
    await notifier.send({ kind: 'webhook', config: { url: `${http.url}${path}` } }, hostileAlert(hostile));
    const body = JSON.parse(http.requests.find((request) => request.path === path)!.body);
    expect(body.flip.reason).toBe('overlap');
    expect(body.flip.runs.failureThreshold).toBe(5);
    expect(body.flip.runs.failures[1]).toEqual({ reason: 'failed', at: '2026-06-01T23:30:00.000Z', keyword: hostile });
    expect(body.flip.runs.failures[4]).toEqual({
      reason: 'overlap',
      at: '2026-06-02T14:00:00.000Z',
      startedAt: '2026-06-02T13:00:00.000Z',
      openRid: hostile,
    });
  });
});
