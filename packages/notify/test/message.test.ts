import { readFileSync } from 'node:fs';
import type { FailedRun } from '@cronbeat/core';
import { describe, expect, it } from 'vitest';
import { alertSubject, alertText, formatDuration, parseChannelConfig, tail, webhookPayload } from '../src';
import { anAlert } from './alert-fixture';

describe('alert messages', () => {
  it('names a miss with how long ago the last ping was', () => {
    expect(alertSubject(anAlert({ flip: { reason: 'missed', exitStatus: null } }))).toBe(
      'DOWN: nightly-backup (missed, last ping 26 h ago)',
    );
  });

  it('names a failure with its exit status and quotes the output', () => {
    const alert = anAlert();
    expect(alertSubject(alert)).toBe('DOWN: nightly-backup (failed, exit status 3)');
    expect(alertText(alert)).toContain('Exit status: 3');
    expect(alertText(alert)).toContain('pg_dump: error: connection refused');
  });

  it('says when a missed run was expected, on the check’s clocks', () => {
    const text = alertText(anAlert({ flip: { reason: 'missed', exitStatus: null } }));
    // Last ping 2026-06-01 12:00 UTC = 14:00 CEST, so the next run was 2026-06-02 02:30 CEST; the flip came at 16:00 CEST.
    expect(text).toContain('Expected at: Tue, 2 Jun 2026, 02:30 (Europe/Berlin), 14 h ago');
    expect(text).toContain('Last ping: Mon, 1 Jun 2026, 14:00 (Europe/Berlin), 26 h ago');
    expect(text).toContain('Down since: Tue, 2 Jun 2026, 16:00 (Europe/Berlin)');
  });

  it('names a timeout with how long the run has been going', () => {
    const alert = anAlert({ flip: { reason: 'timed_out', exitStatus: null }, check: { lastStart: new Date('2026-06-02T12:00:00Z') } });
    expect(alertSubject(alert)).toBe('DOWN: nightly-backup (timed out, running for 2 h)');
  });

  it('says how long a recovered check was down', () => {
    const alert = anAlert({
      flip: { from: 'down', to: 'up', reason: 'success', exitStatus: null },
      downSince: new Date('2026-06-02T11:00:00Z'),
    });
    expect(alertSubject(alert)).toBe('UP: nightly-backup (down for 3 h)');
    expect(alertText(alert)).toContain('Down for: 3 h');
  });

  it('reminds that a check is still down, for how long and why, and says so to webhooks', () => {
    const alert = anAlert({ reminderAt: new Date('2026-06-02T20:00:00Z') });
    expect(alertSubject(alert)).toBe('STILL DOWN: nightly-backup (down for 6 h; failed, exit status 3)');
    expect(alertText(alert)).toContain('Down since: Tue, 2 Jun 2026, 16:00 (Europe/Berlin), 6 h ago');
    expect(alertText(alert)).toContain('Status: DOWN');
    expect(webhookPayload(alert)).toMatchObject({
      event: 'check.still_down',
      reminderAt: '2026-06-02T20:00:00.000Z',
      flip: { to: 'down' },
    });
    expect(webhookPayload(anAlert())).toMatchObject({ event: 'check.down', reminderAt: null });
  });

  it('formats durations the way people say them', () => {
    expect([40_000, 300_000, 26 * 3600_000, 3 * 86400_000].map(formatDuration)).toEqual(['40 s', '5 min', '26 h', '3 d']);
  });

  it('keeps only the last bytes of long output, on a character boundary', () => {
    expect(tail(`${'x'.repeat(5000)}é end`, 6)).toBe('é end');
    expect(Buffer.byteLength(tail('é'.repeat(3000), 2048))).toBeLessThanOrEqual(2048);
  });
});

describe('channel config', () => {
  it('accepts what each kind needs', () => {
    expect(parseChannelConfig('email', { to: 'ops@example.com' })).toEqual({ to: ['ops@example.com'] });
    expect(parseChannelConfig('slack', { url: 'https://hooks.slack.com/services/T/B/X' })).toEqual({
      url: 'https://hooks.slack.com/services/T/B/X',
    });
    expect(parseChannelConfig('webhook', { url: 'https://example.com/hook', secret: 'a'.repeat(16) })).toMatchObject({
      secret: 'a'.repeat(16),
    });
  });

  it('says what is wrong with bad config', () => {
    expect(() => parseChannelConfig('email', { to: 'not-an-address' })).toThrow(/not an email address/);
    expect(() => parseChannelConfig('webhook', { url: 'ftp://example.com' })).toThrow(/https:\/\//);
    expect(() => parseChannelConfig('webhook', { url: 'https://example.com', secret: 'short' })).toThrow(/16 to 256/);
    expect(() => parseChannelConfig('slack', null)).toThrow(/object/);
  });
});

describe('the webhook payload documented in the README', () => {
  it('is what Cronbeat sends for that alert', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const example = /## Alerts[\s\S]*?```json\n(\{\n {2}"event"[\s\S]*?)```/.exec(readme)?.[1];
    expect(example, 'a JSON payload example under "## Alerts"').toBeDefined();
    const documented = JSON.parse(example!);
    const at = new Date(documented.flip.at);
    const failures: FailedRun[] = documented.flip.runs.failures.map((run: Record<string, unknown>) => ({
      ...run,
      at: new Date(run.at as string),
      ...(run.scheduled ? { scheduled: new Date(run.scheduled as string) } : {}),
    }));
    const alert = anAlert({
      check: {
        id: documented.check.id,
        name: documented.check.name,
        slug: documented.check.slug,
        projectName: documented.check.project,
        lastPing: new Date(documented.check.lastPing),
        tz: documented.check.tz,
        url: documented.check.url,
      },
      flip: { id: documented.flip.id, at, exitStatus: 3, runs: { failures, failureThreshold: documented.flip.runs.failureThreshold } },
      ping: { at, kind: 'fail', exitStatus: 3, bodyTail: documented.ping.body },
    });
    expect(webhookPayload(alert)).toEqual(documented);
  });
});
