/**
 * The run lock (`cronbeat run --lock`): one runner at a time may run a
 * check's job, across machines. A runner asks for a lease of `ttl` seconds,
 * renews it while the job runs and releases it at the end; a runner that
 * dies stops renewing, so its lease lapses within the ttl. Each grant
 * carries a fencing token one higher than the last, so what the job writes
 * can refuse a stale holder. The rules here are pure; the lease itself
 * lives in the database (`run_locks`).
 */

/** What a lease request may ask for. */
export const RUN_LOCK_LIMITS = {
  /**
   * Lease length in seconds. Default: 60. At least 5, so renewing every
   * third of it is not a request a second; at most an hour, since a
   * runner that dies keeps others out for this long.
   */
  ttl: { min: 5, max: 3600, default: 60 },
  /** The holder's own id, made by the runner (a UUID): it alone renews and releases. */
  holderId: { minLength: 1, maxLength: 100 },
  /** The holder's host name, as shown to the runners it keeps out (255: the longest DNS name). */
  host: { maxLength: 255 },
  /** A process id: a Postgres integer. */
  pid: { min: 0, max: 2_147_483_647 },
} as const;

/** Who holds a lease, as told to a runner it keeps out. */
export interface LockHolder {
  host: string;
  pid: number;
  /** When the holder was granted the lease. */
  since: Date;
}

/**
 * How often a runner renews a lease of `ttl` seconds, in milliseconds: a
 * third of it. A renewal that fails is tried again after a third of that,
 * so several lost or slow requests fit before the lease lapses.
 */
export const renewEveryMs = (ttl: number): number => Math.round((ttl * 1000) / 3);

const SKIPPED_PREFIX = 'skipped: the run lock is held by ';

/**
 * The body of the `skipped` ping a refused runner leaves: who holds the
 * lease and since when (ISO 8601, UTC), then who was refused. The first
 * line is what the ping log shows; `readSkippedPing` reads it back.
 */
export function skippedPingBody(holder: LockHolder, refused: { host: string; pid: number }): string {
  return (
    `${SKIPPED_PREFIX}${holder.host} (pid ${holder.pid}) since ${holder.since.toISOString()}\n` +
    `refused: ${refused.host} (pid ${refused.pid})\n`
  );
}

const SKIPPED_LINE = /^skipped: the run lock is held by (.*) \(pid (\d+)\) since (\S+)$/;

/** The holder a `skipped` ping's body names, or null for a body not written by `skippedPingBody`. */
export function readSkippedPing(body: string): { host: string; pid: number; since: string } | null {
  const match = SKIPPED_LINE.exec(body.split('\n', 1)[0] ?? '');
  if (!match) return null;
  return { host: match[1]!, pid: Number(match[2]), since: match[3]! };
}
