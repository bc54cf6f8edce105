import type { Status } from './status';

/** What a status page shows: the last 90 days, one cell a day, and the latest incidents. */
export const UPTIME_LIMITS = { days: 90, incidents: 10 } as const;

const DAY_MS = 86_400_000;

/** A status change as a flip records it. */
export interface StatusChange {
  at: Date;
  to: Status;
}

/** One UTC day of a check's history. */
export interface UptimeDay {
  /** `YYYY-MM-DD`, UTC. */
  date: string;
  /** Share of the watched part of the day not spent down, 0 … 1; null when the check was not watched at all (not yet made, new, paused). */
  up: number | null;
  /** Seconds spent down that day. */
  downSeconds: number;
}

/** A stretch spent down. */
export interface Incident {
  /** When it went down, clipped to the start of the 90 days. */
  start: Date;
  /** When it left `down`; null while it is still down. */
  end: Date | null;
  /** Seconds, up to `end` or to `now` while ongoing. */
  durationSeconds: number;
}

export interface UptimeReport {
  days: UptimeDay[];
  /** Share of all watched time in the 90 days not spent down, 0 … 1; null when none was watched. */
  up: number | null;
  /** Newest first, at most `UPTIME_LIMITS.incidents`. */
  incidents: Incident[];
}

export interface UptimeInput {
  /** When the check was made: time before it is not watched. */
  createdAt: Date;
  /** Its status when the 90 days began (or when it was made, if later). */
  statusAtStart: Status;
  /** Its status changes inside the 90 days, in any order. */
  changes: readonly StatusChange[];
  now: Date;
}

/** Times not watched: nothing is expected of a new check, nor of a paused one. */
const unwatched = (status: Status) => status === 'new' || status === 'paused';

/**
 * Share of the watched time not spent `down`, 0 … 1, from the time a check
 * spent in each status (any unit); null when none was watched. The rule the
 * status pages' cells follow, for any stretch: summary reports take it over
 * their week or month.
 */
export function uptimeShare(timeInStatus: Partial<Record<Status, number>>): number | null {
  let watched = 0;
  let down = 0;
  for (const [status, time] of Object.entries(timeInStatus) as Array<[Status, number]>) {
    if (unwatched(status)) continue;
    watched += time;
    if (status === 'down') down += time;
  }
  return watched > 0 ? (watched - down) / watched : null;
}

type TimeInStatus = Partial<Record<Status, number>>;

const addTime = (time: TimeInStatus, status: Status, ms: number) => {
  time[status] = (time[status] ?? 0) + ms;
};

/** Midnight UTC starting the oldest of the `days` days ending with today. */
export function uptimeWindowStart(now: Date, days: number = UPTIME_LIMITS.days): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - (days - 1) * DAY_MS);
}

/**
 * Uptime of one check over the last 90 UTC days, from its flips: a day's
 * cell is the share of its watched time not spent `down` (late is not down:
 * the job may still report within its grace). Today's cell runs to `now`.
 */
export function uptimeReport(input: UptimeInput, days: number = UPTIME_LIMITS.days): UptimeReport {
  const windowStart = uptimeWindowStart(input.now, days).getTime();
  const now = input.now.getTime();
  const begin = Math.max(windowStart, input.createdAt.getTime());
  // Stretches of one status: [from, to).
  const stretches: Array<{ from: number; to: number; status: Status }> = [];
  let status = input.statusAtStart;
  let from = begin;
  const changes = [...input.changes].filter((c) => c.at.getTime() >= begin && c.at.getTime() <= now);
  changes.sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const change of changes) {
    stretches.push({ from, to: change.at.getTime(), status });
    status = change.to;
    from = change.at.getTime();
  }
  if (now > from) stretches.push({ from, to: now, status });

  const cells = Array.from({ length: days }, (_, i) => ({ start: windowStart + i * DAY_MS, msInStatus: {} as TimeInStatus }));
  const total: TimeInStatus = {};
  for (const stretch of stretches) {
    if (stretch.to <= stretch.from) continue;
    for (let i = Math.floor((stretch.from - windowStart) / DAY_MS); i < days; i++) {
      const cell = cells[i];
      if (!cell || cell.start >= stretch.to) break;
      const overlap = Math.min(stretch.to, cell.start + DAY_MS) - Math.max(stretch.from, cell.start);
      if (overlap <= 0) continue;
      addTime(cell.msInStatus, stretch.status, overlap);
      addTime(total, stretch.status, overlap);
    }
  }
  return {
    days: cells.map((cell) => ({
      date: new Date(cell.start).toISOString().slice(0, 10),
      up: uptimeShare(cell.msInStatus),
      downSeconds: Math.round((cell.msInStatus.down ?? 0) / 1000),
    })),
    up: uptimeShare(total),
    incidents: incidentsOf(stretches, now),
  };
}

/** Down stretches, newest first; consecutive down stretches (down → down never flips, but be safe) are one. */
function incidentsOf(stretches: ReadonlyArray<{ from: number; to: number; status: Status }>, now: number): Incident[] {
  const incidents: Array<{ start: number; end: number }> = [];
  for (const stretch of stretches) {
    if (stretch.status !== 'down') continue;
    const last = incidents.at(-1);
    if (last && last.end === stretch.from) last.end = stretch.to;
    else incidents.push({ start: stretch.from, end: stretch.to });
  }
  return incidents
    .reverse()
    .slice(0, UPTIME_LIMITS.incidents)
    .map((incident) => ({
      start: new Date(incident.start),
      end: incident.end >= now ? null : new Date(incident.end),
      durationSeconds: Math.round((incident.end - incident.start) / 1000),
    }));
}

/**
 * What a visitor of a status page sees of a check. Late shows as
 * `degraded`: the job is behind its schedule but still inside its grace,
 * not (yet) an outage. A failing check inside a maintenance window shows as
 * `maintenance`; a check never pinged as `pending`.
 */
export const PUBLIC_STATES = ['up', 'degraded', 'down', 'maintenance', 'paused', 'pending'] as const;
export type PublicState = (typeof PUBLIC_STATES)[number];

export function publicState(status: Status, inMaintenance: boolean): PublicState {
  if ((status === 'down' || status === 'late') && inMaintenance) return 'maintenance';
  if (status === 'late') return 'degraded';
  if (status === 'new') return 'pending';
  return status;
}

/** The page's headline: the worst of its checks, where paused and pending checks count as up. */
export function overallState(states: readonly PublicState[]): 'up' | 'degraded' | 'down' | 'maintenance' {
  if (states.includes('down')) return 'down';
  if (states.includes('degraded')) return 'degraded';
  if (states.includes('maintenance')) return 'maintenance';
  return 'up';
}
