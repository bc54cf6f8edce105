import type { FastifyBaseLogger } from 'fastify';

/**
 * The log of work retried over and over (a watcher's look every second, a
 * recipient looked up per mail): a failure is news only when the work was
 * working, so an outage makes one warning when it starts and one line when
 * the work succeeds again, as the Redis link does.
 */
export class FailureStreak {
  #since: number | null = null;
  #failures = 0;

  constructor(
    private readonly log: FastifyBaseLogger,
    /** What fails, as the log says it: `watching the checks list`. */
    private readonly work: string,
    private readonly context: Record<string, unknown> = {},
  ) {}

  /** Whether the last attempt failed. */
  get failing(): boolean {
    return this.#since !== null;
  }

  failed(error: unknown): void {
    this.#failures++;
    if (this.#since !== null) return;
    this.#since = Date.now();
    this.log.warn({ ...this.context, err: error }, `${this.work} failed; said again only once it works`);
  }

  succeeded(): void {
    if (this.#since === null) return;
    this.log.info({ ...this.context, failedForMs: Date.now() - this.#since, failures: this.#failures }, `${this.work} works again`);
    this.#since = null;
    this.#failures = 0;
  }
}
