import type { Status } from './status';

/**
 * What a status badge says of a set of checks: `down` while any is down,
 * else `late` while any is late, else `up`. New and paused checks count as
 * up (they are not failing), and a set with no checks at all is `none`, so a
 * badge for a mistyped or emptied tag does not claim all is well.
 */
export type BadgeState = 'up' | 'late' | 'down' | 'none';

export interface BadgeSummary {
  state: BadgeState;
  total: number;
  down: number;
  late: number;
}

export function summarizeBadge(counts: Partial<Record<Status, number>>): BadgeSummary {
  const down = counts.down ?? 0;
  const late = counts.late ?? 0;
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const state: BadgeState = down > 0 ? 'down' : late > 0 ? 'late' : total > 0 ? 'up' : 'none';
  return { state, total, down, late };
}
