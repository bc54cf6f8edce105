/**
 * What both drivers run in every worker process: a loop that does its work
 * when woken and otherwise sleeps until the work is next due, as the table
 * says. Nothing here holds state the table does not: a lost wake-up or a
 * restart only means the next pass finds the work.
 */

/** A pass's answer: when to run the next pass; null or later than the cap means after `maxSleepMs`. */
export type NextPass = Date | null;

/** Shortest sleep after a pass that found work due but none it could take (another worker holds it), in milliseconds. */
const BUSY_RETRY_MS = 50;

export class WakeLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private wanted = false;
  private stopped = false;

  /**
   * @param pass does the work that is due and says when more is; its errors go to `onError`, and the loop goes on.
   * @param maxSleepMs longest sleep between passes: how soon work nobody announced (an earlier deadline) is found.
   */
  constructor(
    private readonly pass: () => Promise<{ next: NextPass; idle: boolean }>,
    private readonly maxSleepMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Runs a pass now, or right after the one in progress: there may be due work. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wanted = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.run();
  }

  /** Resolves once no pass is running or wanted. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.settled();
  }

  private async run(): Promise<void> {
    let next: NextPass = null;
    let idle = true;
    do {
      this.wanted = false;
      try {
        ({ next, idle } = await this.pass());
      } catch (error) {
        this.onError(error);
        next = null;
      }
    } while (this.wanted && !this.stopped);
    this.running = null;
    if (this.stopped) return;
    const wait = next === null ? this.maxSleepMs : Math.min(this.maxSleepMs, Math.max(0, next.getTime() - Date.now()));
    // Work due that this pass could not take is another worker's for now: do not spin on it.
    this.timer = setTimeout(() => this.wake(), idle && wait === 0 ? BUSY_RETRY_MS : wait);
  }
}
