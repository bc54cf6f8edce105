import type { Status } from './status';

/**
 * What a status badge says of a set of checks: `down` while any is down,
 * else `late` while any is late, else `maintenance` while the only checks
 * failing are inside a maintenance window, else `up`. New and paused checks
 * count as up (they are not failing), and a set with no checks at all is
 * `none`, so a badge for a mistyped or emptied tag does not claim all is
 * well.
 */
export type BadgeState = 'up' | 'late' | 'down' | 'maintenance' | 'none';

export interface BadgeSummary {
  state: BadgeState;
  total: number;
  down: number;
  late: number;
}

/** Checks failing inside a maintenance window, counted apart: people know of them. */
export interface InMaintenance {
  down: number;
  late: number;
}

export function summarizeBadge(counts: Partial<Record<Status, number>>, inMaintenance: InMaintenance = { down: 0, late: 0 }): BadgeSummary {
  const down = counts.down ?? 0;
  const late = counts.late ?? 0;
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const known = inMaintenance.down + inMaintenance.late;
  let state: BadgeState = total > 0 ? 'up' : 'none';
  if (down > inMaintenance.down) state = 'down';
  else if (late > inMaintenance.late) state = 'late';
  else if (known > 0) state = 'maintenance';
  return { state, total, down, late };
}

/** What one check's badge may say: a set's words, and `paused` or `new` (never pinged), which a set counts as up. */
export type CheckBadgeState = BadgeState | 'paused' | 'new';

/**
 * One check's badge: as a set of that one check, except that a paused or
 * never-pinged check says so rather than `up`: nothing watches a paused
 * check, and a new one never ran (Healthchecks' one-check badge says up for
 * both, which tells a README's reader the job is fine).
 */
export function summarizeCheckBadge(
  status: Status,
  inMaintenance: InMaintenance = { down: 0, late: 0 },
): Omit<BadgeSummary, 'state'> & { state: CheckBadgeState } {
  if (status === 'paused' || status === 'new') return { state: status, total: 1, down: 0, late: 0 };
  return summarizeBadge({ [status]: 1 }, inMaintenance);
}
