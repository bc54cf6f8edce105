import { type Db, recentChanges } from '@cronbeat/db';
import { withDeadline } from '@cronbeat/runtime';
import type { FastifyBaseLogger } from 'fastify';
import { FailureStreak } from '../../../failure-streak';

/** What a watcher of a project hears: the checks that changed, or that the list must be read again (a check went away). */
export type ProjectChange = { kind: 'checks'; ids: string[] } | { kind: 'reload' };
type Listener = (change: ProjectChange) => void;

export interface WatchTiming {
  /** Between the end of one look and the start of the next, in milliseconds. Default: 1000. */
  intervalMs: number;
  /** A look that takes longer is abandoned, in milliseconds. Default: 5000. */
  deadlineMs: number;
  /** How far back each look reads, in seconds: past the ping write deadline, so a late commit is still seen. Default: 15. */
  overlapSeconds: number;
}

const DEFAULT_TIMING: WatchTiming = { intervalMs: 1_000, deadlineMs: 5_000, overlapSeconds: 15 };

/**
 * One watcher per project in this process, shared by every connection that
 * listens to it. Pings may land on another server, so changes are read from
 * the database, never from this process's own hooks: each look asks which
 * of the project's checks were written lately (`recentChanges`), one look
 * at a time (the next starts a second after the last ended), and tells the
 * listeners of rows whose version is new, or asks for the list again when
 * the project's set of checks changed (one deleted and one made in its place
 * included). The first look only learns the versions: a page that just
 * connected has just loaded. A look that succeeds after failed ones asks for
 * the list again: what changed meanwhile, before a first look or beyond the
 * window, is not known.
 */
class ProjectWatch {
  readonly listeners = new Set<Listener>();
  private readonly versions = new Map<string, string>();
  /** What `recentChanges` says of the project's set of checks at the last look that succeeded; null before one. */
  private members: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly failures: FailureStreak;

  constructor(
    private readonly db: Db,
    private readonly projectId: string,
    private readonly timing: WatchTiming,
    log: FastifyBaseLogger,
  ) {
    this.failures = new FailureStreak(log, 'watching the checks list', { projectId });
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.look().finally(() => this.schedule(this.timing.intervalMs)), delayMs);
  }

  private async look(): Promise<void> {
    try {
      const { changed, members } = await withDeadline(
        recentChanges(this.db, this.projectId, this.timing.overlapSeconds),
        this.timing.deadlineMs,
      );
      if (this.stopped) return;
      const afterFailures = this.failures.failing;
      this.failures.succeeded();
      const ids = changed.filter(({ id, version }) => this.versions.get(id) !== version).map(({ id }) => id);
      // Rows leave the window after `overlapSeconds`; forgetting them then keeps the map as small as the window.
      this.versions.clear();
      for (const { id, version } of changed) this.versions.set(id, version);
      const known = this.members;
      this.members = members;
      if (afterFailures || (known !== null && members !== known)) this.tell({ kind: 'reload' });
      else if (known !== null && ids.length > 0) this.tell({ kind: 'checks', ids });
    } catch (error) {
      // A slow or failed look is retried by the next one, a second later; listeners keep their connection.
      this.failures.failed(error);
    }
  }

  private tell(change: ProjectChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

/** The watchers of this process, by project: made by the first listener, stopped when the last one leaves. */
export class ProjectWatches {
  private readonly watches = new Map<string, ProjectWatch>();
  private readonly timing: WatchTiming;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
    timing: Partial<WatchTiming> = {},
  ) {
    this.timing = { ...DEFAULT_TIMING, ...timing };
  }

  /** Listens to the project's changes; call the answer to stop. */
  listen(projectId: string, listener: Listener): () => void {
    let watch = this.watches.get(projectId);
    if (!watch) {
      watch = new ProjectWatch(this.db, projectId, this.timing, this.log);
      this.watches.set(projectId, watch);
    }
    watch.listeners.add(listener);
    const mine = watch;
    return () => {
      mine.listeners.delete(listener);
      if (mine.listeners.size === 0 && this.watches.get(projectId) === mine) {
        mine.stop();
        this.watches.delete(projectId);
      }
    };
  }

  /** How many projects this process watches now. */
  get size(): number {
    return this.watches.size;
  }

  stopAll(): void {
    for (const watch of this.watches.values()) watch.stop();
    this.watches.clear();
  }
}
