/**
 * What alerts say beyond their own flip: why a held alert comes late (a
 * maintenance window, a parent that was down), which dependents are down,
 * and a grouped alert's every check; on every channel, names escaped for
 * each medium (check and window names are whatever people typed).
 */
import { describe, expect, it } from 'vitest';
import {
  type Alert,
  alertHtml,
  alertSubject,
  alertText,
  type DownDependent,
  type GroupedCheck,
  heldPhrase,
  slackMessage,
  webhookPayload,
} from '../src';
import { anAlert } from './alert-fixture';

/** The fixture's flip: 2 Jun 2026, 16:00 in Berlin (CEST, UTC+2). */
const FLIP_AT = new Date('2026-06-02T14:00:00Z');
const HOUR = 3600_000;
const later = (hours: number) => new Date(FLIP_AT.getTime() + hours * HOUR);
const HOSTILE = '<b>x</b> & <!channel> "q"';

const down = (extra: Partial<Alert> = {}, flip: Partial<Alert['flip']> = {}): Alert => ({
  ...anAlert({ flip: { reason: 'missed', exitStatus: null, ...flip }, ping: null }),
  ...extra,
});

const dependent = (name: string, n: number): DownDependent => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  name,
  since: FLIP_AT,
  url: `https://cronbeat.example/checks/dep-${n}`,
});

describe('why a held alert comes only now', () => {
  it.each<[string, Partial<Alert>, Partial<Alert['flip']>, string | null]>([
    ['sent at once: nothing to say', {}, {}, null],
    [
      'released when its maintenance window ended',
      { maintenance: { windowId: 'w1', name: 'Sunday backups', releasedAt: later(2) } },
      {},
      'went down at 16:00 during maintenance window "Sunday backups"',
    ],
    [
      'its window deleted since',
      { maintenance: { windowId: null, name: null, releasedAt: later(2) } },
      {},
      'went down at 16:00 during a maintenance window',
    ],
    [
      'released the next day, naming the day it went down',
      { maintenance: { windowId: 'w1', name: 'Weekend', releasedAt: later(30) } },
      {},
      'went down at Tue 2 Jun, 16:00 during maintenance window "Weekend"',
    ],
    [
      'a recovery held in a window',
      { maintenance: { windowId: 'w1', name: 'Sunday backups', releasedAt: later(1) } },
      { from: 'down', to: 'up', reason: 'success' },
      'came back up at 16:00 during maintenance window "Sunday backups"',
    ],
    [
      'one parent, back up',
      { dependency: { parents: [{ id: 'p1', name: 'db-primary', status: 'up' }], releasedAt: later(1) } },
      { reason: 'dependency' },
      'went down at 16:00 while db-primary was down; it recovered since',
    ],
    [
      'three parents, all back',
      {
        dependency: {
          parents: [
            { id: 'p1', name: 'db', status: 'up' },
            { id: 'p2', name: 'cache', status: 'up' },
            { id: 'p3', name: 'queue', status: 'paused' },
          ],
          releasedAt: later(1),
        },
      },
      { reason: 'dependency' },
      'went down at 16:00 while db, cache and queue were down; they recovered since',
    ],
    [
      'two parents, one still down',
      {
        dependency: {
          parents: [
            { id: 'p1', name: 'db', status: 'up' },
            { id: 'p2', name: 'cache', status: 'down' },
          ],
          releasedAt: later(1),
        },
      },
      { reason: 'dependency' },
      'went down at 16:00 while db and cache were down; db recovered since',
    ],
    [
      'its dependencies removed since',
      { dependency: { parents: [], releasedAt: later(1) } },
      { reason: 'dependency' },
      'went down at 16:00 while checks it depends on were down',
    ],
  ])('%s', (_, extra, flip, phrase) => {
    const alert = down(extra, flip);
    expect(heldPhrase(alert)).toBe(phrase);
    if (phrase) {
      expect(alertText(alert)).toContain(`Held back: ${phrase}`);
      expect(slackMessage(alert).blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: `*Held back*: ${phrase}` } });
    }
  });

  it('names a dependency flip in the subject without repeating the note', () => {
    const parents = [{ id: 'p1', name: 'db-primary', status: 'up' as const }];
    expect(alertSubject(down({ dependency: { parents, releasedAt: later(1) } }, { reason: 'dependency' }))).toBe(
      'DOWN: nightly-backup (down while a check it depends on was down)',
    );
  });

  it('tells webhooks why and for what the event was held', () => {
    expect(webhookPayload(down({ maintenance: { windowId: 'w1', name: 'Sunday backups', releasedAt: later(2) } }))).toMatchObject({
      heldBy: 'maintenance',
      maintenance: { windowId: 'w1', name: 'Sunday backups' },
      downParents: null,
      releasedAt: later(2).toISOString(),
    });
    const parents = [{ id: 'p1', name: 'db-primary', status: 'up' as const }];
    expect(webhookPayload(down({ dependency: { parents, releasedAt: later(1) } }, { reason: 'dependency' }))).toMatchObject({
      heldBy: 'dependency',
      maintenance: null,
      downParents: parents,
      flip: { reason: 'dependency' },
    });
    expect(webhookPayload(down())).toMatchObject({ heldBy: null, maintenance: null, downParents: null, releasedAt: null, dependents: [] });
  });

  it('escapes a window name for HTML and Slack, and keeps it as written in text and JSON', () => {
    const alert = down({ maintenance: { windowId: 'w1', name: HOSTILE, releasedAt: later(2) } });
    expect(alertText(alert)).toContain(`during maintenance window "${HOSTILE}"`);
    expect(alertHtml(alert)).toContain('during maintenance window &#34;&#60;b&#62;x&#60;/b&#62; &#38; &#60;!channel&#62; &#34;q&#34;&#34;');
    expect(alertHtml(alert)).not.toContain('<b>x');
    const slack = JSON.stringify(slackMessage(alert).blocks);
    expect(slack).toContain('&lt;b&gt;x&lt;/b&gt; &amp; &lt;!channel&gt;');
    expect(slack).not.toMatch(/<!channel>|<b>/);
    expect(webhookPayload(alert).maintenance?.name).toBe(HOSTILE);
  });
});

describe('the dependents a parent’s alert lists', () => {
  const dependents = [dependent('import', 1), dependent('report', 2), dependent('sync', 3)];

  it.each<[string, Alert, string | null]>([
    ['DOWN: those down with it', down({ dependents }), 'Also down, depending on it: import, report, sync'],
    ['STILL DOWN: those down with it', down({ dependents, reminderAt: later(6) }), 'Also down, depending on it: import, report, sync'],
    [
      'UP: those still down',
      down({ dependents: dependents.slice(0, 2), downSince: later(-3) }, { from: 'down', to: 'up', reason: 'success' }),
      'Still down: import, report',
    ],
    ['none down: nothing', down({ dependents: [] }), null],
  ])('%s', (_, alert, line) => {
    const text = alertText(alert);
    if (line === null) {
      expect(text).not.toMatch(/Also down|Still down/);
      return;
    }
    expect(text).toContain(line);
    const slack = JSON.stringify(slackMessage(alert).blocks);
    expect(slack).toContain('<https://cronbeat.example/checks/dep-1|import>');
    expect(alertHtml(alert)).toContain('<a href="https://cronbeat.example/checks/dep-2" style="color:#175cd3;">report</a>');
  });

  it('gives webhooks each dependent with its link and since when it is down', () => {
    expect(webhookPayload(down({ dependents })).dependents).toEqual(
      dependents.map((each) => ({ id: each.id, name: each.name, since: FLIP_AT.toISOString(), url: each.url })),
    );
  });

  it('escapes dependents’ names in HTML and Slack links', () => {
    const alert = down({ dependents: [dependent(HOSTILE, 1)] });
    expect(alertHtml(alert)).not.toContain('<b>x');
    const slack = JSON.stringify(slackMessage(alert).blocks);
    expect(slack).toContain('<https://cronbeat.example/checks/dep-1|&lt;b&gt;x&lt;/b&gt; &amp; &lt;!channel&gt; \\"q\\">');
  });
});

describe('a grouped alert', () => {
  /** `count` checks of Acme that went down a minute apart, the first (the carrier's) at the fixture's flip. */
  function group(count: number, name = (i: number) => `job-${String(i + 1).padStart(2, '0')}`): Alert {
    const carrier = down();
    const members: GroupedCheck[] = Array.from({ length: count }, (_, i) => ({
      check: { ...carrier.check, id: `check-${i}`, name: name(i), url: `https://cronbeat.example/checks/check-${i}`, tz: 'UTC' },
      flip: { ...carrier.flip, id: 100 + i, at: new Date(FLIP_AT.getTime() + i * 60_000) },
    }));
    members[0] = { check: { ...carrier.check, name: name(0) }, flip: carrier.flip };
    return { ...carrier, check: members[0].check, group: members };
  }

  it('is titled by how many checks of which project went down', () => {
    expect(alertSubject(group(20))).toBe('DOWN: 20 checks in Acme');
    expect(slackMessage(group(20)).text).toBe('DOWN: 20 checks in Acme');
    // A group whose others were deleted since is an alert about one check.
    expect(alertSubject(group(1))).toBe('DOWN: job-01 (missed, last ping 26 h ago)');
  });

  it('lists every check in text, with why, when on its clocks, and its link', () => {
    const text = alertText(group(20));
    expect(text).toContain('20 checks of Acme went down together:');
    expect(text).toContain(
      '1. job-01: missed, last ping 26 h ago; down since Tue, 2 Jun 2026, 16:00 (Europe/Berlin)\n   https://cronbeat.example/checks/6f1c1f1e',
    );
    expect(text).toContain(
      '20. job-20: missed, last ping 26 h ago; down since Tue, 2 Jun 2026, 14:19 (UTC)\n   https://cronbeat.example/checks/check-19',
    );
    for (let i = 1; i <= 20; i++) expect(text).toContain(`job-${String(i).padStart(2, '0')}: missed`);
  });

  it('lists every check in HTML, each name a link, names escaped', () => {
    const html = alertHtml(group(20, (i) => (i === 3 ? HOSTILE : `job-${i + 1}`)));
    expect(html.match(/<li /g)).toHaveLength(20);
    expect(html).toContain('<a href="https://cronbeat.example/checks/check-19" style="color:#175cd3;">job-20</a>');
    expect(html).toContain('&#60;b&#62;x&#60;/b&#62; &#38; &#60;!channel&#62;');
    expect(html).not.toMatch(/<b>x|<!channel>/);
  });

  it('lists every check in one Slack message, escaped, and says how many a huge group leaves out', () => {
    const message = slackMessage(group(20, (i) => (i === 3 ? HOSTILE : `job-${i + 1}`)));
    const text = message.blocks.map((block) => JSON.stringify(block)).join('\n');
    expect(text).toContain('checks/6f1c1f1e|job-1>');
    for (let i = 1; i < 20; i++) expect(text).toContain(`checks/check-${i}|`);
    expect(text).toContain('&lt;b&gt;x&lt;/b&gt; &amp; &lt;!channel&gt;');
    expect(text).not.toMatch(/<!channel>|<b>/);

    const huge = slackMessage(group(2000));
    expect(huge.blocks.length).toBeLessThanOrEqual(50);
    for (const block of huge.blocks) expect(JSON.stringify(block).length).toBeLessThan(3100);
    expect(JSON.stringify(huge.blocks.at(-1))).toMatch(/and \d+ more/);
  });

  it('is never grouped for webhooks: the payload is the carrier’s own check', () => {
    const payload = webhookPayload(group(20));
    expect(payload.event).toBe('check.down');
    expect(payload.check.name).toBe('job-01');
    expect(JSON.stringify(payload)).not.toContain('job-02');
  });
});
