import type { PingResult } from '../../ping/batch';

/** How long this process remembers a run's start, or an end that came before its start. */
const REMEMBERED_MS = 60_000;
/** Most runs remembered of each kind; the oldest are forgotten first. */
const REMEMBERED_RUNS = 10_000;

/**
 * The order of each run's check-ins in this process. An SDK sends a job's
 * `in_progress` and its end as two requests, on two connections when the
 * first is still busy: the end of a job that takes milliseconds may come
 * first. Recorded as they come, the start would open a run no end closes,
 * and the check would fail when its max runtime passes. So an end whose
 * start was not seen here is remembered, with what became of it, and the
 * start that follows it is no new run.
 */
export class RunOrder {
  readonly #started = new Map<string, number>();
  readonly #endedFirst = new Map<string, { at: number; stored: Promise<PingResult> }>();

  /** Notes an end handed to the recorder, `stored` being its outcome. */
  ended(run: string, stored: Promise<PingResult>, now = Date.now()): void {
    if (this.#started.delete(run)) return;
    remember(this.#endedFirst, run, { at: now, stored }, now);
  }

  /**
   * Notes a start; resolves false when its run's end came first and was
   * recorded (the start is then left out), true when it starts a run.
   */
  async starts(run: string, now = Date.now()): Promise<boolean> {
    const earlier = this.#endedFirst.get(run);
    if (earlier) {
      this.#endedFirst.delete(run);
      const outcome = await earlier.stored.catch(() => null);
      // An end that found no check (it is tried again later) leaves the start to open the run it will close.
      if (outcome?.recorded) return false;
    }
    remember(this.#started, run, now, now);
    return true;
  }
}

function remember<T>(runs: Map<string, T>, run: string, value: T, now: number): void {
  runs.delete(run);
  runs.set(run, value);
  // Oldest first (insertion order): drop what is too old or too many.
  for (const [key, held] of runs) {
    const at = typeof held === 'number' ? held : (held as { at: number }).at;
    if (runs.size <= REMEMBERED_RUNS && now - at <= REMEMBERED_MS) break;
    runs.delete(key);
  }
}
