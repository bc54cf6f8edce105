import { describe, expect, it } from 'vitest';
import { overallState, publicState, uptimeReport, uptimeShare, uptimeWindowStart } from '../src';

const at = (iso: string) => new Date(iso);
const now = at('2026-12-07T12:00:00Z');
const longAgo = at('2026-01-01T00:00:00Z');

describe('uptime over 90 days', () => {
  it('starts the window at midnight UTC 89 days before today', () => {
    expect(uptimeWindowStart(now).toISOString()).toBe('2026-09-09T00:00:00.000Z');
  });

  it('is 100 % with one cell a day when a check was up throughout', () => {
    const report = uptimeReport({ createdAt: longAgo, statusAtStart: 'up', changes: [], now });
    expect(report.days).toHaveLength(90);
    expect(report.days[0]?.date).toBe('2026-09-09');
    expect(report.days[89]?.date).toBe('2026-12-07');
    expect(report.days.every((day) => day.up === 1)).toBe(true);
    expect(report.up).toBe(1);
    expect(report.incidents).toEqual([]);
  });

  it('counts six hours down as a quarter of that day and one incident', () => {
    const changes = [
      { at: at('2026-12-01T06:00:00Z'), to: 'down' as const },
      { at: at('2026-12-01T12:00:00Z'), to: 'up' as const },
    ];
    const report = uptimeReport({ createdAt: longAgo, statusAtStart: 'up', changes, now });
    const day = report.days.find((d) => d.date === '2026-12-01');
    expect(day).toEqual({ date: '2026-12-01', up: 0.75, downSeconds: 21_600 });
    expect(report.incidents).toEqual([{ start: at('2026-12-01T06:00:00Z'), end: at('2026-12-01T12:00:00Z'), durationSeconds: 21_600 }]);
    const watchedMs = now.getTime() - uptimeWindowStart(now).getTime();
    expect(report.up).toBeCloseTo(1 - 21_600_000 / watchedMs, 10);
  });

  it('splits a down stretch across midnight between the two days', () => {
    const changes = [
      { at: at('2026-12-02T18:00:00Z'), to: 'down' as const },
      { at: at('2026-12-03T06:00:00Z'), to: 'up' as const },
    ];
    const report = uptimeReport({ createdAt: longAgo, statusAtStart: 'up', changes, now });
    expect(report.days.find((d) => d.date === '2026-12-02')?.up).toBe(0.75);
    expect(report.days.find((d) => d.date === '2026-12-03')?.up).toBe(0.75);
    expect(report.incidents).toHaveLength(1);
  });

  it('shows an ongoing incident without an end, lasting until now', () => {
    const changes = [{ at: at('2026-12-07T11:00:00Z'), to: 'down' as const }];
    const report = uptimeReport({ createdAt: longAgo, statusAtStart: 'up', changes, now });
    expect(report.incidents).toEqual([{ start: at('2026-12-07T11:00:00Z'), end: null, durationSeconds: 3600 }]);
    expect(report.days[89]?.up).toBeCloseTo(11 / 12, 10);
  });

  it('leaves days before the check was made, and paused or new time, without a value', () => {
    const changes = [
      { at: at('2026-12-05T00:00:00Z'), to: 'up' as const },
      { at: at('2026-12-06T00:00:00Z'), to: 'paused' as const },
    ];
    const report = uptimeReport({ createdAt: at('2026-12-04T00:00:00Z'), statusAtStart: 'new', changes, now });
    expect(report.days.find((d) => d.date === '2026-12-03')?.up).toBeNull();
    expect(report.days.find((d) => d.date === '2026-12-04')?.up).toBeNull();
    expect(report.days.find((d) => d.date === '2026-12-05')?.up).toBe(1);
    expect(report.days.find((d) => d.date === '2026-12-06')?.up).toBeNull();
    expect(report.up).toBe(1);
  });

  it('measures a partly paused day by its watched part only, as uptimeShare does', () => {
    const changes = [
      { at: at('2026-12-06T00:00:00Z'), to: 'down' as const },
      { at: at('2026-12-06T06:00:00Z'), to: 'late' as const },
      { at: at('2026-12-06T12:00:00Z'), to: 'paused' as const },
      { at: at('2026-12-07T00:00:00Z'), to: 'up' as const },
    ];
    const report = uptimeReport({ createdAt: at('2026-12-05T00:00:00Z'), statusAtStart: 'up', changes, now });
    const hour = 3_600_000;
    expect(report.days.find((d) => d.date === '2026-12-06')).toEqual({
      date: '2026-12-06',
      up: uptimeShare({ down: 6 * hour, late: 6 * hour, paused: 12 * hour }),
      downSeconds: 21_600,
    });
    expect(report.days.find((d) => d.date === '2026-12-06')?.up).toBe(0.5);
    expect(report.up).toBe(uptimeShare({ up: 36 * hour, down: 6 * hour, late: 6 * hour, paused: 12 * hour }));
  });

  it('clips a check down since before the window to its start, and lists the newest incident first', () => {
    const changes = [
      { at: at('2026-09-10T00:00:00Z'), to: 'up' as const },
      { at: at('2026-10-01T00:00:00Z'), to: 'down' as const },
      { at: at('2026-10-01T00:10:00Z'), to: 'up' as const },
    ];
    const report = uptimeReport({ createdAt: longAgo, statusAtStart: 'down', changes, now });
    expect(report.days[0]?.up).toBe(0);
    expect(report.incidents.map((i) => i.start.toISOString())).toEqual(['2026-10-01T00:00:00.000Z', '2026-09-09T00:00:00.000Z']);
    expect(report.incidents[0]?.durationSeconds).toBe(600);
  });

  it('counts late time as up', () => {
    const changes = [
      { at: at('2026-12-01T00:00:00Z'), to: 'late' as const },
      { at: at('2026-12-01T12:00:00Z'), to: 'up' as const },
    ];
    const report = uptimeReport({ createdAt: longAgo, statusAtStart: 'up', changes, now });
    expect(report.days.find((d) => d.date === '2026-12-01')?.up).toBe(1);
    expect(report.incidents).toEqual([]);
  });

  it('keeps at most ten incidents', () => {
    const changes = Array.from({ length: 24 }, (_, i) => ({
      at: new Date(at('2026-11-01T00:00:00Z').getTime() + i * 3_600_000),
      to: i % 2 === 0 ? ('down' as const) : ('up' as const),
    }));
    expect(uptimeReport({ createdAt: longAgo, statusAtStart: 'up', changes, now }).incidents).toHaveLength(10);
  });
});

describe('public states', () => {
  it('shows late as degraded, new as pending, failing checks in maintenance as maintenance', () => {
    expect(publicState('late', false)).toBe('degraded');
    expect(publicState('new', false)).toBe('pending');
    expect(publicState('down', true)).toBe('maintenance');
    expect(publicState('up', true)).toBe('up');
    expect(publicState('paused', false)).toBe('paused');
  });

  it('headlines the worst state, paused and pending counting as up', () => {
    expect(overallState(['up', 'down', 'degraded'])).toBe('down');
    expect(overallState(['up', 'degraded', 'maintenance'])).toBe('degraded');
    expect(overallState(['up', 'maintenance'])).toBe('maintenance');
    expect(overallState(['paused', 'pending'])).toBe('up');
    expect(overallState([])).toBe('up');
  });
});

describe('uptime over any stretch', () => {
  it('counts late as up, leaves new and paused time out, and is null when nothing was watched', () => {
    expect(uptimeShare({ up: 90, down: 10 })).toBe(0.9);
    expect(uptimeShare({ up: 50, late: 40, down: 10, paused: 500, new: 100 })).toBe(0.9);
    expect(uptimeShare({ down: 7 })).toBe(0);
    expect(uptimeShare({ paused: 10, new: 5 })).toBeNull();
    expect(uptimeShare({})).toBeNull();
  });
});
