import { describe, expect, it } from 'vitest';
import { channelOutcomes, failingPing, incidentSpan, outputTail, pingsOfIncident } from '../src/incident';
import type { DeliveryAttempt, Flip, Ping } from '../src/types';

const flip = (id: number, minute: number, from: Flip['from'], to: Flip['to'], reason: Flip['reason'] = 'failed'): Flip => ({
  id,
  from,
  to,
  reason,
  exitStatus: null,
  at: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
  processedAt: null,
  runs: null,
});

const ping = (n: number, minute: number, kind: Ping['kind'], bodySize = 0): Ping => ({
  n,
  kind,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
  exitStatus: kind === 'fail' ? 1 : 0,
  rid: null,
  method: 'POST',
  scheme: 'https',
  remoteAddr: null,
  userAgent: null,
  bodySize,
  duration: null,
  keyword: null,
});

describe('an incident of the flips and pings the API lists', () => {
  // Newest first, as the API lists them: up, down (10), paused, up, down (30) still going.
  const flips = [
    flip(5, 30, 'up', 'down'),
    flip(4, 25, 'new', 'up', 'success'),
    flip(3, 20, 'down', 'paused', 'paused'),
    flip(2, 10, 'up', 'down'),
    flip(1, 0, 'new', 'up', 'success'),
  ];

  it('spans from the flip to down to the first flip that leaves down', () => {
    const span = incidentSpan(flips, 2);
    expect(span?.start.id).toBe(2);
    expect(span?.end?.id).toBe(3);
    expect(span?.flips.map((f) => f.id)).toEqual([2, 3]);
  });

  it('lasts until now while the check is still down, and is nothing for a flip that is not to down or not listed', () => {
    expect(incidentSpan(flips, 5)).toMatchObject({ start: { id: 5 }, end: null });
    expect(incidentSpan(flips, 4)).toBeNull();
    expect(incidentSpan(flips, 99)).toBeNull();
  });

  it('holds the ping that took it down and the pings until it ended', () => {
    const pings = [ping(5, 26, 'success'), ping(4, 15, 'fail'), ping(3, 12, 'log'), ping(2, 10, 'fail'), ping(1, 5, 'success')];
    const span = incidentSpan(flips, 2)!;
    expect(pingsOfIncident(pings, span).map((p) => p.n)).toEqual([2, 3, 4]);
  });

  it('finds the failing ping: the last fail at or before a failed flip; for a missed one, only when the job last said it failed', () => {
    const pings = [ping(3, 12, 'fail', 40), ping(2, 10, 'fail', 12), ping(1, 5, 'success')];
    expect(failingPing(pings, flip(9, 10, 'up', 'down'))?.n).toBe(2);
    expect(failingPing(pings, flip(9, 11, 'up', 'down', 'missed'))?.n).toBe(2);
    expect(failingPing([ping(2, 10, 'success'), ping(1, 5, 'fail')], flip(9, 11, 'up', 'down', 'missed'))).toBeNull();
    expect(failingPing(pings, flip(9, 4, 'up', 'down'))).toBeNull();
  });

  it('keeps the last 20 lines of the output and at most 2,000 characters, saying how many lines are hidden', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const tail = outputTail(`${lines.join('\r\n')}\n\n`);
    expect(tail.text.split('\n')).toEqual(lines.slice(10));
    expect(tail.hiddenLines).toBe(10);
    const long = outputTail(`start\n${'x'.repeat(5_000)}end`);
    expect(long.text).toHaveLength(2_000);
    expect(long.text.startsWith('…')).toBe(true);
    expect(long.text.endsWith('xend')).toBe(true);
    expect(outputTail('one line')).toEqual({ text: 'one line', hiddenLines: 0 });
  });

  it("tells each channel's newest attempt at the alert, not the reminders", () => {
    const attempt = (id: number, channel: string, outcome: DeliveryAttempt['outcome'], reminder = 0): DeliveryAttempt => ({
      id,
      notificationId: `n-${channel}-${reminder}`,
      channel: { id: channel, name: channel === 'a' ? 'Pager' : 'Hook', kind: 'webhook' },
      checkId: 'c',
      flipId: 2,
      reminder,
      at: new Date(Date.UTC(2026, 0, 1, 0, id)).toISOString(),
      outcome,
      statusCode: outcome === 'sent' ? 200 : 503,
      reply: null,
      error: outcome === 'sent' ? null : 'webhook: HTTP 503 Service Unavailable',
      nextAttemptAt: null,
    });
    const outcomes = channelOutcomes([
      attempt(4, 'a', 'failed', 1),
      attempt(3, 'b', 'retrying'),
      attempt(2, 'a', 'sent'),
      attempt(1, 'a', 'retrying'),
    ]);
    expect(outcomes.map((o) => [o.channel.name, o.attempt.outcome, o.attempts])).toEqual([
      ['Hook', 'retrying', 1],
      ['Pager', 'sent', 2],
    ]);
  });
});
