/**
 * Every Cronbeat email, as a real SMTP server receives it: one layout, times
 * on the check's clocks with the zone named, everything people and jobs
 * wrote escaped in HTML and intact in text.
 */
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Alert, alertFacts, createNotifier, type Notifier } from '../src';
import { escapeHtml } from '../src/email-layout';
import { anAlert } from './alert-fixture';
import { eventually, type SmtpReceiver, startSmtpReceiver } from './support/receivers';

let smtp: SmtpReceiver;
let notifier: Notifier;

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  notifier = createNotifier({ smtpUrl: smtp.url, emailFrom: 'Cronbeat <alerts@cronbeat.test>' });
});
afterAll(async () => {
  notifier.close();
  await smtp.close();
});

/** Sends `alert` to a fresh address and returns the message the server got. */
async function received(alert: Alert): Promise<ParsedMail & { html: string; text: string }> {
  const to = `ops-${crypto.randomUUID().slice(0, 8)}@example.com`;
  await notifier.send({ kind: 'email', config: { to: [to] } }, alert);
  await eventually(() => smtp.mails.some((mail) => JSON.stringify(mail.to).includes(to)), 5000, `the mail to ${to}`);
  const mail = smtp.mails.find((m) => JSON.stringify(m.to).includes(to))!;
  expect(typeof mail.html).toBe('string');
  expect(typeof mail.text).toBe('string');
  return mail as ParsedMail & { html: string; text: string };
}

/** Tag names in a document: anything a value could have smuggled in shows up here. */
const tagNames = (html: string) => new Set([...html.matchAll(/<\/?([a-zA-Z!][\w-]*)/g)].map((match) => match[1]!.toLowerCase()));
const LAYOUT_TAGS = [
  '!doctype',
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'div',
  'table',
  'tr',
  'td',
  'th',
  'span',
  'h1',
  'h2',
  'p',
  'pre',
  'strong',
  'a',
];

/** A check in Riga that missed its 02:30 run on 3 Dec 2026 and went down at 03:40 Riga time (EET, UTC+2). */
const rigaAlert = (overrides: Parameters<typeof anAlert>[0] = {}) =>
  anAlert({
    ...overrides,
    check: {
      name: 'Nightly backup',
      projectName: 'Ops',
      schedule: { kind: 'cron', cron: '30 2 * * *', tz: 'Europe/Riga' },
      tz: 'Europe/Riga',
      lastPing: new Date('2026-12-02T00:30:07Z'),
      ...overrides.check,
    },
    flip: { reason: 'missed', exitStatus: null, at: new Date('2026-12-03T01:40:00Z'), ...overrides.flip },
    ping: overrides.ping === undefined ? null : overrides.ping,
  });

describe('an alert email', () => {
  it('answers a sent alert with the SMTP server’s reply line, for the delivery log', async () => {
    const receipt = await notifier.send({ kind: 'email', config: { to: ['log@example.com'] } }, anAlert());
    expect(receipt.statusCode).toBeNull();
    expect(receipt.reply).toMatch(/^250\b/);
  });

  it('shows times in the check’s zone with the zone named, in both parts', async () => {
    const mail = await received(rigaAlert());
    expect(mail.subject).toBe('DOWN: Nightly backup (missed, last ping 25 h ago)');
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('Thu, 3 Dec 2026, 03:40 (Europe/Riga)'); // went down
      expect(part).toContain('Thu, 3 Dec 2026, 02:30 (Europe/Riga)'); // the run it missed
      expect(part).toContain('Wed, 2 Dec 2026, 02:30 (Europe/Riga)'); // the last ping
      expect(part).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/); // no ISO time is left for people to convert
    }
    expect(mail.text).toContain('Expected at: Thu, 3 Dec 2026, 02:30 (Europe/Riga), 70 min ago');
  });

  it('shows a period check’s times in the zone stored on the check, and UTC when it has none', async () => {
    const period = { kind: 'period', period: 3600 } as const;
    const tokyo = await received(rigaAlert({ check: { schedule: period, tz: 'Asia/Tokyo' } }));
    expect(tokyo.text).toContain('Down since: Thu, 3 Dec 2026, 10:40 (Asia/Tokyo)');
    const utc = await received(rigaAlert({ check: { schedule: period, tz: undefined } }));
    expect(utc.text).toContain('Down since: Thu, 3 Dec 2026, 01:40 (UTC)');
    // A zone this runtime does not know still gets its alert out, in UTC.
    const unknown = await received(rigaAlert({ check: { schedule: period, tz: 'Mars/Olympus_Mons' } }));
    expect(unknown.text).toContain('Down since: Thu, 3 Dec 2026, 01:40 (UTC)');
  });

  it('describes an OnCalendar schedule, every expression, and takes its zone when the check names none', () => {
    const schedule = { kind: 'oncalendar', onCalendar: 'Mon..Fri *-*-* 09:00\n*-*~01 18:00 UTC', tz: 'Europe/Riga' } as const;
    const facts = Object.fromEntries(alertFacts(rigaAlert({ check: { schedule, tz: undefined } })));
    expect(facts.Schedule).toMatch(/^OnCalendar "Mon\.\.Fri \*-\*-\* 09:00", "\*-\*~01 18:00 UTC" \(Europe\/Riga\), grace /);
    expect(facts['Down since']).toBe('Thu, 3 Dec 2026, 03:40 (Europe/Riga)');
  });

  it('escapes what people and jobs wrote in HTML and keeps it intact in text', async () => {
    const name = '<script>alert(1)</script> & co';
    const mail = await received(
      rigaAlert({
        check: { name, projectName: 'R&D "Ops"', tags: ['<img src=x onerror=alert(2)>', 'nightly'] },
        flip: { reason: 'failed', exitStatus: 2 },
        ping: { at: new Date('2026-12-03T01:40:00Z'), kind: 'fail', exitStatus: 2, bodyTail: '</pre><b onmouseover="x()">oops</b>' },
      }),
    );
    expect(mail.subject).toBe(`DOWN: ${name} (failed, exit status 2)`);
    expect(mail.html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; co');
    expect(mail.html).toContain('R&#38;D &#34;Ops&#34;');
    expect(mail.html).toContain('&#60;img src=x onerror=alert(2)&#62;, nightly');
    expect(mail.html).toContain('&#60;/pre&#62;&#60;b onmouseover=&#34;x()&#34;&#62;oops&#60;/b&#62;');
    // Only the layout's own elements: nothing a value carried became markup.
    expect([...tagNames(mail.html)].filter((tag) => !LAYOUT_TAGS.includes(tag))).toEqual([]);
    expect(mail.html).not.toMatch(/<script|<img|<b /i);
    for (const written of [name, 'R&D "Ops"', '<img src=x onerror=alert(2)>, nightly', '</pre><b onmouseover="x()">oops</b>']) {
      expect(mail.text).toContain(written);
    }
    expect(mail.text).toContain(`Check: ${name}`);
  });

  it('has the layout: viewport, a 600 px container, the product, the status in words and colour, a button to the check, a footer', async () => {
    const alert = rigaAlert();
    const { html } = await received(alert);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toMatch(/<table [^>]*class="cb-card"[^>]*style="[^"]*max-width:600px/);
    expect(html).toMatch(/@media only screen and \(max-width: 620px\)/);
    expect(html).toMatch(/<td [^>]*>Cronbeat<\/td>/);
    // DOWN, in white on red, with what happened beside it.
    expect(html).toMatch(/background:#b42318;color:#ffffff;[^"]*">DOWN<\/span><span [^>]*>Missed, last ping 25 h ago<\/span>/);
    expect(html).toMatch(
      /<h1 [^>]*>Nightly backup<\/h1><p [^>]*>Project <strong>Ops<\/strong> · down since Thu, 3 Dec 2026, 03:40 \(Europe\/Riga\)<\/p>/,
    );
    expect(html).toMatch(
      /<a href="https:\/\/cronbeat\.example\/checks\/6f1c1f1e" style="display:inline-block;[^"]*">Open the check in Cronbeat<\/a>/,
    );
    expect(html).toContain(
      'You get this email because this address is on an email channel of the project <strong>Ops</strong> in Cronbeat.',
    );
    // No style sheet needed: every element that shows something carries its own style.
    expect(html.match(/<(td|th|h1|h2|p|pre|a|span)\b(?![^>]*style=)[^>]*>/g) ?? []).toEqual([]);
  });

  it('says the same facts in the text part as in the HTML part', async () => {
    const alert = rigaAlert({ check: { tags: ['db', 'nightly'] }, flip: { reason: 'failed', exitStatus: 3 } });
    const { text, html } = await received(alert);
    const facts = alertFacts(alert);
    expect(facts.map(([label]) => label)).toEqual([
      'Status',
      'Check',
      'Project',
      'Tags',
      'Reason',
      'Exit status',
      'Down since',
      'Last ping',
      'Schedule',
    ]);
    for (const [label, value] of facts) {
      expect(text).toContain(`${label}: ${value}`);
      expect(html).toContain(escapeHtml(value));
    }
    // Status, check and project head the HTML; the rest are rows of its table.
    for (const [label, value] of facts.slice(3))
      expect(html).toContain(
        `>${label}</th><td style="padding:6px 0;border-top:1px solid #e4e7ec;word-break:break-word;">${escapeHtml(value)}</td>`,
      );
    expect(text).toContain('Open the check: https://cronbeat.example/checks/6f1c1f1e');
    expect(text).toContain('You get this email because this address is on an email channel of the project "Ops" in Cronbeat.');
    expect(text).toContain('edit it on its page: https://cronbeat.example/checks/6f1c1f1e');
  });

  it('leads with the status word in the subject and the status line: DOWN red, UP green, LATE amber, STILL DOWN red', async () => {
    const cases = [
      {
        alert: rigaAlert(),
        subject: /^DOWN: Nightly backup \(/,
        colour: '#b42318',
        word: 'DOWN',
        headline: 'Missed, last ping 25 h ago',
      },
      {
        alert: rigaAlert({ flip: { from: 'down', to: 'up', reason: 'success' }, downSince: new Date('2026-12-02T22:40:00Z') }),
        subject: /^UP: Nightly backup \(down for 3 h\)$/,
        colour: '#067647',
        word: 'UP',
        headline: 'Back up after being down for 3 h',
      },
      {
        alert: rigaAlert({ flip: { to: 'late' } }),
        subject: /^LATE: Nightly backup \(/,
        colour: '#b54708',
        word: 'LATE',
        headline: 'Missed, last ping 25 h ago',
      },
      {
        alert: rigaAlert({ reminderAt: new Date('2026-12-03T07:40:00Z') }),
        subject: /^STILL DOWN: Nightly backup \(down for 6 h; /,
        colour: '#b42318',
        word: 'STILL DOWN',
        headline: 'Down for 6 h; missed, last ping 25 h ago',
      },
    ];
    for (const { alert, subject, colour, word, headline } of cases) {
      const mail = await received(alert);
      expect(mail.subject).toMatch(subject);
      expect(mail.html).toContain(
        `background:${colour};color:#ffffff;font-size:12px;font-weight:700;letter-spacing:0.5px;">${word}</span><span style="padding-left:8px;font-weight:600;color:${colour};">${headline}</span>`,
      );
      expect(mail.text.split('\n')[0]).toBe(mail.subject);
      expect(mail.text).toContain(`Status: ${alert.flip.to.toUpperCase()}`);
    }
  });
});

describe('a report email and an invitation email', () => {
  const sent = (to: string) => {
    const mail = smtp.mails.find((m) => JSON.stringify(m.to).includes(to));
    return mail as (ParsedMail & { html: string; text: string }) | undefined;
  };

  it('share the alert’s layout, list each check’s figures for the period in the recipient’s zone, and escape project and check names', async () => {
    const figures = { downs: 0, runs: 0, failures: 0, p50Ms: null, p95Ms: null, slowest: null, countedFrom: null };
    await notifier.sendReport('reports@example.com', {
      period: 'weekly',
      start: new Date('2026-11-30T08:00:00Z'),
      end: new Date('2026-12-07T08:00:00Z'),
      timeZone: 'Europe/Berlin',
      projects: [
        {
          name: '<i>Ops</i>',
          checks: [
            {
              ...figures,
              name: 'Nightly <backup>',
              status: 'down',
              uptime: 0.71428,
              downs: 2,
              runs: 12,
              failures: 3,
              p50Ms: 4200,
              p95Ms: 9000,
              slowest: { durationMs: 12_000, at: new Date('2026-12-03T01:30:00Z') },
            },
            { ...figures, name: 'Cache warmer', status: 'up', uptime: 0.99999, runs: 7, countedFrom: new Date('2026-12-05T11:00:00Z') },
          ],
          more: 3,
          moreAllClean: true,
          total: 5,
          downNow: 1,
        },
        { name: 'Empty & idle', checks: [], more: 0, moreAllClean: true, total: 0, downNow: 0 },
      ],
      url: 'https://cronbeat.example',
    });
    await eventually(() => !!sent('reports@example.com'));
    const report = sent('reports@example.com')!;
    expect(report.subject).toBe('Cronbeat weekly report: 1 of 5 checks down');
    expect(report.html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(report.html).toMatch(/max-width:600px/);
    expect(report.html).toContain('&#60;i&#62;Ops&#60;/i&#62;');
    expect(report.html).toContain('Nightly &#60;backup&#62;');
    expect(report.html).toMatch(
      /background:#b42318;[^"]*">DOWN<\/span><\/td><td [^>]*>Nightly &#60;backup&#62;<div [^>]*>down 2 times · 12 runs, 3 failed · p50 4.2 s · p95 9 s · slowest 12 s \(Thu 3 Dec, 02:30\)<\/div><\/td><td [^>]*>71.42% up<\/td>/,
    );
    // 99.999% is not shown as 100%: any time down must show.
    expect(report.html).toMatch(
      /background:#067647;[^"]*">UP<\/span><\/td><td [^>]*>Cache warmer<div [^>]*>never down · 7 runs, 0 failed · counted since Sat 5 Dec, 12:00, older pings pruned<\/div><\/td><td [^>]*>99.99% up<\/td>/,
    );
    expect(report.html).toContain('…and 3 more checks, all 100% up with no failed runs.');
    expect(report.html).toContain('<a href="https://cronbeat.example/account" style="color:#175cd3;">your account page</a>');
    expect([...tagNames(report.html)].filter((tag) => !LAYOUT_TAGS.includes(tag))).toEqual([]);
    expect(report.text).toContain('2026-11-30 to 2026-12-07 (09:00 Europe/Berlin)');
    expect(report.text).toContain('  DOWN    Nightly <backup>\n          71.42% up, down 2 times · 12 runs, 3 failed');
    expect(report.text).toContain('<i>Ops</i>');
    expect(report.text).toContain('Empty & idle\n  no checks');
    expect(report.text).toContain('on your account page: https://cronbeat.example/account');
  });

  it('an invitation names when its link expires, in UTC, and links to it as a button', async () => {
    const url = 'https://cronbeat.example/join/tok_abc-123';
    await notifier.sendInvitation('invitee@example.com', {
      projectName: 'R&D <lab>',
      role: 'member',
      invitedBy: 'boss@example.com',
      url,
      expiresAt: new Date('2026-12-10T14:30:00Z'),
    });
    await eventually(() => !!sent('invitee@example.com'));
    const invitation = sent('invitee@example.com')!;
    expect(invitation.subject).toBe('boss@example.com invited you to R&D <lab> on Cronbeat');
    expect(invitation.html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(invitation.html).toMatch(new RegExp(`<a href="${url}" style="display:inline-block;[^"]*">Join R&#38;D &#60;lab&#62;</a>`));
    expect(invitation.html).toContain('until Thu, 10 Dec 2026, 14:30 (UTC)');
    expect([...tagNames(invitation.html)].filter((tag) => !LAYOUT_TAGS.includes(tag))).toEqual([]);
    expect(invitation.text).toContain('join the project "R&D <lab>" on Cronbeat as member');
    expect(invitation.text).toContain(`Join: ${url}`);
    expect(invitation.text).toContain('The link works once, until Thu, 10 Dec 2026, 14:30 (UTC).');
  });
});
